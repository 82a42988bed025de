"""State rules: feedback only once an interview has taken place, decisions only from a card that is
still current, no reminder for an interview that was moved later."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from bot.app.jobs import JOBS
from bot.container import Container
from models import FeedbackRequest
from models.hiring import (
    Candidate,
    CandidateStatus,
    Feedback,
    Interview,
    InterviewStatus,
)
from tests import builders
from tests.clock import FixedClock
from tests.conftest import SIGNING_SECRET
from tests.e2e.feedback_world import (
    REVIEW_END,
    REVIEW_START,
    World,
    block_text,
    click,
    dms_to,
    hiring_world,
    submit_scorecard,
    thread_replies,
)
from tests.fakes.slack_api import RESPONSE_URL_METHOD, FakeSlackAPI
from tests.fakes.slack_requests import block_actions


def _job(container: Container, name: str) -> None:
    next(job for job in JOBS if job.name == name).run(container)


def _decide(bot_url: str, fake: FakeSlackAPI, world: World, choice: str, user: str) -> str:
    """Click a decision card's button; returns what the clicker was told (if anything)."""
    before = len(fake.calls(RESPONSE_URL_METHOD))
    request = block_actions(
        f"decision_{choice}",
        value=str(world.interview_id),
        user_id=user,
        channel_id=f"D{user}",
        response_url=fake.response_url(),
    )
    assert request.post(bot_url, SIGNING_SECRET).status == 200
    told = fake.wait_for(RESPONSE_URL_METHOD, before + 1, timeout=10)[before]
    return str(told.params.get("text"))


def _candidate(container: Container, world: World) -> Candidate:
    with container.unit_of_work() as uow:
        candidate = uow.session.get(Candidate, world.candidate_id)
        assert candidate is not None
        return candidate


def _interview(container: Container, world: World) -> Interview:
    with container.unit_of_work() as uow:
        interview = uow.session.get(Interview, world.interview_id)
        assert interview is not None
        return interview


def test_no_scorecard_before_the_interview_is_over(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = hiring_world(container)
    clock.at = REVIEW_START + timedelta(minutes=30)  # under way

    click(bot_url, "open_scorecard", str(world.interview_id), "U_ENG1")
    answer = submit_scorecard(bot_url, "U_ENG1", world.interview_id)

    opened = fake_slack.wait_for("views.open")[0]
    assert "once the interview is over" in block_text(opened.params["view"])
    assert answer["response_action"] == "errors"
    assert "once the interview is over" in answer["errors"]["summary"]
    with container.unit_of_work() as uow:
        assert uow.session.scalars(select(Feedback)).all() == []


def test_no_scorecard_for_an_interview_booked_ten_days_ahead(
    bot_url: str, container: Container, clock: FixedClock
) -> None:
    world = hiring_world(container, start=REVIEW_START + timedelta(days=10))

    answer = submit_scorecard(bot_url, "U_ENG1", world.interview_id)

    assert "once the interview is over" in answer["errors"]["summary"]
    with container.unit_of_work() as uow:
        assert uow.session.scalars(select(Feedback)).all() == []


def _ready_for_a_decision(bot_url: str, container: Container, clock: FixedClock) -> World:
    world = hiring_world(container)
    clock.at = REVIEW_END + timedelta(minutes=5)
    for user in ("U_ENG1", "U_ENG2"):
        submit_scorecard(bot_url, user, world.interview_id)
    return world


def test_a_stale_advance_does_not_bring_a_rejected_candidate_back(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = _ready_for_a_decision(bot_url, container, clock)
    with container.unit_of_work() as uow:  # rejected meanwhile (from another stage's card)
        uow.session.execute(
            update(Candidate)
            .where(Candidate.id == world.candidate_id)
            .values(status=CandidateStatus.REJECTED)
        )
        uow.commit()

    told = _decide(bot_url, fake_slack, world, "advance", "U_HEAD")

    assert told.startswith("This card is out of date")
    assert "no longer in the process" in told
    candidate = _candidate(container, world)
    assert candidate.status == CandidateStatus.REJECTED
    assert _interview(container, world).decision is None


def test_a_card_of_a_stage_the_candidate_has_left_changes_nothing(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = _ready_for_a_decision(bot_url, container, clock)
    with container.unit_of_work() as uow:
        ada = uow.session.get(Candidate, world.candidate_id)
        assert ada is not None
        ada.current_stage_id = builders.stage(uow.session, "onsite").id
        uow.commit()

    told = _decide(bot_url, fake_slack, world, "reject", "U_HM")

    assert "no longer at the" in told
    assert _candidate(container, world).status == CandidateStatus.ACTIVE


def test_a_cancelled_interview_cannot_be_rejected(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = _ready_for_a_decision(bot_url, container, clock)
    with container.unit_of_work() as uow:
        uow.session.execute(
            update(Interview)
            .where(Interview.id == world.interview_id)
            .values(status=InterviewStatus.CANCELLED)
        )
        uow.commit()

    told = _decide(bot_url, fake_slack, world, "reject", "U_HM")

    assert "this interview was cancelled" in told
    assert _candidate(container, world).status == CandidateStatus.ACTIVE
    assert _interview(container, world).decision is None


def test_a_decision_on_an_interview_ten_days_ahead_is_refused(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI
) -> None:
    world = hiring_world(container, start=REVIEW_START + timedelta(days=10))

    told = _decide(bot_url, fake_slack, world, "reject", "U_HM")

    assert "has not taken place yet" in told
    assert _candidate(container, world).status == CandidateStatus.ACTIVE


def test_an_interview_moved_a_week_later_gets_no_reminder_now(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = hiring_world(container, interviewers=("U_ENG1",))
    clock.at = datetime(2026, 11, 24, 10, 35, tzinfo=UTC)
    _job(container, "feedback_requests")
    assert len(dms_to(fake_slack, "U_ENG1")) == 1
    week = timedelta(days=7)
    with container.unit_of_work() as uow:  # the candidate could not come: moved a week later
        interview = uow.session.get(Interview, world.interview_id)
        assert interview is not None
        interview.starts_at += week
        interview.ends_at += week
        uow.commit()

    for hour in (14, 16):
        clock.at = datetime(2026, 11, 24, hour, 30, tzinfo=UTC)
        _job(container, "feedback_reminders")
    clock.at = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    _job(container, "feedback_reminders")

    assert thread_replies(fake_slack) == []
    with container.unit_of_work() as uow:
        assert uow.session.scalars(select(FeedbackRequest.reminder_count)).one() == 0
    # Once the moved interview is over, reminding goes on.
    clock.at = REVIEW_END + week + timedelta(hours=4)
    _job(container, "feedback_reminders")
    assert len(thread_replies(fake_slack)) == 1
