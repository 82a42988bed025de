"""Events of the local calendar provider: the embedded default and the tests' calendar."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
