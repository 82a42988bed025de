"""The database side of a booking, around the calendar writes (steps on an open unit of work).

A booking is first recorded as a PENDING interview, with the events, calendar ids, times and
participants the calendar is about to be given; a move records its new times the same way. Once
the calendar has the events, `settle_booked` makes it SCHEDULED. Whatever happens in between (a
crash, a deploy, a database error), the database knows every event the bot may have written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.scheduling.plans import (
    BookingContext,
    PendingBooking,
    PlannedSession,
    calendar_event_id,
)
from bot.scheduling.summary import event_positions
from calendars.provider import CalendarEvent
from models.hiring import (
    Interview,
    InterviewEvent,
    InterviewParticipant,
    InterviewStatus,
    ParticipantKind,
    SchedulingRequest,
    SchedulingStatus,
)
from models.unit_of_work import UnitOfWork

Spans = dict[int, tuple[datetime, datetime]]


class NotPendingHere(Exception):
    """The interview cannot be recorded as pending for this request (the message says why)."""


def record_pending(
    uow: UnitOfWork, booking: BookingContext, sessions: list[PlannedSession], now: datetime
) -> PendingBooking:
    """Record the booking (or the move) as pending, in the transaction of the request's claim.

    A request resuming its own pending booking gives it the times chosen now."""
    if booking.is_move:
        return _pending_move(uow, booking, sessions, now)
    interview = uow.interviews.interview_by_uid(booking.request.uid)
    if interview is None:
        interview = _new_interview(booking, sessions, now)
        uow.interviews.add(interview)
        uow.flush()
        return PendingBooking(interview.id, fresh=True)
    if interview.status != InterviewStatus.PENDING:
        raise NotPendingHere(
            "This booking could not be finished and was undone: schedule it again."
        )
    _set_times(interview, sessions, now)
    return PendingBooking(interview.id, fresh=False)


def _pending_move(
    uow: UnitOfWork, booking: BookingContext, sessions: list[PlannedSession], now: datetime
) -> PendingBooking:
    interview_id = booking.request.interview_id
    assert interview_id is not None
    interview = uow.interviews.interview_with_events(interview_id)
    if interview is None:
        raise NotPendingHere("This interview no longer exists.")
    fresh = interview.status == InterviewStatus.SCHEDULED
    if not uow.interviews.hold_for_move(interview_id, booking.request.uid, now):
        raise NotPendingHere(
            "This interview is cancelled, or being moved by someone else right now."
        )
    _set_times(interview, sessions, now)
    return PendingBooking(interview_id, fresh=fresh)


def _set_times(interview: Interview, sessions: list[PlannedSession], now: datetime) -> None:
    positions = event_positions(interview)
    for session in sessions:
        interview.move_event(positions[session.position], session.start, session.end, now)


def _new_interview(
    booking: BookingContext, sessions: list[PlannedSession], now: datetime
) -> Interview:
    request = booking.request
    interview = Interview(
        uid=request.uid,
        candidate_id=request.candidate_id,
        stage_id=request.stage_id,
        status=InterviewStatus.PENDING,
        starts_at=sessions[0].start,
        ends_at=sessions[-1].end,
        scheduled_by_id=request.requested_by_id,
        created_at=now,
        updated_at=now,
    )
    for session in sessions:
        interview.events.append(_event_row(booking, session))
    return interview


def _event_row(booking: BookingContext, session: PlannedSession) -> InterviewEvent:
    participants = [
        InterviewParticipant(
            person_id=person_id,
            email=booking.people[person_id].email or "",
            kind=ParticipantKind.INTERVIEWER,
        )
        for person_id in dict(booking.panel)[session.position]
    ]
    participants.append(
        InterviewParticipant(email=booking.candidate_email, kind=ParticipantKind.CANDIDATE)
    )
    return InterviewEvent(
        stage_session_id=booking.stage_session_ids.get(session.position),
        calendar_event_id=calendar_event_id(booking.request.uid, session.position),
        starts_at=session.start,
        ends_at=session.end,
        location=booking.location,
        participants=participants,
    )


def forget_pending(
    uow: UnitOfWork, booking: BookingContext, pending: PendingBooking, before: Spans, now: datetime
) -> None:
    """Nothing reached the calendar: drop a new booking, or give a move its times back."""
    interview = uow.interviews.interview_with_events(pending.interview_id)
    if interview is None:
        return
    if not booking.is_move:
        uow.interviews.remove(interview)
        return
    positions = event_positions(interview)
    for position, (start, end) in before.items():
        interview.move_event(positions[position], start, end, now)
    uow.flush()
    uow.interviews.settle(
        pending.interview_id, InterviewStatus.SCHEDULED, now, InterviewStatus.PENDING
    )


def settle_booked(
    uow: UnitOfWork,
    booking: BookingContext,
    pending: PendingBooking,
    sessions: Sequence[PlannedSession],
    events: Sequence[CalendarEvent],
    now: datetime,
) -> Interview | None:
    """The calendar has every event: the interview is booked (None when someone else settled
    it first). Marks the request booked; the caller adds the audit entry and the messages."""
    settled = uow.interviews.settle(
        pending.interview_id, InterviewStatus.SCHEDULED, now, InterviewStatus.PENDING
    )
    if not settled:
        return None
    interview = uow.interviews.interview_with_events(pending.interview_id)
    assert interview is not None
    positions = event_positions(interview)
    for session, event in zip(sessions, events, strict=True):
        if event.video_link:
            positions[session.position].video_link = event.video_link
    request = _request(uow, booking)
    request.status = SchedulingStatus.BOOKED
    request.interview_id = interview.id
    request.last_error = None
    request.updated_at = now
    interview.scheduled_by_id = interview.scheduled_by_id or request.requested_by_id
    return interview


def settle_undone(
    uow: UnitOfWork,
    booking: BookingContext,
    pending: PendingBooking,
    calendar_spans: Spans,
    reason: str,
    now: datetime,
) -> Interview | None:
    """The booking cannot be finished: a new one is cancelled (its events were cancelled in the
    calendar), a move keeps the times the calendar has (`calendar_spans`). The request fails."""
    status = InterviewStatus.SCHEDULED if booking.is_move else InterviewStatus.CANCELLED
    if not uow.interviews.settle(pending.interview_id, status, now, InterviewStatus.PENDING):
        return None
    interview = uow.interviews.interview_with_events(pending.interview_id)
    assert interview is not None
    positions = event_positions(interview)
    for position, (start, end) in calendar_spans.items():
        interview.move_event(positions[position], start, end, now)
    request = _request(uow, booking)
    request.status = SchedulingStatus.FAILED
    request.last_error = reason
    request.updated_at = now
    return interview


def release(uow: UnitOfWork, request_uid: str, reason: str, now: datetime) -> None:
    """Give up this attempt's claim: the request can be tried again at once (Try again)."""
    request = uow.interviews.request_by_uid(request_uid)
    if request is not None and request.status == SchedulingStatus.BOOKING:
        request.status = SchedulingStatus.FAILED
        request.last_error = reason
        request.updated_at = now


def _request(uow: UnitOfWork, booking: BookingContext) -> SchedulingRequest:
    request = uow.interviews.request_by_uid(booking.request.uid)
    assert request is not None
    return request
