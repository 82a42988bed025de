"""Bookings under faults: the database failing mid-way, a process killed after the calendar wrote.

The faults are injected at the edges: a statement the database driver refuses (an engine event
that raises OperationalError, as a database that went away does), a Google Calendar server that
keeps its answer after storing an event while the booking process is killed with SIGKILL.
Every modal ends on a result or a "Try again"; trying again books once; the reconciler finishes
what a dead process left pending, so no calendar event exists that the database does not know.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.exc import OperationalError

from bot.container import Container
from models import AuditEntry, Interview, InterviewEvent, InterviewStatus, SchedulingRequest
from models.local_calendar import LocalCalendarEvent
from tests.clock import FixedClock
from tests.conftest import BOT_TOKEN, SIGNING_SECRET, make_settings, prepared_container, serve_bot
from tests.e2e.scheduling_helpers import (
    FRI,
    WED,
    book_hr_screening,
    click,
    click_on_confirmation,
    proposal_buttons,
    proposals_in,
    propose_hr_screening,
    schedule_values,
    seed_people,
    stage_id,
    submit,
)
from tests.fakes.google_calendar import FakeGoogleCalendar, write_service_account_key
from tests.fakes.slack_api import FakeSlackAPI, RecordedCall
from tests.fakes.slack_requests import datepicker, view_submission

PROJECT = Path(__file__).resolve().parents[2]
ORGANIZER = "recruiting@example.com"
EVENTS = f"/calendar/v3/calendars/{ORGANIZER}/events"


@contextmanager
def database_fails(engine: Engine, statement_start: str, times: int = 1) -> Iterator[list[str]]:
    """The next `times` statements starting with `statement_start` fail as a database that went
    away fails; yields the statements refused."""
    refused: list[str] = []

    def refuse(
        conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool
    ) -> None:
        if len(refused) < times and statement.lstrip().upper().startswith(statement_start):
            refused.append(statement)
            raise OperationalError(
                statement, params, ConnectionError("server closed the connection")
            )

    event.listen(engine, "before_cursor_execute", refuse)
    try:
        yield refused
    finally:
        event.remove(engine, "before_cursor_execute", refuse)


def _view_titled(fake_slack: FakeSlackAPI, view_id: str, title: str) -> dict[str, Any]:
    call = fake_slack.wait_for(
        "views.update",
        timeout=15,
        where=lambda c: (
            c.params.get("view_id") == view_id and c.params["view"]["title"]["text"] == title
        ),
    )[0]
    view: dict[str, Any] = call.params["view"]
    return view


def _try_again(view: dict[str, Any]) -> dict[str, Any]:
    buttons = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["text"]["text"] for b in buttons] == ["Try again"]
    return buttons[0]


def _count(container: Container, model: type) -> int:
    with container.unit_of_work() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def _posts_to(fake_slack: FakeSlackAPI, channel: str) -> list[RecordedCall]:
    return [c for c in fake_slack.calls("chat.postMessage") if c.params["channel"] == channel]


def _live_events_inviting(container: Container, email: str) -> list[LocalCalendarEvent]:
    with container.unit_of_work() as uow:
        rows = uow.session.scalars(select(LocalCalendarEvent)).all()
        return [
            row
            for row in rows
            if row.status != "cancelled" and email in {a.email for a in row.attendees}
        ]


def test_a_database_error_before_the_calendar_ends_on_try_again_which_books_once(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    value = str(propose_hr_screening(bot_url, fake_slack, container)[0]["value"])
    with database_fails(container.engine, "INSERT INTO INTERVIEWS") as refused:
        click(bot_url, "book_slot", value)
        failed = _view_titled(fake_slack, "V_SCHED", "Booking failed")
    assert len(refused) == 1
    retry = _try_again(failed)
    assert (retry["action_id"], retry["value"]) == ("book_slot", value)
    assert _count(container, Interview) == 0
    assert _live_events_inviting(container, "ada@example.com") == []

    click(bot_url, "book_slot", retry["value"])
    _view_titled(fake_slack, "V_SCHED", "Interview booked")
    fake_slack.wait_for("chat.postMessage", count=2, timeout=10)
    time.sleep(0.3)
    assert len(_posts_to(fake_slack, "U_HR")) == 1
    assert len(_posts_to(fake_slack, "U_ADMIN")) == 1
    assert _count(container, Interview) == 1
    assert len(_live_events_inviting(container, "ada@example.com")) == 1


def test_a_database_error_after_the_calendar_wrote_ends_on_try_again_which_books_once(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    seed_people(container)
    values = schedule_values(stage_id(container, "onsite"), ["U_HR", "U_HEAD", "U_CTO"], WED, FRI)
    submit(bot_url, values)
    value = str(proposal_buttons(proposals_in(fake_slack, "V_SCHED"))[0]["value"])
    with database_fails(container.engine, "UPDATE INTERVIEWS SET STATUS") as refused:
        click(bot_url, "book_slot", value)
        failed = _view_titled(fake_slack, "V_SCHED", "Booking failed")
    assert len(refused) == 1
    # The calendar has the three events, and the database knows them: the booking is pending.
    with container.unit_of_work() as uow:
        interview = uow.session.scalars(select(Interview)).one()
        assert interview.status == InterviewStatus.PENDING
        known = {e.calendar_event_id for e in interview.events}
    written = _live_events_inviting(container, "ada@example.com")
    assert {e.event_id for e in written} == known and len(known) == 3
    assert fake_slack.calls("chat.postMessage") == []

    click(bot_url, "book_slot", _try_again(failed)["value"])
    _view_titled(fake_slack, "V_SCHED", "Interview booked")
    fake_slack.wait_for("chat.postMessage", count=4, timeout=10)
    time.sleep(0.3)
    assert sorted(c.params["channel"] for c in fake_slack.calls("chat.postMessage")) == [
        "U_ADMIN",
        "U_CTO",
        "U_HEAD",
        "U_HR",
    ]
    with container.unit_of_work() as uow:
        interview = uow.session.scalars(select(Interview)).one()
        assert interview.status == InterviewStatus.SCHEDULED
        assert {e.calendar_event_id for e in interview.events} == known
    assert _count(container, InterviewEvent) == 3
    invited = _live_events_inviting(container, "ada@example.com")
    assert sorted(e.event_id for e in invited) == sorted(known)  # one event per session


def test_a_booking_nobody_retried_is_finished_by_the_reconciler_once(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container, clock: FixedClock
) -> None:
    value = str(propose_hr_screening(bot_url, fake_slack, container)[0]["value"])
    with database_fails(container.engine, "UPDATE INTERVIEWS SET STATUS"):
        click(bot_url, "book_slot", value)
        _view_titled(fake_slack, "V_SCHED", "Booking failed")
    assert container.scheduling.reconcile_pending_bookings() == []  # the grace period
    clock.advance(minutes=3)

    done = container.scheduling.reconcile_pending_bookings()
    container.outbox.deliver_due()

    assert len(done) == 1
    assert len(_posts_to(fake_slack, "U_HR")) == 1
    confirmation = _posts_to(fake_slack, "U_ADMIN")
    assert len(confirmation) == 1 and "interrupted" in json.dumps(confirmation[0].params["blocks"])
    with container.unit_of_work() as uow:
        interview = uow.session.scalars(select(Interview)).one()
        request = uow.session.scalars(select(SchedulingRequest)).one()
        assert (interview.status, request.status) == ("scheduled", "booked")
    click(bot_url, "book_slot", value)  # the old "Try again" now shows the booking
    _view_titled(fake_slack, "V_SCHED", "Interview booked")
    clock.advance(minutes=3)
    assert container.scheduling.reconcile_pending_bookings() == []
    container.outbox.deliver_due()
    assert len(fake_slack.calls("chat.postMessage")) == 2
    assert len(_live_events_inviting(container, "ada@example.com")) == 1


def test_a_database_error_while_proposing_ends_on_try_again(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    seed_people(container)
    values = schedule_values(stage_id(container, "hr-screening"), ["U_HR"], WED, FRI)
    with database_fails(container.engine, "UPDATE SCHEDULING_REQUESTS"):
        submit(bot_url, values)
        failed = _view_titled(fake_slack, "V_SCHED", "Search failed")
    retry = _try_again(failed)
    assert retry["action_id"] == "search_again"
    click(bot_url, "search_again", retry["value"])
    assert proposal_buttons(proposals_in(fake_slack, "V_SCHED"))


@pytest.mark.parametrize(
    ("failing", "moved_before_the_retry"),
    [
        ("UPDATE INTERVIEWS SET UID", False),  # recording the move as pending
        ("UPDATE INTERVIEWS SET STATUS", True),  # marking it moved, after the calendar
    ],
)
def test_a_database_error_while_moving_ends_on_try_again_which_moves_once(
    bot_url: str,
    fake_slack: FakeSlackAPI,
    container: Container,
    failing: str,
    moved_before_the_retry: bool,
) -> None:
    interview_id = book_hr_screening(bot_url, fake_slack, container)
    click_on_confirmation(
        bot_url, fake_slack, "reschedule_interview", interview_id, trigger_id="trig-re"
    )
    modal = fake_slack.wait_for("views.open", timeout=10)[0].params
    values = {
        "earliest": {"earliest": datepicker(date(2026, 11, 30))},
        "latest": {"latest": datepicker(date(2026, 12, 2))},
    }
    view_submission(
        "reschedule_interview",
        values,
        user_id="U_ADMIN",
        view_id="V_RE",
        private_metadata=modal["view"]["private_metadata"],
    ).post(bot_url, SIGNING_SECRET)
    value = str(proposal_buttons(proposals_in(fake_slack, "V_RE"))[0]["value"])
    with database_fails(container.engine, failing) as refused:
        click(bot_url, "book_slot", value, view_id="V_RE")
        failed = _view_titled(fake_slack, "V_RE", "Booking failed")
    assert len(refused) == 1
    with container.unit_of_work() as uow:
        interview = uow.session.get(Interview, int(interview_id))
        assert interview is not None
        event_id = interview.events[0].calendar_event_id
        expected = (InterviewStatus.PENDING, date(2026, 11, 30))
        if not moved_before_the_retry:
            expected = (InterviewStatus.SCHEDULED, date(2026, 11, 25))
        assert (interview.status, interview.starts_at.date()) == expected
    [in_calendar] = [
        e for e in container.calendar.list_changes(None).events if e.event_id == event_id
    ]
    assert in_calendar.start.date() == expected[1]  # the database knows where the event is

    click(bot_url, "book_slot", _try_again(failed)["value"], view_id="V_RE")
    _view_titled(fake_slack, "V_RE", "Interview booked")
    fake_slack.wait_for("chat.update", timeout=10)
    time.sleep(0.3)
    moved = [c for c in _posts_to(fake_slack, "U_HR") if c.params["text"].startswith("Moved")]
    assert len(moved) == 1
    with container.unit_of_work() as uow:
        interview = uow.session.get(Interview, int(interview_id))
        assert interview is not None and interview.status == InterviewStatus.SCHEDULED
        assert interview.starts_at.date() == date(2026, 11, 30)
    [in_calendar] = [
        e for e in container.calendar.list_changes(None).events if e.event_id == event_id
    ]
    assert in_calendar.start.date() == date(2026, 11, 30)


def test_a_database_error_while_cancelling_ends_on_try_again_which_cancels_once(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container
) -> None:
    interview_id = book_hr_screening(bot_url, fake_slack, container)
    with database_fails(container.engine, "UPDATE INTERVIEWS SET STATUS"):
        click(bot_url, "cancel_interview", interview_id, view_id="V_OPEN")
        failed = _view_titled(fake_slack, "V_OPEN", "Cancel failed")
    retry = _try_again(failed)
    assert (retry["action_id"], retry["value"]) == ("cancel_interview", interview_id)

    click(bot_url, "cancel_interview", retry["value"], view_id="V_OPEN")
    _view_titled(fake_slack, "V_OPEN", "Interview cancelled")
    fake_slack.wait_for("chat.update", timeout=10)
    time.sleep(0.3)
    cancelled = [c for c in _posts_to(fake_slack, "U_HR") if c.params["text"].startswith("Cancel")]
    assert len(cancelled) == 1
    with container.unit_of_work() as uow:
        interview = uow.session.get(Interview, int(interview_id))
        assert interview is not None and interview.status == InterviewStatus.CANCELLED
    assert _live_events_inviting(container, "ada@example.com") == []


# --- a booking process killed (SIGKILL) after the calendar wrote --------------------------------

BOOK_IN_A_CHILD = """
import sys
from datetime import datetime

from bot.app.bootstrap import bootstrap
from bot.settings import load_settings
from models.schemas import ChosenSlot
from tests.clock import FixedClock

container = bootstrap(load_settings(), clock=FixedClock(datetime.fromisoformat(sys.argv[1])))
container.scheduling.book(ChosenSlot.model_validate_json(sys.argv[2]), "U_ADMIN")
print("the booking finished: the test should have killed this process first", flush=True)
"""


@pytest.fixture
def google() -> Iterator[FakeGoogleCalendar]:
    with FakeGoogleCalendar() as fake:
        yield fake


def _google_environment(
    database_url: str, fake_slack: FakeSlackAPI, google: FakeGoogleCalendar, key_file: Path
) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GOOGLE_"))}
    return keep | {
        "PYTHONPATH": str(PROJECT),
        "DATABASE_URL": database_url,
        "SLACK_API_URL": fake_slack.url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "ADMIN_SLACK_IDS": "U_ADMIN",
        "GOOGLE_SERVICE_ACCOUNT_FILE": str(key_file),
        "GOOGLE_ORGANIZER_EMAIL": ORGANIZER,
        "GOOGLE_CALENDAR_API_URL": google.url,
    }


def _wait_until_stored(google: FakeGoogleCalendar, child: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if google.events(ORGANIZER):
            return
        if child.poll() is not None:
            raise AssertionError(f"the booking process ended early: {child.communicate()}")
        time.sleep(0.05)
    raise AssertionError("the booking process never wrote the calendar event")


def test_a_booking_process_killed_after_the_calendar_wrote_is_finished_once_after_a_restart(
    database_url: str,
    fake_slack: FakeSlackAPI,
    google: FakeGoogleCalendar,
    clock: FixedClock,
    tmp_path: Path,
) -> None:
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
        seed_people(container)
        with serve_bot(container) as bot_url:
            submit(
                bot_url, schedule_values(stage_id(container, "hr-screening"), ["U_HR"], WED, FRI)
            )
            value = str(proposal_buttons(proposals_in(fake_slack, "V_SCHED"))[0]["value"])
        # Google stores the event, then keeps its answer: the process is killed while it waits.
        google.delay_next(1, 120, path_contains=EVENTS, method="POST")
        child = subprocess.Popen(
            [sys.executable, "-c", BOOK_IN_A_CHILD, clock.now().isoformat(), value],
            cwd=tmp_path,
            env=_google_environment(database_url, fake_slack, google, key_file),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_stored(google, child)
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=10)
        assert child.returncode == -signal.SIGKILL
        [written] = google.events(ORGANIZER)
        with container.unit_of_work() as uow:
            interview = uow.session.scalars(select(Interview)).one()
            assert interview.status == InterviewStatus.PENDING  # recorded before the calendar
            assert [e.calendar_event_id for e in interview.events] == [written["id"]]
        assert fake_slack.calls("chat.postMessage") == []

    # The restart: a new process (here, a new container) runs the reconciler job.
    clock.advance(minutes=3)
    with prepared_container(settings, clock) as restarted:
        done = restarted.scheduling.reconcile_pending_bookings()
        restarted.outbox.deliver_due()
        clock.advance(minutes=3)
        assert restarted.scheduling.reconcile_pending_bookings() == []
        restarted.outbox.deliver_due()
        with restarted.unit_of_work() as uow:
            interview = uow.session.scalars(select(Interview)).one()
            assert interview.status == InterviewStatus.SCHEDULED
            [known] = interview.events
            assert known.calendar_event_id == written["id"]
            assert known.video_link == written["hangoutLink"]
    assert len(done) == 1
    events = google.events(ORGANIZER)
    assert [(e["id"], e["status"]) for e in events] == [(written["id"], "confirmed")]
    assert {a["email"] for a in events[0]["attendees"]} == {"u_hr@example.com", "ada@example.com"}
    # The reconciler's insert was answered "already exists": no second invitation went out.
    assert google.requests_to(EVENTS, "PATCH") == []
    assert [c.params["channel"] for c in fake_slack.calls("chat.postMessage")] == [
        "U_HR",
        "U_ADMIN",
    ]


def test_two_reconcilers_at_once_finish_a_pending_booking_once(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container, clock: FixedClock
) -> None:
    value = str(propose_hr_screening(bot_url, fake_slack, container)[0]["value"])
    with database_fails(container.engine, "UPDATE INTERVIEWS SET STATUS"):
        click(bot_url, "book_slot", value)
        _view_titled(fake_slack, "V_SCHED", "Booking failed")
    clock.advance(minutes=3)
    start = threading.Barrier(2)
    done: list[object] = []

    def reconcile() -> None:
        start.wait()
        done.extend(container.scheduling.reconcile_pending_bookings())

    workers = [threading.Thread(target=reconcile) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    container.outbox.deliver_due()

    assert len(done) == 1
    assert len(_posts_to(fake_slack, "U_HR")) == 1
    assert len(_posts_to(fake_slack, "U_ADMIN")) == 1
    with container.unit_of_work() as uow:
        actions = [
            a for a in uow.session.scalars(select(AuditEntry.action)) if a == "interview.booked"
        ]
    assert actions == ["interview.booked"]
