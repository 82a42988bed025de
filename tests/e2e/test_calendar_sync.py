"""The calendar sync job: declines, moves and deletions made outside the bot reach the scheduler."""

from __future__ import annotations

import json
import time
from datetime import timedelta

from sqlalchemy import select

from bot.app.scheduler import build_scheduler
from bot.container import Container
from calendars.local import LocalCalendarProvider
from models import AuditEntry, CalendarSyncState, Interview, InterviewStatus, TeamRole
from tests import builders
from tests.e2e.scheduling_helpers import book_hr_screening, click
from tests.fakes.slack_api import FakeSlackAPI


def _local(container: Container) -> LocalCalendarProvider:
    assert isinstance(container.calendar, LocalCalendarProvider)
    return container.calendar


def _booked(bot_url: str, fake_slack: FakeSlackAPI, container: Container) -> tuple[int, str]:
    interview_id = int(book_hr_screening(bot_url, fake_slack, container))
    with container.unit_of_work() as uow:
        builders.person(uow.session, "U_HR2", "Henri HR", TeamRole.RECRUITER, pools=("recruiters",))
        uow.commit()
        interview = uow.session.get(Interview, interview_id)
        assert interview is not None
        event_id = interview.events[0].calendar_event_id
    container.calendar_sync.follow_calendar()  # the bot's own booking is not news
    fake_slack.clear()
    return interview_id, event_id


def test_a_decline_reaches_the_scheduler_with_a_free_replacement(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    interview_id, event_id = _booked(bot_url, fake_slack, container)
    _local(container).respond(event_id, "u_hr@example.com", "declined")
    notices = container.calendar_sync.follow_calendar()
    assert [n.change.kind for n in notices] == ["declined"]
    dm = fake_slack.wait_for("chat.postMessage")[0].params
    assert dm["channel"] == "U_ADMIN"
    assert "<@U_HR> declined" in dm["text"].replace("*", "")
    buttons = [e for b in dm["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons[0]["action_id"] == "reschedule_interview"
    replace = next(b for b in buttons if b["action_id"].startswith("replace_interviewer_"))
    assert json.loads(replace["value"])["slack_id"] == "U_HR2"
    assert container.calendar_sync.follow_calendar() == []  # told once

    fake_slack.clear()
    click(
        bot_url,
        replace["action_id"],
        replace["value"],
        container="message",
        message={"ts": "1.2"},
        channel_id="DU_ADMIN",
        response_url=fake_slack.response_url(),
    )
    fake_slack.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == "U_HR2")
    event = next(e for e in _local(container).list_changes(None).events if e.event_id == event_id)
    assert {a.email for a in event.attendees} == {"u_hr2@example.com", "ada@example.com"}
    with container.unit_of_work() as uow:
        actions = list(uow.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["interview.booked", "interview.declined", "interview.interviewer_replaced"]


def test_a_move_in_the_calendar_is_followed_and_reported(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    interview_id, event_id = _booked(bot_url, fake_slack, container)
    with container.unit_of_work() as uow:
        interview = uow.session.get(Interview, interview_id)
        assert interview is not None
        new_start = interview.starts_at + timedelta(days=1)
    _local(container).update_event(event_id, start=new_start, end=new_start + timedelta(minutes=30))
    notices = container.calendar_sync.follow_calendar()
    assert [n.change.kind for n in notices] == ["moved"]
    with container.unit_of_work() as uow:
        interview = uow.session.get(Interview, interview_id)
        assert interview is not None and interview.starts_at == new_start
    assert "moved in the calendar" in fake_slack.wait_for("chat.postMessage")[0].params["text"]
    assert fake_slack.wait_for("chat.update")[0].params["text"].startswith("Booked")


def test_a_deletion_in_the_calendar_cancels_the_interview(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    interview_id, event_id = _booked(bot_url, fake_slack, container)
    _local(container).cancel_event(event_id)
    assert [n.change.kind for n in container.calendar_sync.follow_calendar()] == ["deleted"]
    with container.unit_of_work() as uow:
        interview = uow.session.get(Interview, interview_id)
        assert interview is not None and interview.status == InterviewStatus.CANCELLED
    channels = {c.params["channel"] for c in fake_slack.wait_for("chat.postMessage", count=2)}
    assert channels == {"U_ADMIN", "U_HR"}


def test_an_expired_sync_token_means_a_full_read_that_reports_nothing_twice(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    _, event_id = _booked(bot_url, fake_slack, container)
    _local(container).respond(event_id, "u_hr@example.com", "declined")
    with container.unit_of_work() as uow:
        state = uow.session.get(CalendarSyncState, "organizer")
        assert state is not None
        state.sync_token = "expired-token"
        uow.commit()
    assert [n.change.kind for n in container.calendar_sync.follow_calendar()] == ["declined"]
    with container.unit_of_work() as uow:
        state = uow.session.get(CalendarSyncState, "organizer")
        assert state is not None and state.sync_token != "expired-token"
    assert container.calendar_sync.follow_calendar() == []


def test_the_real_scheduler_runs_the_sync_at_start_up(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    _, event_id = _booked(bot_url, fake_slack, container)
    _local(container).respond(event_id, "u_hr@example.com", "declined")
    scheduler = build_scheduler(container)
    scheduler.start()
    try:
        dm = fake_slack.wait_for("chat.postMessage", timeout=15)[0].params
    finally:
        scheduler.shutdown(wait=True)
    assert dm["channel"] == "U_ADMIN" and "declined" in dm["text"]
    time.sleep(0.1)
    assert len(fake_slack.calls("chat.postMessage")) == 1
