"""The feedback flow's Block Kit, built by pure functions."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.decisions.asking import DecisionCard
from bot.decisions.summary import CompetencyRow, DecisionSummary
from bot.feedback.overview import FeedbackOverview, InterviewLine
from bot.feedback.pending import PendingFeedback
from bot.feedback.requests import FeedbackAsk
from bot.feedback.scorecard import PreviousAnswers, Question, ScorecardForm
from handlers.decisions.message import decision_message
from handlers.feedback.home_tab import home_view
from handlers.feedback.list_message import pending_feedback_message
from handlers.feedback.request_message import feedback_request_message
from handlers.feedback.scorecard_modal import scorecard_modal
from models.hiring import Decision, Recommendation

AT = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def _form(previous: PreviousAnswers | None = None) -> ScorecardForm:
    return ScorecardForm(
        interview_id=7,
        candidate_name="Ada",
        stage_name="Technical test",
        starts_at=AT,
        questions=(
            Question("security", "Security", "Zero trust"),
            Question("events", "Events", ""),
        ),
        base_version=1 if previous else 0,
        previous=previous,
        amend_until=AT + timedelta(days=1) if previous else None,
    )


def test_the_scorecard_modal_carries_the_interview_and_asks_every_competency() -> None:
    modal = scorecard_modal(_form())
    assert json.loads(modal["private_metadata"]) == {"interview_id": 7, "base_version": 0}
    inputs = [b for b in modal["blocks"] if b["type"] == "input"]
    assert [(b["block_id"], b.get("optional", False)) for b in inputs] == [
        ("rating:security", False),
        ("note:security", True),
        ("rating:events", False),
        ("note:events", True),
        ("recommendation", False),
        ("summary", False),
    ]
    assert inputs[0]["hint"]["text"] == "Zero trust"
    assert "initial_option" not in inputs[0]["element"]
    assert modal["submit"]["text"] == "Submit"


def test_amending_starts_from_the_current_answers() -> None:
    previous = PreviousAnswers(
        ratings={"security": 2, "events": 4},
        notes={"security": "weak on secrets"},
        recommendation=Recommendation.NO,
        summary="Meh.",
    )
    modal = scorecard_modal(_form(previous))
    blocks = {b.get("block_id"): b for b in modal["blocks"]}
    assert blocks["rating:security"]["element"]["initial_option"]["value"] == "2"
    assert blocks["note:security"]["element"]["initial_value"] == "weak on secrets"
    assert "initial_value" not in blocks["note:events"]["element"]
    assert blocks["recommendation"]["element"]["initial_option"]["value"] == "no"
    assert blocks["summary"]["element"]["initial_value"] == "Meh."
    assert modal["submit"]["text"] == "Amend"


def test_the_request_dm_has_a_text_fallback_a_date_token_and_the_button() -> None:
    ask = FeedbackAsk(1, 7, "U1", "Ada", "Technical test", AT, AT + timedelta(hours=1))
    message = feedback_request_message(ask)
    assert message["text"] == "Please give your feedback on Ada (Technical test)"
    assert f"<!date^{int(AT.timestamp())}^" in json.dumps(message["blocks"])
    [button] = message["blocks"][1]["elements"]
    assert (button["action_id"], button["value"]) == ("open_scorecard", "7")


def _card(decision: Decision | None) -> DecisionCard:
    summary = DecisionSummary(
        interviewers=("U_A", "U_B"),
        competencies=(CompetencyRow("Events", (("U_A", 4), ("U_B", 1)), True),),
        recommendations=(("U_A", Recommendation.YES), ("U_B", Recommendation.YES)),
        recommendations_disagree=False,
        summaries=(("U_A", "fine"), ("U_B", "also fine")),
    )
    return DecisionCard(
        7,
        3,
        "Ada",
        "Technical test",
        AT,
        "Onsite",
        summary,
        0,
        decision,
        AT if decision else None,
        "U_HM" if decision else None,
    )


def test_the_decision_message_flags_disagreements_and_offers_the_choices() -> None:
    message = decision_message(_card(None))
    assert message["text"] == "Decision needed: Ada (Technical test)"
    text = json.dumps(message["blocks"])
    assert "<@U_A> *4*" in text and ":warning:" in text
    assert "differ by 2 points or more on: Events." in text
    actions = message["blocks"][-1]["elements"]
    assert [a["action_id"] for a in actions] == [
        "decision_advance",
        "decision_reject",
        "decision_hold",
        "see_feedback",
    ]


def test_a_decided_message_says_who_decided_and_has_no_choices_left() -> None:
    message = decision_message(_card(Decision.REJECT))
    assert message["text"] == "Decided: Ada (Technical test): rejected"
    assert "by <@U_HM>" in json.dumps(message["blocks"])
    assert [a["action_id"] for a in message["blocks"][-1]["elements"]] == ["see_feedback"]


def test_home_and_command_share_the_same_rows() -> None:
    overview = FeedbackOverview(
        upcoming=(InterviewLine(9, "Alan", "HR screening", AT),),
        pending=(PendingFeedback(1, 7, "Ada", "Technical test", AT),),
        submitted=(),
        amendable=frozenset(),
        awaiting_decision=(InterviewLine(7, "Ada", "Technical test", AT),),
    )
    home = home_view(overview)
    answer = pending_feedback_message(overview)
    assert home["type"] == "home"
    assert answer["response_type"] == "ephemeral"
    for blocks in (home["blocks"], answer["blocks"]):
        accessories = [b["accessory"]["action_id"] for b in blocks if "accessory" in b]
        assert accessories == ["open_scorecard", "see_feedback"]
        assert "Alan" in json.dumps(blocks)
