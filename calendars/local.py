"""A calendar kept in our own database: the embedded default and the tests' calendar.

Video stages get a Jitsi Meet link, which works without any account.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from calendars.provider import (
    Attendee,
    BusyInterval,
    CalendarError,
    CalendarEvent,
    ChangeSet,
    EventRequest,
    ResponseStatus,
    SyncTokenExpired,
)
from models.database import SessionFactory
from models.local_calendar import (
    LocalCalendarAttendee,
    LocalCalendarEvent,
    busy_rows,
    events_changed_after,
    find_event,
    latest_change_seq,
    next_change_seq,
)

VIDEO_BASE_URL = "https://meet.jit.si/interview-bot-"


class LocalCalendarProvider:
    def __init__(self, session_factory: SessionFactory) -> None:
        self._session_factory = session_factory

    def free_busy(
        self, emails: Sequence[str], start: datetime, end: datetime
    ) -> dict[str, list[BusyInterval]]:
        busy: dict[str, list[BusyInterval]] = {email: [] for email in emails}
        with self._session_factory() as session:
            for email, starts, ends in busy_rows(session, emails, start, end):
                busy[email].append(BusyInterval(starts, ends))
        return busy

    def create_event(self, request: EventRequest) -> CalendarEvent:
        with self._session_factory() as session:
            existing = find_event(session, request.event_id)
            if existing is not None:
                return _to_event(existing)
            row = LocalCalendarEvent(
                event_id=request.event_id,
                summary=request.summary,
                description=request.description,
                location=request.location,
                video_link=VIDEO_BASE_URL + request.event_id if request.with_video else None,
                starts_at=request.start,
                ends_at=request.end,
                status="confirmed",
                change_seq=next_change_seq(session),
                attendees=[LocalCalendarAttendee(email=email) for email in request.attendees],
            )
            session.add(row)
            try:
                session.commit()
            except IntegrityError:
                # A concurrent request booked the same event id first: that booking stands.
                session.rollback()
                return _to_event(self._existing(session, request.event_id))
            return _to_event(row)

    def update_event(
        self,
        event_id: str,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        attendees: Sequence[str] | None = None,
    ) -> CalendarEvent:
        with self._session_factory() as session:
            row = self._existing(session, event_id)
            row.starts_at = start or row.starts_at
            row.ends_at = end or row.ends_at
            if attendees is not None:
                _replace_attendees(row, attendees)
            row.change_seq = next_change_seq(session)
            session.commit()
            return _to_event(row)

    def cancel_event(self, event_id: str, notify: bool = True) -> None:
        with self._session_factory() as session:
            row = find_event(session, event_id)
            if row is None or row.status == "cancelled":
                return
            row.status = "cancelled"
            row.change_seq = next_change_seq(session)
            session.commit()

    def list_changes(self, sync_token: str | None) -> ChangeSet:
        with self._session_factory() as session:
            latest = latest_change_seq(session)
            after = _parse_token(sync_token, latest)
            events = [_to_event(row) for row in events_changed_after(session, after)]
            return ChangeSet(events=events, next_sync_token=str(latest))

    def respond(self, event_id: str, email: str, status: ResponseStatus) -> None:
        """An attendee answers the invitation (what a person does in their calendar app)."""
        with self._session_factory() as session:
            row = self._existing(session, event_id)
            for attendee in row.attendees:
                if attendee.email == email:
                    attendee.response_status = status
            row.change_seq = next_change_seq(session)
            session.commit()

    @staticmethod
    def _existing(session: Session, event_id: str) -> LocalCalendarEvent:
        row = find_event(session, event_id)
        if row is None:
            raise CalendarError(f"no calendar event {event_id!r}")
        return row


def _parse_token(sync_token: str | None, latest: int) -> int:
    if sync_token is None:
        return 0
    try:
        after = int(sync_token)
    except ValueError as exc:
        raise SyncTokenExpired(f"unreadable sync token {sync_token!r}") from exc
    if not 0 <= after <= latest:
        raise SyncTokenExpired(f"sync token {sync_token!r} is not from this calendar")
    return after


def _replace_attendees(row: LocalCalendarEvent, emails: Sequence[str]) -> None:
    kept = {attendee.email: attendee for attendee in row.attendees if attendee.email in emails}
    row.attendees[:] = [kept.get(email) or LocalCalendarAttendee(email=email) for email in emails]


def _to_event(row: LocalCalendarEvent) -> CalendarEvent:
    status = row.status if row.status in ("confirmed", "tentative", "cancelled") else "confirmed"
    return CalendarEvent(
        event_id=row.event_id,
        summary=row.summary,
        start=row.starts_at,
        end=row.ends_at,
        status=status,  # type: ignore[arg-type]
        attendees=tuple(
            Attendee(a.email, a.response_status)  # type: ignore[arg-type]
            for a in sorted(row.attendees, key=lambda attendee: attendee.email)
        ),
        location=row.location,
        video_link=row.video_link,
    )
