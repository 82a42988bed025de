"""What a click on a proposed time leads to, through SchedulingService.book, without a database.

The service runs on a fake unit of work and an in-memory calendar; the same flows against the
real databases and calendars are in tests/e2e/test_scheduling_flow.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.scheduling.rules import offered_option
from bot.scheduling.service import (
    AlreadyBooked,
    Booked,
    BookingFailed,
    InProgress,
    SchedulingError,
    SchedulingService,
    SlotTaken,
)
from calendars.provider import CalendarError, CalendarEvent, EventRequest
from models.hiring import (
    InterviewStatus,
    SchedulingRequest,
    SchedulingStatus,
    StageFormat,
    TeamRole,
)
from models.schemas import ChosenSlot
from tests.clock import FixedClock
from tests.fakes.booking_messages import PlainBookingMessages
from tests.fakes.calendar import InMemoryCalendar
from tests.fakes.unit_of_work import FakeUnitOfWork

ZONE = ZoneInfo("Europe/Paris")
MONDAY = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
WEDNESDAY_TEN = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)  # 10:00 in Paris
WINDOW = (datetime(2026, 3, 3, tzinfo=UTC), datetime(2026, 3, 7, tzinfo=UTC))


@dataclass
class Booking:
    uow: FakeUnitOfWork
    calendar: InMemoryCalendar
    clock: FixedClock
    service: SchedulingService
    request: SchedulingRequest
    choice: ChosenSlot


def _booking(sessions: int = 1, status: SchedulingStatus = SchedulingStatus.PROPOSED) -> Booking:
    """A recruiter's request for Ada's technical stage, Grace (and Linus) interviewing."""
    uow, calendar, clock = FakeUnitOfWork(), InMemoryCalendar(), FixedClock(MONDAY)
    data = uow.data
    recruiter = data.person("U_REC", "Rita", TeamRole.RECRUITER)
    panel = [
        data.person("U_GRACE", "Grace", TeamRole.INTERVIEWER),
        data.person("U_LINUS", "Linus", TeamRole.INTERVIEWER),
    ][:sessions]
    role = data.role("Backend engineer", ["Technical"], StageFormat.VIDEO, 45, sessions)
    stage = role.stages[0]
    ada = data.candidate("Ada Lovelace", stage, MONDAY)
    request = data.scheduling_request(
        ada,
        stage,
        recruiter,
        {position: [person] for position, person in enumerate(panel, start=1)},
        WINDOW,
        MONDAY,
        status,
    )
    starts = {
        position: WEDNESDAY_TEN + timedelta(hours=position - 1)
        for position in range(1, sessions + 1)
    }
    return Booking(
        uow,
        calendar,
        clock,
        SchedulingService(uow.new_uow, clock, ZONE, calendar, PlainBookingMessages()),
        request,
        _offered(request, starts),
    )


def _offered(request: SchedulingRequest, starts: dict[int, datetime]) -> ChosenSlot:
    """The bot proposed these starts for the request; the user picks them."""
    request.offered = [offered_option(starts)]
    return ChosenSlot(request_uid=request.uid, starts=starts)


def test_a_booking_creates_one_event_per_session_with_the_candidate_invited() -> None:
    b = _booking(sessions=2)

    outcome = b.service.book(b.choice, "U_REC")

    assert isinstance(outcome, Booked) and not outcome.rescheduled
    events = sorted(b.calendar.live_events(), key=lambda e: e.start)
    assert [(e.start, e.end) for e in events] == [
        (WEDNESDAY_TEN, WEDNESDAY_TEN + timedelta(minutes=45)),
        (WEDNESDAY_TEN + timedelta(hours=1), WEDNESDAY_TEN + timedelta(hours=1, minutes=45)),
    ]
    assert [sorted(a.email for a in e.attendees) for e in events] == [
        ["ada-lovelace@candidates.example.com", "u_grace@example.com"],
        ["ada-lovelace@candidates.example.com", "u_linus@example.com"],
    ]
    assert b.request.status == SchedulingStatus.BOOKED
    interview = b.uow.data.interviews[outcome.summary.interview_id]
    assert b.request.interview_id == interview.id
    assert interview.status == InterviewStatus.SCHEDULED
    assert [e.calendar_event_id for e in interview.events] == [e.event_id for e in events]
    assert outcome.summary.candidate_name == "Ada Lovelace"
    assert outcome.summary.interviewer_slack_ids == ("U_GRACE", "U_LINUS")
    assert outcome.summary.scheduled_by_slack_id == "U_REC"
    assert b.uow.data.audit_actions() == ["interview.booked"]
    assert b.uow.committed == 2  # the claim with the pending booking, then the booking
    assert outcome.message_keys == (
        f"booking-dm:{interview.id}:U_GRACE:booked:{b.request.id}",
        f"booking-dm:{interview.id}:U_LINUS:booked:{b.request.id}",
        f"confirmation:{interview.id}",
    )
    assert sorted(b.uow.outbox.messages) == sorted(outcome.message_keys)
    assert b.uow.outbox.messages[f"confirmation:{interview.id}"].recipient == "U_REC"


def test_a_second_click_on_a_booked_request_answers_already_booked_and_books_nothing() -> None:
    b = _booking()
    first = b.service.book(b.choice, "U_REC")
    committed = b.uow.committed

    second = b.service.book(b.choice, "U_REC")

    assert isinstance(first, Booked)
    assert isinstance(second, AlreadyBooked)
    assert second.summary.interview_id == first.summary.interview_id
    assert len(b.calendar.events) == 1
    assert len(b.uow.data.interviews) == 1
    assert b.uow.data.audit_actions() == ["interview.booked"]
    assert b.uow.committed == committed


def test_a_click_while_another_holds_the_claim_answers_in_progress() -> None:
    b = _booking(status=SchedulingStatus.BOOKING)
    b.request.updated_at = MONDAY - timedelta(seconds=30)

    outcome = b.service.book(b.choice, "U_REC")

    assert outcome == InProgress(b.request.uid)
    assert b.calendar.events == {}
    assert b.request.status == SchedulingStatus.BOOKING
    assert b.uow.data.interviews == {}


def test_a_claim_held_for_minutes_is_stale_and_the_click_books() -> None:
    b = _booking(status=SchedulingStatus.BOOKING)
    b.request.updated_at = MONDAY - timedelta(minutes=5)

    outcome = b.service.book(b.choice, "U_REC")

    assert isinstance(outcome, Booked)
    assert b.request.status == SchedulingStatus.BOOKED
    assert len(b.calendar.events) == 1


def test_of_two_claims_on_one_request_the_first_wins() -> None:
    b = _booking()
    with b.uow.new_uow() as uow:
        first = uow.interviews.claim_request(b.request.uid, MONDAY, MONDAY - timedelta(minutes=2))
        second = uow.interviews.claim_request(b.request.uid, MONDAY, MONDAY - timedelta(minutes=2))
    assert (first, second) == (True, False)


def test_a_time_taken_since_the_proposal_answers_slot_taken_with_fresh_proposals() -> None:
    b = _booking()
    b.calendar.block("u_grace@example.com", WEDNESDAY_TEN, WEDNESDAY_TEN + timedelta(hours=1))

    outcome = b.service.book(b.choice, "U_REC")

    assert isinstance(outcome, SlotTaken)
    assert outcome.fresh.request_uid == b.request.uid
    starts = [option[0].start for option in outcome.fresh.options]
    assert starts, "other times in the window are free"
    assert all(
        not (WEDNESDAY_TEN - timedelta(minutes=45) < start < WEDNESDAY_TEN + timedelta(hours=1))
        for start in starts
    )
    assert b.calendar.events == {}
    assert b.request.status == SchedulingStatus.PROPOSED
    assert b.uow.data.interviews == {}


def test_a_calendar_error_answers_booking_failed_and_marks_the_request_failed() -> None:
    b = _booking()
    b.calendar.failure = CalendarError("calendar unavailable")

    outcome = b.service.book(b.choice, "U_REC")

    assert outcome == BookingFailed(b.request.uid, "calendar unavailable")
    assert b.request.status == SchedulingStatus.FAILED
    assert b.request.last_error == "calendar unavailable"
    assert b.uow.data.interviews == {}
    assert b.uow.data.audit_actions() == []


def test_a_failed_request_can_be_booked_once_the_calendar_answers_again() -> None:
    b = _booking()
    b.calendar.failure = CalendarError("calendar unavailable")
    b.service.book(b.choice, "U_REC")
    b.calendar.failure = None

    outcome = b.service.book(b.choice, "U_REC")

    assert isinstance(outcome, Booked)
    assert b.request.status == SchedulingStatus.BOOKED
    assert len(b.calendar.events) == 1


@pytest.mark.parametrize("actor_slack_id", ["U_GRACE", "U_NOBODY"])
def test_someone_who_may_not_schedule_is_refused_and_nothing_changes(actor_slack_id: str) -> None:
    b = _booking()

    with pytest.raises(SchedulingError, match="Only recruiters"):
        b.service.book(b.choice, actor_slack_id)

    assert b.request.status == SchedulingStatus.PROPOSED
    assert b.calendar.events == {}
    assert b.uow.committed == 0


def test_an_inactive_recruiter_may_not_schedule() -> None:
    b = _booking()
    recruiter = b.uow.people.person_by_slack_id("U_REC")
    assert recruiter is not None
    recruiter.is_active = False

    with pytest.raises(SchedulingError):
        b.service.book(b.choice, "U_REC")
    assert b.calendar.events == {}


class ProcessKilled(Exception):
    """What the in-memory calendar raises to stand for a process dying after a write."""


def test_a_booking_is_recorded_pending_with_its_event_ids_before_the_calendar_is_written() -> None:
    b = _booking(sessions=2)
    seen: list[tuple[InterviewStatus, list[str]]] = []
    create = b.calendar.create_event

    def create_and_look(request: EventRequest) -> CalendarEvent:
        interview = next(iter(b.uow.data.interviews.values()))
        seen.append((interview.status, [e.calendar_event_id for e in interview.events]))
        return create(request)

    b.calendar.create_event = create_and_look  # type: ignore[method-assign]

    b.service.book(b.choice, "U_REC")

    ids = [f"ib{b.request.uid}s1", f"ib{b.request.uid}s2"]
    assert seen == [(InterviewStatus.PENDING, ids)] * 2


def test_a_crash_after_the_calendar_writes_is_finished_once_by_the_reconciler() -> None:
    b = _booking(sessions=2)
    b.calendar.crash_after_write = ProcessKilled()

    with pytest.raises(ProcessKilled):
        b.service.book(b.choice, "U_REC")

    interview = next(iter(b.uow.data.interviews.values()))
    assert interview.status == InterviewStatus.PENDING
    assert b.service.reconcile_pending_bookings() == []  # within the grace period
    b.clock.advance(minutes=3)

    done = b.service.reconcile_pending_bookings()

    assert len(done) == 1 and isinstance(done[0], Booked)
    assert interview.status == InterviewStatus.SCHEDULED
    assert b.request.status == SchedulingStatus.BOOKED
    assert len(b.calendar.live_events()) == 2 and b.calendar.creates == 2
    assert [e.video_link for e in interview.events] == [
        e.video_link for e in sorted(b.calendar.live_events(), key=lambda e: e.start)
    ]
    assert sorted(b.uow.outbox.keys("booking_dm")) == [
        f"booking-dm:{interview.id}:U_GRACE:booked:{b.request.id}",
        f"booking-dm:{interview.id}:U_LINUS:booked:{b.request.id}",
    ]
    assert b.uow.outbox.messages[f"confirmation:{interview.id}"].recipient == "U_REC"
    assert b.uow.data.audit_actions() == ["interview.booked"]
    b.clock.advance(minutes=3)
    assert b.service.reconcile_pending_bookings() == []
    assert isinstance(b.service.book(b.choice, "U_REC"), AlreadyBooked)
    assert len(b.uow.outbox.messages) == 3


def test_try_again_after_a_crash_resumes_the_same_booking_and_invites_once() -> None:
    b = _booking(sessions=2)
    b.calendar.crash_after_write = ProcessKilled()
    with pytest.raises(ProcessKilled):
        b.service.book(b.choice, "U_REC")
    assert b.request.status == SchedulingStatus.FAILED  # the claim was given back

    outcome = b.service.book(b.choice, "U_REC")

    assert isinstance(outcome, Booked)
    assert len(b.uow.data.interviews) == 1
    assert b.calendar.creates == 2
    assert len(b.uow.outbox.keys("booking_dm")) == 2
    b.clock.advance(minutes=3)
    assert b.service.reconcile_pending_bookings() == []


def test_a_calendar_error_after_some_events_keeps_the_booking_pending_for_try_again() -> None:
    b = _booking(sessions=2)
    b.calendar.refused = {f"ib{b.request.uid}s2"}

    failed = b.service.book(b.choice, "U_REC")

    assert isinstance(failed, BookingFailed)
    assert b.request.status == SchedulingStatus.FAILED
    interview = next(iter(b.uow.data.interviews.values()))
    assert interview.status == InterviewStatus.PENDING  # the written event stays known
    assert len(b.calendar.live_events()) == 1
    b.calendar.refused = set()

    assert isinstance(b.service.book(b.choice, "U_REC"), Booked)
    assert len(b.calendar.live_events()) == 2 and b.calendar.creates == 2
    assert interview.status == InterviewStatus.SCHEDULED


def test_a_booking_the_calendar_keeps_refusing_is_undone_after_an_hour() -> None:
    b = _booking(sessions=2)
    b.calendar.refused = {f"ib{b.request.uid}s2"}
    b.service.book(b.choice, "U_REC")
    b.clock.advance(minutes=3)

    assert b.service.reconcile_pending_bookings() == []  # refused again: tried later
    assert b.request.status == SchedulingStatus.FAILED
    b.clock.advance(hours=1)
    done = b.service.reconcile_pending_bookings()

    assert len(done) == 1 and done[0].request_uid == b.request.uid
    assert b.calendar.live_events() == []  # the event written was cancelled
    interview = next(iter(b.uow.data.interviews.values()))
    assert interview.status == InterviewStatus.CANCELLED
    assert b.request.status == SchedulingStatus.FAILED
    assert b.uow.outbox.keys() == [f"booking-undone:{interview.id}"]
    assert b.uow.outbox.messages[f"booking-undone:{interview.id}"].recipient == "U_REC"
    assert b.uow.data.audit_actions() == ["interview.booking_undone"]
    with pytest.raises(SchedulingError, match="undone"):
        b.service.book(b.choice, "U_REC")


def test_a_move_is_recorded_pending_and_finished_by_the_reconciler_after_a_crash() -> None:
    b = _booking()
    booked = b.service.book(b.choice, "U_REC")
    assert isinstance(booked, Booked)
    interview_id = booked.summary.interview_id
    data = b.uow.data
    move = data.scheduling_request(
        data.candidates[b.request.candidate_id],
        data.stages[b.request.stage_id],
        data.people[b.request.requested_by_id],
        {1: [data.people[b.request.panel["1"][0]]]},
        WINDOW,
        MONDAY,
    )
    move.interview_id = interview_id
    later = WEDNESDAY_TEN + timedelta(days=1)
    b.calendar.crash_after_write = ProcessKilled()

    with pytest.raises(ProcessKilled):
        b.service.book(_offered(move, {1: later}), "U_REC")
    interview = data.interviews[interview_id]
    assert interview.status == InterviewStatus.PENDING and interview.starts_at == later
    b.clock.advance(minutes=3)
    done = b.service.reconcile_pending_bookings()

    assert len(done) == 1 and isinstance(done[0], Booked) and done[0].rescheduled
    assert interview.status == InterviewStatus.SCHEDULED
    assert [e.start for e in b.calendar.live_events()] == [later]
    assert f"booking-dm:{interview_id}:U_GRACE:moved:{move.id}" in b.uow.outbox.messages
    update = b.uow.outbox.messages[f"confirmation:{interview_id}:moved:{move.id}"]
    assert update.target_key == f"confirmation:{interview_id}"
    assert data.audit_actions() == ["interview.booked", "interview.rescheduled"]


def test_a_move_the_calendar_refused_at_once_keeps_its_times() -> None:
    b = _booking()
    booked = b.service.book(b.choice, "U_REC")
    assert isinstance(booked, Booked)
    data = b.uow.data
    move = data.scheduling_request(
        data.candidates[b.request.candidate_id],
        data.stages[b.request.stage_id],
        data.people[b.request.requested_by_id],
        {1: [data.people[b.request.panel["1"][0]]]},
        WINDOW,
        MONDAY,
    )
    move.interview_id = booked.summary.interview_id
    b.calendar.failure = CalendarError("calendar unavailable")

    failed = b.service.book(_offered(move, {1: WEDNESDAY_TEN + timedelta(days=1)}), "U_REC")

    assert failed == BookingFailed(move.uid, "calendar unavailable")
    interview = data.interviews[booked.summary.interview_id]
    assert (interview.status, interview.starts_at) == (InterviewStatus.SCHEDULED, WEDNESDAY_TEN)
