"""The local calendar provider's events and their data access (used by calendars.local): the
embedded default calendar and the tests' calendar."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, selectinload

from models.base import Base, UTCDateTime


class LocalCalendarEvent(Base):
    __tablename__ = "local_calendar_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(128), unique=True)
    summary: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str | None] = mapped_column(String(200), default=None)
    video_link: Mapped[str | None] = mapped_column(String(500), default=None)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[str] = mapped_column(String(16), default="confirmed")
    # Bumped from a global counter on every change; list_changes reads past a sequence.
    change_seq: Mapped[int] = mapped_column(Integer, index=True)

    attendees: Mapped[list[LocalCalendarAttendee]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )


class LocalCalendarAttendee(Base):
    __tablename__ = "local_calendar_attendees"

    event_pk: Mapped[int] = mapped_column(
        ForeignKey("local_calendar_events.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str] = mapped_column(String(254), primary_key=True, index=True)
    response_status: Mapped[str] = mapped_column(String(32), default="needsAction")

    event: Mapped[LocalCalendarEvent] = relationship(back_populates="attendees")


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
