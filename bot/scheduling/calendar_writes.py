"""The calendar side of a booking: is the time still free, write (or move) the events, undo them.

Writing is idempotent: every event has the id derived from its request, creating an event that
exists returns it (with its video link), and an event found at other times is moved to the
planned ones. So a retry, or the reconciler finishing a booking, never invites anyone twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.scheduling.plans import BookingContext, PlannedSession, calendar_event_id
from bot.scheduling.summary import TAKE_HOME_DUE_BEFORE_REVIEW
from calendars.provider import CalendarError, CalendarEvent, CalendarProvider, EventRequest


class BookingCalendar:
    def __init__(self, calendar: CalendarProvider, zone: ZoneInfo) -> None:
        self._calendar = calendar
        self._zone = zone

    def taken(self, booking: BookingContext, sessions: list[PlannedSession]) -> bool:
        """Check free/busy again just before booking: someone may have taken the time. The
        request's own events (the interview it moves, or its pending booking) do not count."""
        own = {(e.starts_at, e.ends_at) for e in booking.own_events.values()}
        for session in sessions:
            busy = self._calendar.free_busy(
                session.interviewer_emails,
                session.start - booking.policy.buffer,
                session.end + booking.policy.buffer,
            )
            for intervals in busy.values():
                if any((i.start, i.end) not in own for i in intervals):
                    return True
        return False

    def write(
        self,
        booking: BookingContext,
        sessions: list[PlannedSession],
        written: list[CalendarEvent],
    ) -> None:
        """Create (or move) one event per session, appending each to `written` once the calendar
        has it; raises CalendarError (what is in `written` by then was written)."""
        for session in sessions:
            if booking.is_move:
                event = self._move(calendar_event_id_of(booking, session), session)
            else:
                event = self._create(booking, session, sessions[0].start)
            written.append(event)

    def cancel(self, event_ids: Iterable[str]) -> None:
        """Cancel these events, notifying their attendees; an unknown or cancelled one is fine."""
        for event_id in event_ids:
            self._calendar.cancel_event(event_id)

    def current(self, event_id: str) -> CalendarEvent:
        """The event as the calendar has it now (an update that changes nothing reads it)."""
        return self._calendar.update_event(event_id)

    def _create(
        self, booking: BookingContext, session: PlannedSession, first_start: datetime
    ) -> CalendarEvent:
        event = self._calendar.create_event(
            EventRequest(
                event_id=calendar_event_id(booking.request.uid, session.position),
                summary=f"{session.name}: {booking.event_title}",
                start=session.start,
                end=session.end,
                attendees=(*session.interviewer_emails, booking.candidate_email),
                description=self._description(booking, first_start),
                location=booking.location,
                with_video=booking.with_video,
            )
        )
        if event.status == "cancelled":
            raise CalendarError(f"the calendar event {event.event_id} was cancelled meanwhile")
        if (event.start, event.end) != (session.start, session.end):
            # Written by an earlier attempt for other times (the user picked again since).
            event = self._move(event.event_id, session)
        return event

    def _move(self, event_id: str, session: PlannedSession) -> CalendarEvent:
        return self._calendar.update_event(event_id, start=session.start, end=session.end)

    def _description(self, booking: BookingContext, first_start: datetime) -> str:
        text = f"{booking.stage_name}, booked by interview-bot."
        if booking.take_home:
            due = (first_start - TAKE_HOME_DUE_BEFORE_REVIEW).astimezone(self._zone)
            text += (
                f" Take-home test: please send your solution by "
                f"{due:%A %d %B %Y, %H:%M} ({self._zone.key}); this meeting reviews it."
            )
        return text


def calendar_event_id_of(booking: BookingContext, session: PlannedSession) -> str:
    """The id of the event a session is booked as: the interview's own event when it has one."""
    own = booking.own_events.get(session.position)
    if own is not None:
        return own.calendar_event_id
    return calendar_event_id(booking.request.uid, session.position)
