"""Feedback and decision messages under Slack faults, through the jobs and the outbox job.

Every message is an outbox row enqueued with the change that causes it: a permanent error stops it
at once with one notice to the scheduler (and no reminder ever follows), a rate limit waits for
Slack's Retry-After, a server error is retried without posting twice, a card that failed for one
decision maker reaches them later without the others' being posted again, and two workers running
the same job at once send each request once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.container import Container
from bot.decisions.asking import card_key
from bot.feedback.requests import request_key
from models import FeedbackRequest
from models.outbox import OutboxMessage, OutboxStatus
from tests.clock import FixedClock
from tests.e2e.feedback_world import (
    REVIEW_END,
    at_once,
    hiring_world,
    submit_directly,
)
from tests.fakes.slack_api import FakeSlackAPI, RecordedCall

INTERVIEWER_DM = ("U_ENG1", "DU_ENG1")  # a post to a user id lands in their DM's channel


def _posts_to(fake: FakeSlackAPI, channels: tuple[str, ...]) -> list[RecordedCall]:
    return [c for c in fake.calls("chat.postMessage") if c.params.get("channel") in channels]


def _text(call: RecordedCall) -> str:
    return str(call.params.get("text", ""))


def _delivered(calls: list[RecordedCall]) -> list[RecordedCall]:
    return [call for call in calls if call.ok]


def _outbox_row(container: Container, key: str) -> OutboxMessage:
    with container.unit_of_work() as uow:
        row = uow.outbox.by_key(key)
        assert row is not None, key
        return row


def _request(container: Container) -> FeedbackRequest:
    with container.unit_of_work() as uow:
        return uow.session.scalars(select(FeedbackRequest)).one()


def _run_the_worker(container: Container, clock: FixedClock, hours: int) -> None:
    """Every job the worker runs, each hour for `hours` hours."""
    for _ in range(hours):
        clock.advance(hours=1)
        container.feedback.send_due_requests()
        container.feedback.send_due_reminders()
        container.decisions.send_decision_requests()
        container.outbox.deliver_due()


def test_an_interviewer_who_left_gets_one_attempt_and_the_scheduler_one_notice(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    hiring_world(container, interviewers=("U_ENG1",))
    clock.at = REVIEW_END + timedelta(minutes=5)
    fake_slack.error_next("chat.postMessage", "account_inactive")

    assert container.feedback.send_due_requests() == 1
    container.outbox.deliver_due()  # the notice
    _run_the_worker(container, clock, hours=96)

    [attempt] = _posts_to(fake_slack, INTERVIEWER_DM)
    assert attempt.error == "account_inactive"
    [notice] = [c for c in fake_slack.calls("chat.postMessage") if "could not" in _text(c)]
    assert notice.ok and notice.params["channel"] == "U_HR"
    assert "the feedback request for Ada Lovelace · Technical test" in notice.params["text"]
    assert "<@U_ENG1>" in notice.params["text"] and "account_inactive" in notice.params["text"]
    row = _outbox_row(container, request_key(_request(container).id))
    assert (row.status, row.attempts, row.last_error) == (
        OutboxStatus.FAILED,
        1,
        "account_inactive",
    )
    request = _request(container)
    assert (request.reminder_count, request.next_reminder_at) == (0, None)
    # The decision makers still hear, after 48 hours, that the feedback is missing.
    late = [c for c in _posts_to(fake_slack, ("U_HR", "U_HM")) if "Late" in _text(c)]
    assert sorted(c.params["channel"] for c in late) == ["U_HM", "U_HR"]


def test_a_rate_limited_request_is_delivered_once_after_retry_after(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    hiring_world(container, interviewers=("U_ENG1",))
    clock.at = REVIEW_END + timedelta(minutes=5)
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=2)

    assert container.feedback.send_due_requests() == 1
    assert _delivered(_posts_to(fake_slack, INTERVIEWER_DM)) == []
    clock.advance(seconds=1)
    assert container.outbox.deliver_due().sent == 0  # not before Slack's Retry-After
    clock.advance(seconds=1)
    assert container.outbox.deliver_due().sent == 1
    _run_the_worker(container, clock, hours=2)

    assert len(_posts_to(fake_slack, INTERVIEWER_DM)) == 2
    [dm] = _delivered(_posts_to(fake_slack, INTERVIEWER_DM))
    row = _outbox_row(container, request_key(_request(container).id))
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)
    assert (row.slack_channel, row.slack_ts) == (dm.response["channel"], dm.response["ts"])


def test_a_request_answered_twice_by_a_server_error_is_delivered_once(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    hiring_world(container, interviewers=("U_ENG1",))
    clock.at = REVIEW_END + timedelta(minutes=5)
    fake_slack.fail_next("chat.postMessage", status=500, count=2)

    assert container.feedback.send_due_requests() == 1
    for _ in range(3):
        clock.advance(minutes=5)
        container.feedback.send_due_requests()
        container.outbox.deliver_due()

    assert [c.ok for c in _posts_to(fake_slack, INTERVIEWER_DM)] == [False, False, True]
    row = _outbox_row(container, request_key(_request(container).id))
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 3)
    # The reminder later goes in the thread of that one DM.
    clock.at = REVIEW_END + timedelta(hours=4)
    container.feedback.send_due_reminders()
    container.outbox.deliver_due()
    [dm] = [c for c in _delivered(_posts_to(fake_slack, INTERVIEWER_DM)) if "Please" in _text(c)]
    [reminder] = [c for c in fake_slack.calls("chat.postMessage") if c.params.get("thread_ts")]
    assert (reminder.params["channel"], reminder.params["thread_ts"]) == (
        dm.response["channel"],
        dm.response["ts"],
    )
    assert reminder.params["reply_broadcast"] in (True, "true", "1")


def test_a_card_that_failed_for_the_hiring_manager_reaches_them_later_and_only_them(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = hiring_world(container)
    clock.at = REVIEW_END + timedelta(minutes=30)
    submit_directly(container, "U_ENG1", world.interview_id)
    submit_directly(container, "U_ENG2", world.interview_id)
    refused: list[str] = []

    def hiring_manager_refused_once(call: RecordedCall) -> dict[str, Any]:
        if call.params.get("channel") == "U_HM" and not refused:
            refused.append("U_HM")
            return {"ok": False, "error": "service_unavailable"}
        return fake_slack._chat_post_message(call.params)

    fake_slack.set_response("chat.postMessage", hiring_manager_refused_once)
    try:
        assert container.decisions.send_decision_requests() == 1
        assert refused == ["U_HM"]
        assert (
            _outbox_row(container, card_key(world.interview_id, "U_HR")).status == OutboxStatus.SENT
        )
        assert (
            _outbox_row(container, card_key(world.interview_id, "U_HM")).status
            == OutboxStatus.PENDING
        )
        _run_the_worker(container, clock, hours=3)
    finally:
        fake_slack.set_response("chat.postMessage", None)

    cards = [c for c in fake_slack.calls("chat.postMessage") if "Decision" in _text(c)]
    assert [c.params["channel"] for c in cards] == ["U_HR", "U_HM", "U_HM"]
    assert [c.ok for c in cards] == [True, False, True]
    for recipient in ("U_HR", "U_HM"):
        row = _outbox_row(container, card_key(world.interview_id, recipient))
        assert row.status == OutboxStatus.SENT, recipient


def test_two_workers_running_the_request_job_at_once_send_each_request_once(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    hiring_world(container, interviewers=("U_ENG1", "U_ENG2", "U_ENG3"))
    clock.at = REVIEW_END + timedelta(minutes=10)
    enqueued: list[int] = []
    at_once(lambda: enqueued.append(container.feedback.send_due_requests()))
    at_once(container.outbox.deliver_due)

    assert sum(enqueued) == 3
    for slack_id in ("U_ENG1", "U_ENG2", "U_ENG3"):
        [dm] = _posts_to(fake_slack, (slack_id,))
        assert dm.ok
    with container.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage)).all()
    assert (
        sorted((r.kind, r.status, r.attempts) for r in rows)
        == [("feedback_request", OutboxStatus.SENT, 1)] * 3
    )
