"""GoogleCalendarProvider through the real google-api-python-client against the fake server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from google.oauth2.credentials import Credentials
from tenacity import wait_none

from calendars.google import CALENDAR_SCOPE, GoogleCalendarProvider
from calendars.provider import (
    Attendee,
    BusyInterval,
    CalendarError,
    EventRequest,
    SyncTokenExpired,
)
from tests.fakes.google_calendar import FAKE_TOKEN, FakeGoogleCalendar, write_service_account_key

ORGANIZER = "interviews@example.com"
ANA = "ana@example.com"
BEN = "ben@example.com"
CLEO = "cleo@example.com"
T0 = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
EVENTS_PATH = f"/calendar/v3/calendars/{ORGANIZER}/events"


@pytest.fixture
def fake() -> Iterator[FakeGoogleCalendar]:
    with FakeGoogleCalendar() as server:
        yield server


def make_provider(
    fake: FakeGoogleCalendar, *, token: str = FAKE_TOKEN, timeout: float = 5.0
) -> GoogleCalendarProvider:
    credentials = Credentials(token=token)  # type: ignore[no-untyped-call]
    return GoogleCalendarProvider(
        ORGANIZER, credentials, fake.url, timeout=timeout, retry_wait=wait_none()
    )


@pytest.fixture
def provider(fake: FakeGoogleCalendar) -> GoogleCalendarProvider:
    return make_provider(fake)


def interview(
    event_id: str = "booking001",
    *,
    start: datetime = T0,
    attendees: tuple[str, ...] = (ANA, BEN),
    with_video: bool = True,
) -> EventRequest:
    return EventRequest(
        event_id=event_id,
        summary="Interview: Jane Doe (backend)",
        start=start,
        end=start + HOUR,
        attendees=attendees,
        description="Technical interview",
        location="Room 4",
        with_video=with_video,
    )


def inserts(fake: FakeGoogleCalendar) -> int:
    return len(fake.requests_to(EVENTS_PATH, "POST"))


# --- create ---------------------------------------------------------------------------------


def test_create_books_event_with_meet_link_and_attendees(
    fake: FakeGoogleCalendar, provider: GoogleCalendarProvider
) -> None:
    event = provider.create_event(interview())

    assert event.event_id == "booking001"
    assert (event.start, event.end, event.status) == (T0, T0 + HOUR, "confirmed")
    assert event.attendees == (Attendee(ANA), Attendee(BEN))
    assert event.location == "Room 4"
    assert event.video_link is not None
    assert event.video_link.startswith("https://meet.google.com/")
    [insert] = fake.requests_to(EVENTS_PATH, "POST")
    assert insert.query["sendUpdates"] == "all"
    assert insert.query["conferenceDataVersion"] == "1"
    assert insert.authorization == f"Bearer {FAKE_TOKEN}"
    create_request = insert.body["conferenceData"]["createRequest"]
    assert create_request["conferenceSolutionKey"] == {"type": "hangoutsMeet"}
    assert "booking001" in create_request["requestId"]
    [stored] = fake.events(ORGANIZER)
    assert stored["hangoutLink"] == event.video_link
    assert [a["email"] for a in stored["attendees"]] == [ANA, BEN]
    assert [r.path for r in fake.requests] == [EVENTS_PATH]  # no discovery fetch, no token


def test_create_without_video_asks_for_no_conference(
    fake: FakeGoogleCalendar, provider: GoogleCalendarProvider
) -> None:
    event = provider.create_event(interview(with_video=False))

    assert event.video_link is None
    [insert] = fake.requests_to(EVENTS_PATH, "POST")
    assert "conferenceData" not in insert.body


def test_creating_twice_returns_the_existing_event(
    fake: FakeGoogleCalendar, provider: GoogleCalendarProvider
) -> None:
    first = provider.create_event(interview())
    second = provider.create_event(interview())

    assert second == first
    assert len(fake.events(ORGANIZER)) == 1
    assert inserts(fake) == 2  # the second answered 409 ...
    assert len(fake.requests_to(f"{EVENTS_PATH}/booking001", "GET")) == 1  # ... then a GET


def test_insert_that_timed_out_after_booking_is_not_booked_twice(
    fake: FakeGoogleCalendar,
) -> None:
    provider = make_provider(fake, timeout=0.3)
    fake.delay_next(1, 1.0, path_contains=EVENTS_PATH, method="POST")

    event = provider.create_event(interview())

    assert event.event_id == "booking001"
    assert event.video_link is not None
    assert len(fake.events(ORGANIZER)) == 1
    assert inserts(fake) == 2


# --- retries --------------------------------------------------------------------------------


def test_429_twice_then_success_still_books(
    fake: FakeGoogleCalendar, provider: GoogleCalendarProvider
) -> None:
    fake.fail_next(2, 429, path_contains=EVENTS_PATH)

    event = provider.create_event(interview())

    assert event.event_id == "booking001"
    assert inserts(fake) == 3
    assert len(fake.events(ORGANIZER)) == 1


@pytest.mark.parametrize("reason", ["rateLimitExceeded", "userRateLimitExceeded"])
def test_403_rate_limit_is_retried(
    fake: FakeGoogleCalendar, provider: GoogleCalendarProvider, reason: str
) -> None:
    fake.fail_next(1, 403, reason, path_contains=EVENTS_PATH)

    provider.create_event(interview())

    assert inserts(fake) == 2


def test_503_until_attempts_run_out_raises_calendar_error(
    fake: FakeGoogleCalendar, provider: GoogleCalendarProvider
) -> None:
    fake.fail_next(10, 503, path_contains=EVENTS_PATH)

    with pytest.raises(CalendarError, match=r"events\.insert failed after 5 attempts: HTTP 503"):
        provider.create_event(interview())

    assert inserts(fake) == 5
    assert fake.events(ORGANIZER) == []


@pytest.mark.parametrize(("status", "reason"), [(400, "badRequest"), (403, "forbidden")])
def test_client_errors_are_not_retried(
    fake: FakeGoogleCalendar, provider: GoogleCalendarProvider, status: int, reason: str
) -> None:
    fake.fail_next(1, status, reason, path_contains=EVENTS_PATH)

    with pytest.raises(CalendarError, match=f"HTTP {status} \\({reason}\\)"):
        provider.create_event(interview())

    assert inserts(fake) == 1


def test_invalid_event_id_is_rejected_once(
    fake: FakeGoogleCalendar, provider: GoogleCalendarProvider
) -> None:
    with pytest.raises(CalendarError, match="Invalid resource id"):
        provider.create_event(interview("Not_Base32hex!"))

    assert inserts(fake) == 1


def test_dropped_connections_are_retried(
    fake: FakeGoogleCalendar, provider: GoogleCalendarProvider
) -> None:
    # httplib2 silently resends once after a dropped connection; the second drop reaches us.
    fake.drop_next(2, path_contains=EVENTS_PATH, method="POST")

    provider.create_event(interview())

    assert inserts(fake) == 3
    assert len(fake.events(ORGANIZER)) == 1


def test_rejected_token_is_a_calendar_error(fake: FakeGoogleCalendar) -> None:
    provider = make_provider(fake, token="stolen-token")

    with pytest.raises(CalendarError, match="access token"):
        provider.create_event(interview())


# --- free/busy ------------------------------------------------------------------------------


def test_free_busy_is_split_into_50_calendars_and_60_days_and_merged(
    fake: FakeGoogleCalendar, provider: GoogleCalendarProvider
) -> None:
    emails = [f"person{n:03d}@example.com" for n in range(120)]
    start, end = T0, T0 + timedelta(days=100)
    fake.add_busy(emails[0], T0 + timedelta(days=59), T0 + timedelta(days=61))  # across windows
    fake.add_busy(emails[119], T0 - timedelta(days=1), T0 + HOUR)  # starts before the range
    meeting = T0 + timedelta(days=80)
    provider.create_event(interview(start=meeting, attendees=(emails[55], emails[70])))

    busy = provider.free_busy(emails, start, end)

    queries = fake.requests_to("/calendar/v3/freeBusy", "POST")
    assert len(queries) == 6  # 3 groups of calendars x 2 windows
    for query in queries:
        span = datetime.fromisoformat(query.body["timeMax"]) - datetime.fromisoformat(
            query.body["timeMin"]
        )
        assert len(query.body["items"]) <= 50
        assert span <= timedelta(days=60)
    asked = {(q.body["timeMin"], item["id"]) for q in queries for item in q.body["items"]}
    assert len(asked) == 240  # every person in both windows, once

    assert set(busy) == set(emails)
    assert busy[emails[0]] == [BusyInterval(T0 + timedelta(days=59), T0 + timedelta(days=61))]
    assert busy[emails[119]] == [BusyInterval(T0, T0 + HOUR)]
    assert busy[emails[55]] == busy[emails[70]] == [BusyInterval(meeting, meeting + HOUR)]
    assert all(busy[email] == [] for email in emails[1:55])


def test_free_busy_of_unknown_calendar_names_the_email(
    fake: FakeGoogleCalendar, provider: GoogleCalendarProvider
) -> None:
    fake.mark_unknown("ghost@example.com")

    with pytest.raises(CalendarError, match=r"ghost@example\.com.*notFound"):
        provider.free_busy([ANA, "ghost@example.com"], T0, T0 + HOUR)


def test_free_busy_ignores_declined_events(
    fake: FakeGoogleCalendar, provider: GoogleCalendarProvider
) -> None:
    provider.create_event(interview())
    fake.set_response_status("booking001", ANA, "declined")

    busy = provider.free_busy([ANA, BEN], T0 - HOUR, T0 + 2 * HOUR)

    assert busy == {ANA: [], BEN: [BusyInterval(T0, T0 + HOUR)]}


# --- update and cancel ----------------------------------------------------------------------


def test_update_moves_the_event(fake: FakeGoogleCalendar, provider: GoogleCalendarProvider) -> None:
    booked = provider.create_event(interview())
    later = T0 + timedelta(days=1)

    moved = provider.update_event("booking001", start=later, end=later + HOUR)

    assert (moved.start, moved.end) == (later, later + HOUR)
    assert moved.video_link == booked.video_link
    assert moved.attendees == booked.attendees
    [patch] = fake.requests_to(f"{EVENTS_PATH}/booking001", "PATCH")
    assert set(patch.body) == {"start", "end"}
    assert patch.query["sendUpdates"] == "all"
    assert patch.query["conferenceDataVersion"] == "1"
    assert provider.free_busy([ANA], T0, later + HOUR) == {ANA: [BusyInterval(later, later + HOUR)]}


def test_update_attendees_keeps_answers_of_those_who_stay(
    fake: FakeGoogleCalendar, provider: GoogleCalendarProvider
) -> None:
    provider.create_event(interview())
    fake.set_response_status("booking001", ANA, "accepted")

    updated = provider.update_event("booking001", attendees=[ANA, CLEO])

    assert updated.attendees == (Attendee(ANA, "accepted"), Attendee(CLEO))
    assert (updated.start, updated.end) == (T0, T0 + HOUR)


def test_cancelling_twice_is_harmless(
    fake: FakeGoogleCalendar, provider: GoogleCalendarProvider
) -> None:
    provider.create_event(interview())

    provider.cancel_event("booking001")
    provider.cancel_event("booking001")  # Google answers 410 deleted
    provider.cancel_event("neverbooked1")  # Google answers 404

    assert fake.event("booking001")["status"] == "cancelled"
    deletes = fake.requests_to(EVENTS_PATH, "DELETE")
    assert len(deletes) == 3
    assert all(d.query["sendUpdates"] == "all" for d in deletes)


def test_an_erasure_cancels_without_telling_the_attendees(
    fake: FakeGoogleCalendar, provider: GoogleCalendarProvider
) -> None:
    provider.create_event(interview())

    provider.cancel_event("booking001", notify=False)

    assert fake.event("booking001")["status"] == "cancelled"
    (delete,) = fake.requests_to(EVENTS_PATH, "DELETE")
    assert delete.query["sendUpdates"] == "none"


# --- list_changes ---------------------------------------------------------------------------


def test_list_changes_full_then_incremental(
    fake: FakeGoogleCalendar, provider: GoogleCalendarProvider
) -> None:
    fake.max_page_size = 2  # three events come in two pages
    for n in range(1, 4):
        provider.create_event(interview(f"booking00{n}", start=T0 + n * HOUR))

    full = provider.list_changes(None)

    assert [e.event_id for e in full.events] == ["booking001", "booking002", "booking003"]
    assert full.next_sync_token
    first_page, second_page = fake.requests_to(EVENTS_PATH, "GET")
    assert "syncToken" not in first_page.query and "timeMin" not in first_page.query
    assert first_page.query["showDeleted"] == first_page.query["singleEvents"] == "true"
    assert "pageToken" in second_page.query

    fake.set_response_status("booking001", BEN, "declined")
    fake.move("booking002", T0 + 10 * HOUR, T0 + 11 * HOUR)
    provider.cancel_event("booking003")

    changes = provider.list_changes(full.next_sync_token)

    by_id = {e.event_id: e for e in changes.events}
    assert set(by_id) == {"booking001", "booking002", "booking003"}
    assert Attendee(BEN, "declined") in by_id["booking001"].attendees
    assert by_id["booking002"].start == T0 + 10 * HOUR
    assert by_id["booking003"].status == "cancelled"
    assert fake.requests[-1].query["syncToken"] == full.next_sync_token

    assert provider.list_changes(changes.next_sync_token).events == []


def test_expired_sync_token_raises_sync_token_expired(
    fake: FakeGoogleCalendar, provider: GoogleCalendarProvider
) -> None:
    provider.create_event(interview())
    token = provider.list_changes(None).next_sync_token
    fake.invalidate_sync_tokens()

    with pytest.raises(SyncTokenExpired):
        provider.list_changes(token)
    with pytest.raises(SyncTokenExpired):
        provider.list_changes("made-up-token")

    assert len(fake.requests_to(EVENTS_PATH, "GET")) == 3  # 410 is not retried
    assert [e.event_id for e in provider.list_changes(None).events] == ["booking001"]


# --- credentials and threads ----------------------------------------------------------------


def test_service_account_key_file_works_end_to_end(
    fake: FakeGoogleCalendar, tmp_path: Path
) -> None:
    key_file = tmp_path / "service-account.json"
    write_service_account_key(key_file, fake.token_uri)
    provider = GoogleCalendarProvider.from_service_account_file(
        key_file, ORGANIZER, fake.url.rstrip("/"), retry_wait=wait_none()
    )

    provider.create_event(interview())
    provider.free_busy([ANA], T0, T0 + HOUR)

    [claims] = fake.token_claims  # one token, reused
    assert claims["sub"] == ORGANIZER  # domain-wide delegation: acting as the organizer
    assert claims["scope"] == CALENDAR_SCOPE
    assert claims["iss"] == "bot@interview-bot-test.iam.gserviceaccount.com"
    token_request, *calls = fake.requests
    assert token_request.path == "/token"
    assert [r.path for r in calls] == [EVENTS_PATH, "/calendar/v3/freeBusy"]
    assert all(r.authorization == f"Bearer {FAKE_TOKEN}" for r in calls)


def test_provider_can_be_used_from_many_threads(
    fake: FakeGoogleCalendar, provider: GoogleCalendarProvider
) -> None:
    start_together = threading.Barrier(8)

    def book(n: int) -> str:
        start_together.wait()
        event = provider.create_event(interview(f"parallel{n:03d}", start=T0 + n * HOUR))
        provider.free_busy([ANA, BEN], T0, T0 + 10 * HOUR)
        return event.event_id

    with ThreadPoolExecutor(max_workers=8) as pool:
        booked = list(pool.map(book, range(8)))

    assert booked == [f"parallel{n:03d}" for n in range(8)]
    assert len(fake.events(ORGANIZER)) == 8
    assert len(provider.free_busy([ANA], T0, T0 + 10 * HOUR)[ANA]) == 1  # 8 back-to-back hours
