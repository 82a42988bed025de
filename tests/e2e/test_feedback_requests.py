"""The feedback request job: one DM per interviewer after the interview, whatever happens."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.container import Container
from bot.feedback.requests import request_key
from models import FeedbackRequest, Interview, InterviewStatus
from models.outbox import MessageReference, OutboxStatus
from tests.clock import FixedClock
from tests.e2e.feedback_world import REVIEW_END, REVIEW_START, at_once, dms_to, hiring_world
from tests.fakes.slack_api import FakeSlackAPI


def _requests(container: Container) -> list[FeedbackRequest]:
    with container.unit_of_work() as uow:
        return list(uow.session.scalars(select(FeedbackRequest).order_by(FeedbackRequest.id)))


def _dm_of(container: Container, request: FeedbackRequest) -> MessageReference | None:
    """Where the request's DM went: the outbox holds it for every feature."""
    with container.unit_of_work() as uow:
        return uow.outbox.reference(request_key(request.id))


def _dm_status(container: Container, request: FeedbackRequest) -> OutboxStatus | None:
    with container.unit_of_work() as uow:
        return uow.outbox.status_of(request_key(request.id))


def test_an_ended_interview_brings_each_interviewer_one_dm_even_when_the_job_runs_twice(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = hiring_world(container)
    sent_at = clock.at = REVIEW_END + timedelta(minutes=5)
    assert container.feedback.send_due_requests() == 2
    assert container.feedback.send_due_requests() == 0
    clock.advance(minutes=1)
    assert container.feedback.send_due_requests() == 0

    for slack_id in ("U_ENG1", "U_ENG2"):
        [dm] = dms_to(fake_slack, slack_id)
        assert "Ada Lovelace" in dm.params["text"]
        blocks = str(dm.params["blocks"])
        assert "Technical test" in blocks
        assert f"<!date^{int(REVIEW_START.timestamp())}^" in blocks
        button = dm.params["blocks"][1]["elements"][0]
        assert (button["action_id"], button["value"]) == ("open_scorecard", str(world.interview_id))
    rows = _requests(container)
    assert len(rows) == 2
    dms = [_dm_of(container, row) for row in rows]
    assert all(row.sent_at == sent_at for row in rows)
    assert all(dm is not None and dm.ts and dm.channel for dm in dms)
    assert {dm.channel for dm in dms if dm is not None} == {"DU_ENG1", "DU_ENG2"}
    with container.unit_of_work() as uow:
        interview = uow.session.get(Interview, world.interview_id)
        # Left "scheduled": the scheduler's weekly load caps count scheduled interviews.
        assert interview is not None and interview.status == InterviewStatus.SCHEDULED


def test_nothing_is_sent_before_the_end_plus_five_minutes(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    hiring_world(container)
    clock.at = REVIEW_END + timedelta(minutes=4, seconds=59)
    assert container.feedback.send_due_requests() == 0
    assert fake_slack.calls("chat.postMessage") == []
    assert _requests(container) == []


def test_a_late_job_after_a_restart_sends_what_fell_due_at_once(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    hiring_world(container)
    clock.at = REVIEW_END + timedelta(hours=6)
    assert container.feedback.send_due_requests() == 2
    assert container.feedback.send_due_requests() == 0


def test_two_workers_at_once_send_each_request_once(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    hiring_world(container, interviewers=("U_ENG1", "U_ENG2", "U_ENG3"))
    clock.at = REVIEW_END + timedelta(minutes=10)
    at_once(lambda: container.feedback.send_due_requests())
    for slack_id in ("U_ENG1", "U_ENG2", "U_ENG3"):
        assert len(dms_to(fake_slack, slack_id)) == 1
    assert len(_requests(container)) == 3


def test_a_cancelled_interview_sends_nothing(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = hiring_world(container)
    with container.unit_of_work() as uow:
        interview = uow.session.get(Interview, world.interview_id)
        assert interview is not None
        interview.status = InterviewStatus.CANCELLED
        uow.commit()
    clock.at = REVIEW_END + timedelta(hours=1)
    assert container.feedback.send_due_requests() == 0
    assert fake_slack.calls("chat.postMessage") == []


def test_a_moved_interview_is_asked_about_after_its_new_end(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = hiring_world(container)
    with container.unit_of_work() as uow:
        interview = uow.session.get(Interview, world.interview_id)
        assert interview is not None
        interview.starts_at += timedelta(days=1)
        interview.ends_at += timedelta(days=1)
        uow.commit()
    clock.at = REVIEW_END + timedelta(hours=1)
    assert container.feedback.send_due_requests() == 0
    clock.at = REVIEW_END + timedelta(days=1, minutes=5)
    assert container.feedback.send_due_requests() == 2


def test_a_failed_slack_call_is_retried_by_the_outbox(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    """A request counts as sent once its DM is enqueued; a DM Slack did not take (a temporary
    error) is retried by the outbox, not by the request job."""
    hiring_world(container)
    clock.at = REVIEW_END + timedelta(minutes=5)
    fake_slack.fail_next("chat.postMessage", status=500)
    assert container.feedback.send_due_requests() == 2
    rows = _requests(container)
    assert all(row.sent_at is not None for row in rows)
    assert sorted(_dm_status(container, row) for row in rows) == [
        OutboxStatus.PENDING,
        OutboxStatus.SENT,
    ]
    clock.advance(minutes=1)
    assert container.feedback.send_due_requests() == 0
    assert container.outbox.deliver_due().sent == 1
    assert container.feedback.send_due_requests() == 0
    assert all(row.sent_at is not None for row in _requests(container))
    assert len(dms_to(fake_slack, "U_ENG1")) + len(dms_to(fake_slack, "U_ENG2")) == 3
    assert sum(call.ok for call in fake_slack.calls("chat.postMessage")) == 2


def test_a_rate_limited_call_is_retried_by_the_outbox_after_retry_after(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    hiring_world(container)
    clock.at = REVIEW_END + timedelta(minutes=5)
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=0)
    assert container.feedback.send_due_requests() == 2
    assert container.feedback.send_due_requests() == 0
    container.outbox.deliver_due()
    for slack_id in ("U_ENG1", "U_ENG2"):
        assert len([c for c in dms_to(fake_slack, slack_id) if c.ok]) == 1
