"""The booked interview as an iCalendar invitation (METHOD:REQUEST), one VEVENT per session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from icalendar import Calendar, Event, vCalAddress  # type: ignore[import-untyped]

PRODID = "-//interview-bot//candidate links//EN"


@dataclass(frozen=True)
class IcsSession:
    uid: str  # the calendar event's id: the same event for every calendar that imports it
    summary: str
    start: datetime
    end: datetime
    video_link: str | None
    location: str | None


def invitation(
    sessions: list[IcsSession],
    attendee: str,
    organizer: str | None,
    stamp: datetime,
    sequence: int = 0,
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    for session in sessions:
        event = _event(session, attendee, organizer, stamp)
        event.add("sequence", sequence)
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def _event(session: IcsSession, attendee: str, organizer: str | None, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", session.uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", session.start.astimezone(UTC))
    event.add("dtend", session.end.astimezone(UTC))
    event.add("summary", session.summary)
    if session.video_link:
        event.add("location", session.video_link)
        event.add("url", session.video_link)
    elif session.location:
        event.add("location", session.location)
    if organizer:
        event.add("organizer", vCalAddress(f"mailto:{organizer}"))
    guest = vCalAddress(f"mailto:{attendee}")
    guest.params["ROLE"] = "REQ-PARTICIPANT"
    guest.params["PARTSTAT"] = "ACCEPTED"
    event.add("attendee", guest)
    return event
