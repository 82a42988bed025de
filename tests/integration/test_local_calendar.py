"""The local calendar provider keeps events in our database and honours the protocol."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from calendars.local import LocalCalendarProvider
from calendars.provider import BusyInterval, CalendarEvent, EventRequest, SyncTokenExpired
from models.database import make_engine, make_session_factory

NINE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def calendar(database_url: str) -> LocalCalendarProvider:
    return LocalCalendarProvider(make_session_factory(make_engine(database_url)))


def _request(event_id: str = "ib0001s1", start: datetime = NINE, **kw: object) -> EventRequest:
    return EventRequest(
        event_id=event_id,
        summary="HR screening: Ada Lovelace",
        start=start,
        end=start + timedelta(minutes=30),
        attendees=("hr@example.com", "ada@example.com"),
        **kw,  # type: ignore[arg-type]
    )


def test_booking_makes_the_attendees_busy(calendar: LocalCalendarProvider) -> None:
    event = calendar.create_event(_request(with_video=True))
    assert event.video_link and event.video_link.startswith("https://meet.jit.si/")
    busy = calendar.free_busy(
        ["hr@example.com", "cto@example.com"], NINE - timedelta(hours=1), NINE + timedelta(hours=1)
    )
    assert busy == {
        "hr@example.com": [BusyInterval(NINE, NINE + timedelta(minutes=30))],
        "cto@example.com": [],
    }


def test_same_event_id_books_once(calendar: LocalCalendarProvider) -> None:
    first = calendar.create_event(_request())
    second = calendar.create_event(_request(start=NINE + timedelta(hours=2)))
    assert second == first
    assert len(calendar.list_changes(None).events) == 1


def test_the_same_event_created_by_eight_requests_at_once_exists_once(
    calendar: LocalCalendarProvider,
) -> None:
    start = threading.Barrier(8)

    def create(minutes_later: int) -> CalendarEvent:
        start.wait(timeout=10)
        return calendar.create_event(_request(start=NINE + timedelta(minutes=minutes_later)))

    with ThreadPoolExecutor(max_workers=8) as pool:
        events = list(pool.map(create, range(8)))
    assert len({(e.event_id, e.start) for e in events}) == 1
    assert len(calendar.list_changes(None).events) == 1


def test_move_cancel_and_changes_since_a_token(calendar: LocalCalendarProvider) -> None:
    calendar.create_event(_request())
    token = calendar.list_changes(None).next_sync_token
    assert calendar.list_changes(token).events == []
    moved = calendar.update_event(
        "ib0001s1", start=NINE + timedelta(days=1), end=NINE + timedelta(days=1, minutes=30)
    )
    assert moved.start == NINE + timedelta(days=1)
    changes = calendar.list_changes(token)
    assert [e.event_id for e in changes.events] == ["ib0001s1"]
    calendar.respond("ib0001s1", "hr@example.com", "declined")
    calendar.cancel_event("ib0001s1")
    calendar.cancel_event("ib0001s1")
    latest = calendar.list_changes(changes.next_sync_token).events
    assert latest[-1].status == "cancelled"
    assert {a.email: a.response_status for a in latest[-1].attendees}[
        "hr@example.com"
    ] == "declined"
    assert calendar.free_busy(["hr@example.com"], NINE, NINE + timedelta(days=2)) == {
        "hr@example.com": []
    }


def test_replacing_an_attendee_keeps_the_others_answers(calendar: LocalCalendarProvider) -> None:
    calendar.create_event(_request())
    calendar.respond("ib0001s1", "ada@example.com", "accepted")
    event = calendar.update_event("ib0001s1", attendees=["eng@example.com", "ada@example.com"])
    assert {a.email: a.response_status for a in event.attendees} == {
        "eng@example.com": "needsAction",
        "ada@example.com": "accepted",
    }


@pytest.mark.parametrize("token", ["garbage", "999999"])
def test_unknown_sync_token_means_read_everything_again(
    calendar: LocalCalendarProvider, token: str
) -> None:
    with pytest.raises(SyncTokenExpired):
        calendar.list_changes(token)
