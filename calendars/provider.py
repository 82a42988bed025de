"""The CalendarProvider protocol every calendar backend implements, and its plain data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

ResponseStatus = Literal["needsAction", "accepted", "declined", "tentative"]
EventStatus = Literal["confirmed", "tentative", "cancelled"]


@dataclass(frozen=True)
class BusyInterval:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Attendee:
    email: str
    response_status: ResponseStatus = "needsAction"


@dataclass(frozen=True)
class EventRequest:
    """What the bot asks a calendar to book. `event_id` is chosen by us, so a retry is harmless."""

    event_id: str
    summary: str
    start: datetime
    end: datetime
    attendees: tuple[str, ...]
    description: str = ""
    location: str | None = None
    with_video: bool = False


@dataclass(frozen=True)
class CalendarEvent:
    event_id: str
    summary: str
    start: datetime
    end: datetime
    status: EventStatus
    attendees: tuple[Attendee, ...] = ()
    location: str | None = None
    video_link: str | None = None


@dataclass(frozen=True)
class ChangeSet:
    """Events changed since a sync token, and the token to ask with next time."""

    events: list[CalendarEvent] = field(default_factory=list)
    next_sync_token: str = ""


class CalendarError(Exception):
    """A calendar call failed after its retries."""


class SyncTokenExpired(CalendarError):
    """The sync token is no longer valid: read everything again (Google answers 410)."""


class CalendarProvider(Protocol):
    def free_busy(
        self, emails: Sequence[str], start: datetime, end: datetime
    ) -> dict[str, list[BusyInterval]]:
        """Busy intervals of each person between start and end (every email is a key)."""
        ...

    def create_event(self, request: EventRequest) -> CalendarEvent:
        """Book an event; when `request.event_id` already exists, return that event unchanged."""
        ...

    def update_event(
        self,
        event_id: str,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        attendees: Sequence[str] | None = None,
    ) -> CalendarEvent:
        """Move an event and/or replace its attendees, notifying them."""
        ...

    def cancel_event(self, event_id: str, notify: bool = True) -> None:
        """Cancel an event and, unless `notify` is False, tell its attendees; cancelling twice
        is harmless."""
        ...

    def list_changes(self, sync_token: str | None) -> ChangeSet:
        """Events changed since `sync_token` (all events when None); raises SyncTokenExpired."""
        ...
