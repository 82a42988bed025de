"""An in-memory CalendarProvider for unit tests: events in a dict, busy times set by the test.

Free/busy answers both the busy intervals a test blocked and the calendar's own live events
(everyone invited is busy during them), as a real calendar would. Setting `failure` makes every
write raise it, as a calendar that is down would after its retries; `refused` event ids are
never created (a calendar that refuses that one event); `crash_after_write` is raised once, just
after the next write is done (the process dies before it hears the answer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from calendars.provider import (
    Attendee,
    BusyInterval,
    CalendarError,
    CalendarEvent,
    ChangeSet,
    EventRequest,
)

VIDEO_BASE_URL = "https://video.example.com/"


class InMemoryCalendar:
    def __init__(self) -> None:
        self.events: dict[str, CalendarEvent] = {}
        self.blocked: dict[str, list[BusyInterval]] = {}
        self.failure: CalendarError | None = None
        self.refused: set[str] = set()
        self.crash_after_write: BaseException | None = None
        self.free_busy_calls = 0
        self.creates = 0

    def block(self, email: str, start: datetime, end: datetime) -> None:
        """Someone is busy then with something the bot did not book."""
        self.blocked.setdefault(email, []).append(BusyInterval(start, end))

    def live_events(self) -> list[CalendarEvent]:
        return [event for event in self.events.values() if event.status != "cancelled"]

    def free_busy(
        self, emails: Sequence[str], start: datetime, end: datetime
    ) -> dict[str, list[BusyInterval]]:
        self.free_busy_calls += 1
        busy: dict[str, list[BusyInterval]] = {}
        for email in emails:
            intervals = [*self.blocked.get(email, [])]
            intervals += [
                BusyInterval(event.start, event.end)
                for event in self.live_events()
                if email in {attendee.email for attendee in event.attendees}
            ]
            busy[email] = sorted(
                (i for i in intervals if i.start < end and i.end > start), key=lambda i: i.start
            )
        return busy

    def create_event(self, request: EventRequest) -> CalendarEvent:
        self._fail_if_down()
        existing = self.events.get(request.event_id)
        if existing is not None:
            return existing
        if request.event_id in self.refused:
            raise CalendarError(f"the calendar refused {request.event_id}")
        self.creates += 1
        event = CalendarEvent(
            event_id=request.event_id,
            summary=request.summary,
            start=request.start,
            end=request.end,
            status="confirmed",
            attendees=tuple(Attendee(email) for email in request.attendees),
            location=request.location,
            video_link=VIDEO_BASE_URL + request.event_id if request.with_video else None,
        )
        self.events[request.event_id] = event
        self._crash_if_asked()
        return event

    def update_event(
        self,
        event_id: str,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        attendees: Sequence[str] | None = None,
    ) -> CalendarEvent:
        self._fail_if_down()
        event = self.events.get(event_id)
        if event is None:
            raise CalendarError(f"no event {event_id}")
        event = replace(
            event,
            start=start or event.start,
            end=end or event.end,
            attendees=(
                tuple(Attendee(email) for email in attendees)
                if attendees is not None
                else event.attendees
            ),
        )
        self.events[event_id] = event
        self._crash_if_asked()
        return event

    def cancel_event(self, event_id: str, notify: bool = True) -> None:
        self._fail_if_down()
        event = self.events.get(event_id)
        if event is not None:
            self.events[event_id] = replace(event, status="cancelled")

    def list_changes(self, sync_token: str | None) -> ChangeSet:
        return ChangeSet(list(self.events.values()), next_sync_token=str(len(self.events)))

    def _fail_if_down(self) -> None:
        if self.failure is not None:
            raise self.failure

    def _crash_if_asked(self) -> None:
        crash, self.crash_after_write = self.crash_after_write, None
        if crash is not None:
            raise crash
