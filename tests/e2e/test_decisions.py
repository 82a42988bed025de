"""All feedback in: one decision message each; advance, reject or hold moves the candidate."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import select

from bot.container import Container
from bot.decisions.asking import card_key
from models import AuditEntry, Candidate, CandidateStatus, Interview, Stage
from models.outbox import OutboxStatus
from tests.clock import FixedClock
from tests.e2e.feedback_world import (
    REVIEW_END,
    TECHNICAL_TEST,
    World,
    at_once,
    block_text,
    click,
    eventually,
    hiring_world,
    scorecard_values,
    submit_directly,
    submit_scorecard,
)
from tests.fakes.slack_api import FakeSlackAPI, RecordedCall


def _decision_posts(fake: FakeSlackAPI) -> list[RecordedCall]:
    return [
        call
        for call in fake.calls("chat.postMessage")
        if str(call.params.get("text", "")).startswith("Decision needed")
    ]


def _all_in(bot_url: str, container: Container, fake: FakeSlackAPI, clock: FixedClock) -> World:
    world = hiring_world(container)
    clock.at = REVIEW_END + timedelta(minutes=5)
    container.feedback.send_due_requests()
    clock.advance(minutes=30)
    grace = scorecard_values(
        ratings={**dict.fromkeys(TECHNICAL_TEST, "3"), "event-flows": "4"},
        recommendation="strong_yes",
    )
    linus = scorecard_values(
        ratings={**dict.fromkeys(TECHNICAL_TEST, "3"), "event-flows": "2"},
        recommendation="no",
    )
    submit_scorecard(bot_url, "U_ENG1", world.interview_id, grace)
    submit_scorecard(bot_url, "U_ENG2", world.interview_id, linus)
    fake.wait_for("chat.postMessage", 2, where=lambda c: c in _decision_posts(fake))
    _wait_until_recorded(container, world.interview_id, copies=2)
    return world


def _wait_until_recorded(container: Container, interview_id: int, copies: int) -> None:
    """Where the decision messages were posted is stored (in the outbox) just after Slack
    answers."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        with container.unit_of_work() as uow:
            references = [uow.outbox.reference(card_key(interview_id, w)) for w in ("U_HR", "U_HM")]
        if len([r for r in references if r is not None]) >= copies:
            return
        time.sleep(0.02)
    raise AssertionError("the decision messages were not recorded")


def test_all_feedback_in_brings_one_decision_message_to_each_decision_maker(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = _all_in(bot_url, container, fake_slack, clock)
    assert container.decisions.send_decision_requests() == 0
    clock.advance(minutes=5)
    assert container.decisions.send_decision_requests() == 0

    posts = _decision_posts(fake_slack)
    assert sorted(call.params["channel"] for call in posts) == ["U_HM", "U_HR"]
    blocks = block_text(posts[0].params)
    assert "Event flows and reliability*: <@U_ENG1> *4* \\u00b7 <@U_ENG2> *2* :warning:" in blocks
    assert "Security by design*: <@U_ENG1> *3* \\u00b7 <@U_ENG2> *3*\\n" in blocks
    assert "Strong yes" in blocks and "*No*" in blocks
    assert (
        "differ by 2 points or more on: Event flows and reliability, the recommendation" in blocks
    )
    actions = next(b for b in posts[0].params["blocks"] if b["type"] == "actions")["elements"]
    assert [a["action_id"] for a in actions] == [
        "decision_advance",
        "decision_reject",
        "decision_hold",
        "see_feedback",
    ]
    assert actions[0]["text"]["text"] == "Advance to Onsite"
    assert {a["value"] for a in actions} == {str(world.interview_id)}
    with container.unit_of_work() as uow:
        interview = uow.session.get(Interview, world.interview_id)
        assert interview is not None and interview.decision_requested_at == clock.at - timedelta(
            minutes=5
        )


def test_cards_refused_at_submit_time_are_delivered_later_without_asking_again(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    """Each card is its own outbox message: one that Slack did not take is retried on its own,
    and the decision makers are not asked a second time."""
    world = hiring_world(container, interviewers=("U_ENG1",))
    clock.at = REVIEW_END + timedelta(minutes=5)
    container.feedback.send_due_requests()
    fake_slack.fail_next("chat.postMessage", status=500, count=2)
    submit_scorecard(bot_url, "U_ENG1", world.interview_id)
    fake_slack.wait_for("chat.postMessage", 3)  # the request, then two refused decision posts
    fake_slack.wait_for("chat.update")

    def waiting_for_a_retry() -> bool:
        with container.unit_of_work() as uow:
            rows = [uow.outbox.by_key(card_key(world.interview_id, w)) for w in ("U_HR", "U_HM")]
            return all(r is not None and r.status == OutboxStatus.PENDING for r in rows)

    eventually(waiting_for_a_retry)
    assert container.decisions.send_decision_requests() == 0  # asked already
    clock.advance(minutes=5)
    container.outbox.deliver_due()
    assert container.decisions.send_decision_requests() == 0
    assert len([c for c in _decision_posts(fake_slack) if c.ok]) == 2
    assert sorted(c.params["channel"] for c in _decision_posts(fake_slack) if c.ok) == [
        "U_HM",
        "U_HR",
    ]
    with container.unit_of_work() as uow:
        interview = uow.session.get(Interview, world.interview_id)
        assert interview is not None and interview.decision_requested_at is not None


def test_advance_moves_the_candidate_and_opens_scheduling_for_the_next_stage(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = _all_in(bot_url, container, fake_slack, clock)
    clock.advance(hours=2)
    post = next(c for c in _decision_posts(fake_slack) if c.params["channel"] == "U_HM")
    click(
        bot_url,
        "decision_advance",
        str(world.interview_id),
        "U_HM",
        trigger_id="trig-advance",
        channel_id=post.response["channel"],
        message_ts=post.response["ts"],
    )
    opened = fake_slack.wait_for("views.open")[0]
    assert opened.params["trigger_id"] == "trig-advance"
    view = opened.params["view"]
    assert view["callback_id"] == "schedule_interview"
    blocks = {block.get("block_id"): block for block in view["blocks"]}
    assert blocks["stage"]["element"]["initial_option"]["text"]["text"] == "Onsite"
    assert "Ada Lovelace" in blocks["candidate"]["element"]["initial_option"]["text"]["text"]

    with container.unit_of_work() as uow:
        ada = uow.session.get(Candidate, world.candidate_id)
        interview = uow.session.get(Interview, world.interview_id)
        assert ada is not None and interview is not None
        onsite = uow.session.scalars(select(Stage).where(Stage.key == "onsite")).one()
        assert (ada.current_stage_id, ada.stage_entered_at, ada.status) == (
            onsite.id,
            clock.at,
            CandidateStatus.ACTIVE,
        )
        assert (interview.decision, interview.decided_at) == ("advance", clock.at)
        audit = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "decision.made")
        ).one()
        assert audit.detail["by"] == "U_HM" and audit.detail["to_stage_id"] == onsite.id

    # Both copies of the decision message now show the decision, without its buttons.
    updates = fake_slack.wait_for("chat.update", 2, where=lambda c: "Decided" in c.params["text"])
    assert {(u.params["channel"], u.params["ts"]) for u in updates} == {
        (p.response["channel"], p.response["ts"]) for p in _decision_posts(fake_slack)
    }
    assert "advanced to Onsite by <@U_HM>" in block_text(updates[0].params)
    assert "decision_advance" not in block_text(updates[0].params)


def test_a_second_click_does_not_decide_twice(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = _all_in(bot_url, container, fake_slack, clock)
    click(bot_url, "decision_reject", str(world.interview_id), "U_HR")
    fake_slack.wait_for("chat.update", 2, where=lambda c: "Decided" in c.params["text"])
    click(
        bot_url,
        "decision_advance",
        str(world.interview_id),
        "U_HM",
        response_url=fake_slack.response_url("second"),
    )
    [answer] = fake_slack.wait_for("response_url")
    assert "already decided (reject)" in answer.params["text"]
    with container.unit_of_work() as uow:
        ada = uow.session.get(Candidate, world.candidate_id)
        assert ada is not None and ada.status == CandidateStatus.REJECTED
        interview = uow.session.get(Interview, world.interview_id)
        assert interview is not None and interview.decision == "reject"
        made = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "decision.made")
        ).all()
    assert len(made) == 1
    assert fake_slack.calls("views.open") == []


def test_hold_puts_the_candidate_on_hold_and_can_still_be_turned_into_a_rejection(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = _all_in(bot_url, container, fake_slack, clock)
    click(bot_url, "decision_hold", str(world.interview_id), "U_HM")
    [held, _] = fake_slack.wait_for("chat.update", 2, where=lambda c: "on hold" in c.params["text"])
    assert "decision_reject" in block_text(held.params)
    assert "decision_hold" not in block_text(held.params)
    with container.unit_of_work() as uow:
        ada = uow.session.get(Candidate, world.candidate_id)
        assert ada is not None and ada.status == CandidateStatus.ON_HOLD
    click(bot_url, "decision_reject", str(world.interview_id), "U_HR")
    fake_slack.wait_for("chat.update", 2, where=lambda c: "rejected" in c.params["text"])
    with container.unit_of_work() as uow:
        ada = uow.session.get(Candidate, world.candidate_id)
        assert ada is not None and ada.status == CandidateStatus.REJECTED


def test_an_interviewer_cannot_decide(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = _all_in(bot_url, container, fake_slack, clock)
    click(
        bot_url,
        "decision_advance",
        str(world.interview_id),
        "U_ENG1",
        response_url=fake_slack.response_url("denied"),
    )
    [answer] = fake_slack.wait_for("response_url")
    assert "Only hiring managers" in answer.params["text"]
    with container.unit_of_work() as uow:
        interview = uow.session.get(Interview, world.interview_id)
        assert interview is not None and interview.decision is None


def test_two_workers_ask_the_decision_makers_once(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = hiring_world(container)
    clock.at = REVIEW_END + timedelta(minutes=30)
    submit_directly(container, "U_ENG1", world.interview_id)
    assert container.decisions.send_decision_requests() == 0  # Linus has not submitted yet
    submit_directly(container, "U_ENG2", world.interview_id)
    at_once(container.decisions.send_decision_requests)
    assert sorted(call.params["channel"] for call in _decision_posts(fake_slack)) == [
        "U_HM",
        "U_HR",
    ]
