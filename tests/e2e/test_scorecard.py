"""The scorecard modal: opened from the DM, validated, stored once, versioned, audited."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

from sqlalchemy import select

from bot.container import Container
from models import AuditEntry, Feedback, FeedbackRating, FeedbackRequest, Recommendation
from tests.clock import FixedClock
from tests.e2e.feedback_world import (
    REVIEW_END,
    TECHNICAL_TEST,
    World,
    block_text,
    click,
    dms_to,
    hiring_world,
    scorecard_values,
    submit_scorecard,
)
from tests.fakes.slack_api import FakeSlackAPI


def _requested(container: Container, clock: FixedClock) -> World:
    world = hiring_world(container)
    clock.at = REVIEW_END + timedelta(minutes=5)
    container.feedback.send_due_requests()
    return world


def _feedback(container: Container) -> list[Feedback]:
    with container.unit_of_work() as uow:
        return list(uow.session.scalars(select(Feedback).order_by(Feedback.id)))


def test_the_dm_button_opens_the_stage_scorecard(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = _requested(container, clock)
    click(bot_url, "open_scorecard", str(world.interview_id), "U_ENG1", trigger_id="trig-7")
    call = fake_slack.wait_for("views.open")[0]
    assert call.params["trigger_id"] == "trig-7"
    view = call.params["view"]
    assert view["callback_id"] == "scorecard"
    assert json.loads(view["private_metadata"])["interview_id"] == world.interview_id
    block_ids = [block.get("block_id") for block in view["blocks"] if block["type"] == "input"]
    assert block_ids == [
        *(f"{kind}:{key}" for key in TECHNICAL_TEST for kind in ("rating", "note")),
        "recommendation",
        "summary",
    ]
    ratings = view["blocks"][1]["element"]
    assert [o["value"] for o in ratings["options"]] == ["1", "2", "3", "4"]
    recommendation = next(b for b in view["blocks"] if b.get("block_id") == "recommendation")
    assert [o["value"] for o in recommendation["element"]["options"]] == [
        "strong_no",
        "no",
        "yes",
        "strong_yes",
    ]


def test_filling_the_modal_stores_the_scorecard_once_even_when_submitted_twice(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = _requested(container, clock)
    clock.advance(minutes=20)
    values = scorecard_values(
        ratings={**dict.fromkeys(TECHNICAL_TEST, "3"), "security": "2"},
        recommendation="strong_yes",
        summary="  Great at event flows.  ",
        notes={"security": "Hand-waved token rotation."},
    )
    first = submit_scorecard(bot_url, "U_ENG1", world.interview_id, values, view_id="V_ONE")
    again = submit_scorecard(bot_url, "U_ENG1", world.interview_id, values, view_id="V_ONE")

    assert first["response_action"] == again["response_action"] == "update"
    [stored] = _feedback(container)
    assert (stored.version, stored.is_current) == (1, True)
    assert stored.recommendation == Recommendation.STRONG_YES
    assert stored.summary == "Great at event flows."
    assert stored.submitted_at == clock.at
    with container.unit_of_work() as uow:
        ratings = uow.session.scalars(select(FeedbackRating)).all()
        assert len(ratings) == 5
        assert {r.note for r in ratings} == {"", "Hand-waved token rotation."}
        request = uow.session.scalars(
            select(FeedbackRequest).where(FeedbackRequest.interviewer_id == stored.interviewer_id)
        ).one()
        assert request.completed_at == clock.at
        audit = uow.session.scalars(select(AuditEntry)).all()
    assert [(a.action, a.subject_id, a.detail["view_id"]) for a in audit] == [
        ("feedback.submitted", stored.id, "V_ONE")
    ]
    # The DM is updated in place, once.
    [dm] = dms_to(fake_slack, "U_ENG1")
    update = fake_slack.wait_for("chat.update")[0]
    assert (update.params["channel"], update.params["ts"]) == (
        dm.response["channel"],
        dm.response["ts"],
    )
    assert "Feedback submitted" in update.params["text"]
    assert "open_scorecard" in block_text(update.params)  # the Amend button
    assert len(fake_slack.calls("chat.update")) == 1


def test_a_missing_recommendation_comes_back_as_an_error_on_its_field(
    bot_url: str, container: Container, clock: FixedClock
) -> None:
    world = _requested(container, clock)
    values = scorecard_values(recommendation=None, ratings={**dict.fromkeys(TECHNICAL_TEST, "4")})
    answer = submit_scorecard(bot_url, "U_ENG1", world.interview_id, values)
    assert answer == {
        "response_action": "errors",
        "errors": {"recommendation": "Choose an overall recommendation."},
    }
    assert _feedback(container) == []


def test_bad_ratings_and_an_empty_summary_are_reported_per_field(
    bot_url: str, container: Container, clock: FixedClock
) -> None:
    world = _requested(container, clock)
    ratings: dict[str, str | None] = {**dict.fromkeys(TECHNICAL_TEST, "3")}
    ratings["security"] = "7"
    ratings["robustness"] = None
    answer = submit_scorecard(
        bot_url, "U_ENG1", world.interview_id, scorecard_values(ratings=ratings, summary="   ")
    )
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"rating:security", "rating:robustness", "summary"}
    assert _feedback(container) == []


def test_someone_who_did_not_interview_cannot_submit(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = _requested(container, clock)
    answer = submit_scorecard(bot_url, "U_OTHER", world.interview_id)
    assert answer["response_action"] == "errors"
    assert "Only this interview's interviewers" in answer["errors"]["summary"]
    assert _feedback(container) == []
    click(bot_url, "open_scorecard", str(world.interview_id), "U_OTHER")
    view = fake_slack.wait_for("views.open")[0].params["view"]
    assert view.get("callback_id") != "scorecard"
    assert "Only this interview's interviewers" in block_text(view)


def test_amending_within_24_hours_adds_a_version_and_keeps_the_first(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = _requested(container, clock)
    submit_scorecard(bot_url, "U_ENG1", world.interview_id, scorecard_values(recommendation="no"))
    first_submitted = clock.at
    clock.advance(hours=23)
    click(bot_url, "open_scorecard", str(world.interview_id), "U_ENG1")
    view = fake_slack.wait_for("views.open")[0].params["view"]
    assert '"base_version": 1' in view["private_metadata"]
    recommendation = next(b for b in view["blocks"] if b.get("block_id") == "recommendation")
    assert recommendation["element"]["initial_option"]["value"] == "no"

    answer = submit_scorecard(
        bot_url,
        "U_ENG1",
        world.interview_id,
        scorecard_values(recommendation="yes", summary="Changed my mind after the debrief."),
        base_version=1,
    )
    assert answer["response_action"] == "update"
    versions = _feedback(container)
    assert [(f.version, f.is_current, f.recommendation) for f in versions] == [
        (1, False, Recommendation.NO),
        (2, True, Recommendation.YES),
    ]
    assert versions[0].submitted_at == first_submitted
    with container.unit_of_work() as uow:
        actions = uow.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["feedback.submitted", "feedback.amended"]


def test_amending_after_24_hours_is_refused_with_a_clear_error(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = _requested(container, clock)
    submit_scorecard(bot_url, "U_ENG1", world.interview_id)
    clock.advance(hours=24, minutes=1)
    answer = submit_scorecard(
        bot_url, "U_ENG1", world.interview_id, scorecard_values(recommendation="no"), base_version=1
    )
    assert answer["response_action"] == "errors"
    assert "24 hours" in answer["errors"]["summary"]
    assert [f.version for f in _feedback(container)] == [1]
    click(bot_url, "open_scorecard", str(world.interview_id), "U_ENG1")
    view = fake_slack.wait_for("views.open")[0].params["view"]
    assert "24 hours" in block_text(view)


def test_a_second_window_on_the_same_version_is_stale_not_a_silent_overwrite(
    bot_url: str, container: Container, clock: FixedClock
) -> None:
    world = _requested(container, clock)
    submit_scorecard(bot_url, "U_ENG1", world.interview_id, view_id="V_FIRST")
    answer = submit_scorecard(
        bot_url, "U_ENG1", world.interview_id, scorecard_values(recommendation="no"), view_id="V_2"
    )
    assert answer["response_action"] == "errors"
    assert "another window" in answer["errors"]["summary"]
    assert len(_feedback(container)) == 1


def test_a_double_click_racing_itself_stores_one_feedback(
    bot_url: str, container: Container, clock: FixedClock
) -> None:
    world = _requested(container, clock)
    start = threading.Barrier(3)
    answers: list[dict[str, object]] = []

    def click_submit() -> None:
        start.wait()
        answers.append(submit_scorecard(bot_url, "U_ENG2", world.interview_id, view_id="V_RACE"))

    threads = [threading.Thread(target=click_submit) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [a.get("response_action") for a in answers] == ["update"] * 3
    assert [f.version for f in _feedback(container)] == [1]
