"""Scheduling against Google Calendar: the real client, a service-account key, a fake server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.container import Container
from calendars.google import GoogleCalendarProvider
from models import Interview
from tests.clock import FixedClock
from tests.conftest import make_settings, prepared_container, serve_bot
from tests.e2e.scheduling_helpers import (
    FRI,
    WED,
    click,
    proposal_buttons,
    proposals_in,
    schedule_values,
    seed_people,
    stage_id,
    submit,
)
from tests.fakes.google_calendar import FakeGoogleCalendar, write_service_account_key
from tests.fakes.slack_api import FakeSlackAPI

ORGANIZER = "recruiting@example.com"
EVENTS = f"/calendar/v3/calendars/{ORGANIZER}/events"


@pytest.fixture
def google() -> Iterator[FakeGoogleCalendar]:
    with FakeGoogleCalendar() as fake:
        yield fake


@pytest.fixture
def google_container(
    database_url: str,
    fake_slack: FakeSlackAPI,
    google: FakeGoogleCalendar,
    clock: FixedClock,
    tmp_path: Path,
) -> Iterator[Container]:
    key_file = tmp_path / "service-account.json"
    write_service_account_key(key_file, google.token_uri)
    settings = make_settings(
        database_url,
        fake_slack.url,
        calendar_backend=None,
        google_service_account_file=str(key_file),
        google_organizer_email=ORGANIZER,
        google_calendar_api_url=google.url,
    )
    with prepared_container(settings, clock) as container:
        yield container


def test_google_answering_429_twice_still_books_once_with_a_meet_link(
    google_container: Container, google: FakeGoogleCalendar, fake_slack: FakeSlackAPI
) -> None:
    container = google_container
    assert isinstance(container.calendar, GoogleCalendarProvider)
    seed_people(container)
    google.add_busy(
        "u_hr@example.com",
        datetime(2026, 11, 25, 8, tzinfo=UTC),
        datetime(2026, 11, 25, 11, tzinfo=UTC),
    )
    with serve_bot(container) as bot_url:
        submit(bot_url, schedule_values(stage_id(container, "hr-screening"), ["U_HR"], WED, FRI))
        buttons = proposal_buttons(proposals_in(fake_slack, "V_SCHED"))
        first = json.loads(str(buttons[0]["value"]))
        assert first["starts"] == {"1": "2026-11-25T11:15:00+00:00"}
        google.fail_next(2, 429, reason="rateLimitExceeded", path_contains=EVENTS, method="POST")
        click(bot_url, "book_slot", str(buttons[0]["value"]))
        click(bot_url, "book_slot", str(buttons[0]["value"]))
        fake_slack.wait_for("chat.postMessage", count=2, timeout=30)
    inserts = google.requests_to(EVENTS, "POST")
    assert len(inserts) == 3  # two rate-limited answers, then the booking
    assert inserts[-1].query["sendUpdates"] == "all"
    assert inserts[-1].query["conferenceDataVersion"] == "1"
    assert all(r.authorization for r in inserts)
    events = google.events(ORGANIZER)
    assert len(events) == 1
    event = events[0]
    assert {a["email"] for a in event["attendees"]} == {"u_hr@example.com", "ada@example.com"}
    assert event["hangoutLink"].startswith("https://meet.google.com/")
    with container.unit_of_work() as uow:
        interview = uow.session.scalars(select(Interview)).one()
        assert interview.events[0].calendar_event_id == event["id"]
        assert interview.events[0].video_link == event["hangoutLink"]

    fake_slack.clear()
    google.set_response_status(event["id"], "ada@example.com", "declined")
    notices = container.calendar_sync.follow_calendar()
    assert [n.change.kind for n in notices] == ["declined"]
    dm = fake_slack.wait_for("chat.postMessage")[0].params
    assert dm["channel"] == "U_ADMIN" and "ada@example.com declined" in dm["text"]


def test_a_failed_booking_tells_the_user_and_keeps_the_request_to_retry(
    google_container: Container, google: FakeGoogleCalendar, fake_slack: FakeSlackAPI
) -> None:
    container = google_container
    seed_people(container)
    with serve_bot(container) as bot_url:
        submit(bot_url, schedule_values(stage_id(container, "hr-screening"), ["U_HR"], WED, FRI))
        value = str(proposal_buttons(proposals_in(fake_slack, "V_SCHED"))[0]["value"])
        google.fail_next(1, 400, reason="badRequest", path_contains=EVENTS, method="POST")
        click(bot_url, "book_slot", value)
        failed = fake_slack.wait_for(
            "views.update",
            timeout=30,
            where=lambda c: c.params["view"]["title"]["text"] == "Booking failed",
        )[0]
        retry = [
            e
            for b in failed.params["view"]["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
        ][0]
        assert retry["value"] == value
        assert google.events(ORGANIZER) == []
        click(bot_url, "book_slot", retry["value"])  # Google answers again: "Try again" books
        fake_slack.wait_for("chat.postMessage", count=2, timeout=30)
    assert len(google.events(ORGANIZER)) == 1
