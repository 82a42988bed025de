"""Reminders in the interviewer's working hours, and one escalation after 48 hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.container import Container
from models import FeedbackRequest
from tests.clock import FixedClock
from tests.e2e.feedback_world import (
    at_once,
    dms_to,
    hiring_world,
    submit_scorecard,
    thread_replies,
)
from tests.fakes.slack_api import FakeSlackAPI

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
# Tuesday 24 Nov 2026, 15:30-17:00 UTC: 16:30-18:00 in Paris, 10:30-12:00 in New York.
LATE_START = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
LATE_END = LATE_START + timedelta(minutes=90)


def _run_every(
    container: Container,
    fake: FakeSlackAPI,
    clock: FixedClock,
    until: datetime,
    step: timedelta,
) -> dict[str, list[datetime]]:
    """Run both jobs, and the outbox job, on a schedule; returns when each message went out, by
    kind and channel."""
    sent: dict[str, list[datetime]] = {}
    while clock.at <= until:
        before = len(fake.calls("chat.postMessage"))
        container.feedback.send_due_requests()
        container.feedback.send_due_reminders()
        container.outbox.deliver_due()
        for call in fake.calls("chat.postMessage")[before:]:
            sent.setdefault(_label(call.params), []).append(clock.at)
        clock.at += step
    return sent


def _label(params: dict[str, object]) -> str:
    channel = str(params["channel"])
    if params.get("thread_ts"):
        return f"reminder:{channel}"
    if "Late feedback" in str(params.get("text")):
        return f"escalation:{channel}"
    return f"request:{channel}"


def test_reminders_come_at_the_stated_times_and_never_at_night_in_each_time_zone(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    hiring_world(
        container,
        timezones={"U_ENG2": "America/New_York"},
        start=LATE_START,
    )
    clock.at = LATE_END
    sent = _run_every(
        container, fake_slack, clock, LATE_END + timedelta(hours=72), timedelta(minutes=5)
    )

    assert sent["request:U_ENG1"] == [LATE_END + timedelta(minutes=5)]
    assert sent["request:U_ENG2"] == [LATE_END + timedelta(minutes=5)]
    # Paris: 4 h after the end is 22:00 there, so the first reminder waits for Wednesday 09:00,
    # then Thursday and Friday mornings.
    assert sent["reminder:DU_ENG1"] == [
        datetime(2026, 11, 25, 8, 0, tzinfo=UTC),
        datetime(2026, 11, 26, 8, 0, tzinfo=UTC),
        datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
    ]
    # New York: 4 h after the end is 16:00 there, inside the day; then the next mornings at 09:00.
    assert sent["reminder:DU_ENG2"] == [
        LATE_END + timedelta(hours=4),
        datetime(2026, 11, 25, 14, 0, tzinfo=UTC),
        datetime(2026, 11, 26, 14, 0, tzinfo=UTC),
    ]
    for channel, zone in (("DU_ENG1", PARIS), ("DU_ENG2", NEW_YORK)):
        for moment in sent[f"reminder:{channel}"]:
            local = moment.astimezone(zone)
            assert local.weekday() < 5 and 9 <= local.hour < 18, (channel, local)
    # Escalation: 48 h after the end is Thursday 17:00 UTC, 18:00 in Paris (the company's zone),
    # after hours, so it goes out on Friday morning, once, to the recruiter and hiring manager.
    friday_morning = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    assert sent["escalation:U_HR"] == [friday_morning]
    assert sent["escalation:U_HM"] == [friday_morning]
    [escalation] = dms_to(fake_slack, "U_HR")[-1:]
    assert "<@U_ENG1>" in str(escalation.params["blocks"])
    assert "<@U_ENG2>" in str(escalation.params["blocks"])


def test_reminders_are_threaded_under_the_request(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = hiring_world(container, interviewers=("U_ENG1",))
    clock.at = datetime(2026, 11, 24, 10, 35, tzinfo=UTC)
    container.feedback.send_due_requests()
    [request] = dms_to(fake_slack, "U_ENG1")
    clock.at = datetime(2026, 11, 24, 14, 30, tzinfo=UTC)  # 4 h after 10:30, 15:30 in Paris
    container.feedback.send_due_reminders()
    container.feedback.send_due_reminders()
    [reminder] = thread_replies(fake_slack)
    assert reminder.params["channel"] == request.response["channel"]
    assert reminder.params["thread_ts"] == request.response["ts"]
    assert reminder.params["text"].startswith("Reminder")
    assert f'"value": "{world.interview_id}"' in str(reminder.params["blocks"]).replace("'", '"')
    with container.unit_of_work() as uow:
        row = uow.session.scalars(select(FeedbackRequest)).one()
    assert row.reminder_count == 1
    assert row.last_reminded_at == clock.at
    assert row.next_reminder_at == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def test_a_reminder_due_while_the_worker_was_down_waits_for_the_morning(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    hiring_world(container, interviewers=("U_ENG1",))
    clock.at = datetime(2026, 11, 24, 10, 35, tzinfo=UTC)
    container.feedback.send_due_requests()
    clock.at = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)  # back up at midnight in Paris
    container.feedback.send_due_reminders()
    assert thread_replies(fake_slack) == []
    clock.at = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    container.feedback.send_due_reminders()
    assert len(thread_replies(fake_slack)) == 1


def test_nothing_is_sent_once_the_feedback_is_in(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    world = hiring_world(container)
    clock.at = datetime(2026, 11, 24, 10, 35, tzinfo=UTC)
    container.feedback.send_due_requests()
    clock.at = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    submit_scorecard(bot_url, "U_ENG1", world.interview_id)
    fake_slack.wait_for("chat.update")
    sent = _run_every(
        container, fake_slack, clock, clock.at + timedelta(hours=72), timedelta(minutes=15)
    )
    assert "reminder:DU_ENG1" not in sent
    assert len(sent["reminder:DU_ENG2"]) == 3
    escalations = [call for call in dms_to(fake_slack, "U_HR") if "Late" in call.params["text"]]
    [escalation] = escalations
    assert "<@U_ENG2>" in str(escalation.params["blocks"])
    assert "<@U_ENG1>" not in str(escalation.params["blocks"])


def test_the_escalation_comes_after_48_hours_once(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    hiring_world(container, interviewers=("U_ENG1",))
    ended = datetime(2026, 11, 24, 10, 30, tzinfo=UTC)
    clock.at = ended + timedelta(minutes=5)
    container.feedback.send_due_requests()
    clock.at = ended + timedelta(hours=47, minutes=59)
    container.feedback.send_due_reminders()
    assert [c for c in dms_to(fake_slack, "U_HR") if "Late" in c.params["text"]] == []
    clock.at = ended + timedelta(hours=48)
    container.feedback.send_due_reminders()
    container.feedback.send_due_reminders()
    clock.advance(days=1)
    container.feedback.send_due_reminders()
    for who in ("U_HR", "U_HM"):
        assert len([c for c in dms_to(fake_slack, who) if "Late" in c.params["text"]]) == 1
    with container.unit_of_work() as uow:
        row = uow.session.scalars(select(FeedbackRequest)).one()
    assert row.escalated_at == ended + timedelta(hours=48)


def test_two_workers_remind_once(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    hiring_world(container)
    clock.at = datetime(2026, 11, 24, 10, 35, tzinfo=UTC)
    container.feedback.send_due_requests()
    clock.at = datetime(2026, 11, 24, 14, 30, tzinfo=UTC)
    at_once(lambda: container.feedback.send_due_reminders())
    assert sorted(call.params["channel"] for call in thread_replies(fake_slack)) == [
        "DU_ENG1",
        "DU_ENG2",
    ]
    clock.at = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)  # 48 h later: one escalation each
    at_once(lambda: container.feedback.send_due_reminders())
    late = [c for c in fake_slack.calls("chat.postMessage") if "Late" in c.params["text"]]
    assert sorted(call.params["channel"] for call in late) == ["U_HM", "U_HR"]
