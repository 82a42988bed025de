"""Data access for the local calendar's events (used by calendars.local)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from models.calendar import LocalCalendarAttendee, LocalCalendarEvent


def next_change_seq(session: Session) -> int:
    current = session.scalar(select(func.max(LocalCalendarEvent.change_seq)))
    return (current or 0) + 1


def latest_change_seq(session: Session) -> int:
    return session.scalar(select(func.max(LocalCalendarEvent.change_seq))) or 0


def find_event(session: Session, event_id: str) -> LocalCalendarEvent | None:
    return session.scalar(
        select(LocalCalendarEvent)
        .where(LocalCalendarEvent.event_id == event_id)
        .options(selectinload(LocalCalendarEvent.attendees))
    )


def busy_rows(
    session: Session, emails: Sequence[str], start: datetime, end: datetime
) -> list[tuple[str, datetime, datetime]]:
    rows = session.execute(
        select(
            LocalCalendarAttendee.email, LocalCalendarEvent.starts_at, LocalCalendarEvent.ends_at
        )
        .join(LocalCalendarEvent)
        .where(
            LocalCalendarAttendee.email.in_(list(emails)),
            LocalCalendarAttendee.response_status != "declined",
            LocalCalendarEvent.status != "cancelled",
            LocalCalendarEvent.starts_at < end,
            LocalCalendarEvent.ends_at > start,
        )
        .order_by(LocalCalendarEvent.starts_at)
    )
    return [(email, starts, ends) for email, starts, ends in rows]


def events_changed_after(session: Session, seq: int) -> list[LocalCalendarEvent]:
    return list(
        session.scalars(
            select(LocalCalendarEvent)
            .where(LocalCalendarEvent.change_seq > seq)
            .options(selectinload(LocalCalendarEvent.attendees))
            .order_by(LocalCalendarEvent.change_seq)
        )
    )
