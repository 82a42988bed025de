"""Translation between the provider's dataclasses and Google Calendar API v3 JSON.

Pure functions only: no HTTP here, so every rule about the wire format sits in one place.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from calendars.provider import (
    Attendee,
    BusyInterval,
    CalendarError,
    CalendarEvent,
    EventRequest,
    EventStatus,
    ResponseStatus,
)

JsonObject = dict[str, Any]

MEET_SOLUTION_TYPE = "hangoutsMeet"

# Google only guarantees the id of a deleted event; missing times fall back to this instant.
_UNKNOWN_TIME = datetime(1970, 1, 1, tzinfo=UTC)

_RESPONSE_STATUSES: dict[str, ResponseStatus] = {
    "needsAction": "needsAction",
    "accepted": "accepted",
    "declined": "declined",
    "tentative": "tentative",
}
_EVENT_STATUSES: dict[str, EventStatus] = {
    "confirmed": "confirmed",
    "tentative": "tentative",
    "cancelled": "cancelled",
}


# --- times -------------------------------------------------------------------------------


def to_rfc3339(moment: datetime) -> str:
    """An aware datetime as RFC 3339 in UTC (`2030-01-07T09:00:00Z`), as Google expects."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"calendar times must be timezone-aware, got {moment.isoformat()}")
    timespec = "milliseconds" if moment.microsecond else "seconds"
    return moment.astimezone(UTC).isoformat(timespec=timespec).replace("+00:00", "Z")


def parse_rfc3339(text: str) -> datetime:
    """An RFC 3339 timestamp from Google (`Z` or any offset) as an aware UTC datetime."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse_event_time(value: object) -> datetime:
    """An event's `start`/`end` ({"dateTime": ...} or all-day {"date": ...}) in UTC.

    All-day dates are taken as midnight UTC: the bot only books timed events.
    """
    if not isinstance(value, dict):
        return _UNKNOWN_TIME
    if "dateTime" in value:
        return parse_rfc3339(str(value["dateTime"]))
    if "date" in value:
        return datetime.combine(date.fromisoformat(str(value["date"])), time(), UTC)
    return _UNKNOWN_TIME


# --- events --------------------------------------------------------------------------------


def event_body(request: EventRequest) -> JsonObject:
    """The events.insert body for a booking; the Meet request id is derived from the event id."""
    body: JsonObject = {
        "id": request.event_id,
        "summary": request.summary,
        "description": request.description,
        "start": {"dateTime": to_rfc3339(request.start)},
        "end": {"dateTime": to_rfc3339(request.end)},
        "attendees": [{"email": email} for email in request.attendees],
    }
    if request.location is not None:
        body["location"] = request.location
    if request.with_video:
        body["conferenceData"] = meet_create_request(request.event_id)
    return body


def meet_create_request(event_id: str) -> JsonObject:
    """A conferenceData asking for a Meet link; the same event id always gives the same requestId,
    so a retried insert cannot start a second conference."""
    return {
        "createRequest": {
            "requestId": f"meet-{event_id}",
            "conferenceSolutionKey": {"type": MEET_SOLUTION_TYPE},
        }
    }


def patch_body(
    start: datetime | None, end: datetime | None, attendees: list[JsonObject] | None
) -> JsonObject:
    """An events.patch body holding only the fields being changed."""
    body: JsonObject = {}
    if start is not None:
        body["start"] = {"dateTime": to_rfc3339(start)}
    if end is not None:
        body["end"] = {"dateTime": to_rfc3339(end)}
    if attendees is not None:
        body["attendees"] = attendees
    return body


def replacement_attendees(emails: Sequence[str], current: object) -> list[JsonObject]:
    """The new attendee list: people already invited keep their entry (and so their answer)."""
    known: dict[str, JsonObject] = {}
    if isinstance(current, list):
        for entry in current:
            if isinstance(entry, dict) and "email" in entry:
                known[str(entry["email"]).lower()] = entry
    return [known.get(email.lower(), {"email": email}) for email in dict.fromkeys(emails)]


def parse_event(item: JsonObject) -> CalendarEvent:
    """A Google event resource as a CalendarEvent (tolerates the sparse cancelled form)."""
    return CalendarEvent(
        event_id=str(item["id"]),
        summary=str(item.get("summary", "")),
        start=parse_event_time(item.get("start")),
        end=parse_event_time(item.get("end")),
        status=_EVENT_STATUSES.get(str(item.get("status", "confirmed")), "confirmed"),
        attendees=parse_attendees(item.get("attendees")),
        location=_optional_str(item.get("location")),
        video_link=video_link(item),
    )


def parse_attendees(entries: object) -> tuple[Attendee, ...]:
    if not isinstance(entries, list):
        return ()
    return tuple(
        Attendee(
            email=str(entry["email"]),
            response_status=_RESPONSE_STATUSES.get(
                str(entry.get("responseStatus", "")), "needsAction"
            ),
        )
        for entry in entries
        if isinstance(entry, dict) and "email" in entry
    )


def video_link(item: JsonObject) -> str | None:
    """The Meet link: `hangoutLink`, else the conference's video entry point."""
    if item.get("hangoutLink"):
        return str(item["hangoutLink"])
    conference = item.get("conferenceData")
    entry_points = conference.get("entryPoints") if isinstance(conference, dict) else None
    for entry in entry_points if isinstance(entry_points, list) else []:
        if isinstance(entry, dict) and entry.get("entryPointType") == "video" and entry.get("uri"):
            return str(entry["uri"])
    return None


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


# --- free/busy -----------------------------------------------------------------------------


def batched(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for first in range(0, len(items), size):
        yield list(items[first : first + size])


def time_windows(
    start: datetime, end: datetime, longest: timedelta
) -> Iterator[tuple[datetime, datetime]]:
    """Consecutive windows covering [start, end), none longer than `longest`."""
    window_start = start
    while window_start < end:
        window_end = min(window_start + longest, end)
        yield window_start, window_end
        window_start = window_end


def free_busy_body(emails: Sequence[str], start: datetime, end: datetime) -> JsonObject:
    return {
        "timeMin": to_rfc3339(start),
        "timeMax": to_rfc3339(end),
        "items": [{"id": email} for email in emails],
    }


def busy_of(answer: JsonObject, email: str) -> list[BusyInterval]:
    """One person's busy periods in a freeBusy answer; CalendarError when Google could not tell."""
    calendars = answer.get("calendars")
    by_email = {str(key).lower(): value for key, value in (calendars or {}).items()}
    calendar = by_email.get(email.lower())
    if not isinstance(calendar, dict):
        raise CalendarError(f"Google free/busy gave no answer for {email}")
    errors = calendar.get("errors")
    if errors:
        reasons = ", ".join(str(error.get("reason", "unknown")) for error in errors)
        raise CalendarError(f"Google free/busy of {email} is unavailable: {reasons}")
    return [
        BusyInterval(parse_rfc3339(period["start"]), parse_rfc3339(period["end"]))
        for period in calendar.get("busy", [])
    ]


def merge_busy(intervals: list[BusyInterval], start: datetime, end: datetime) -> list[BusyInterval]:
    """Clip to [start, end], sort, and join overlapping or touching intervals."""
    clipped = sorted(
        (BusyInterval(max(i.start, start), min(i.end, end)) for i in intervals),
        key=lambda interval: interval.start,
    )
    merged: list[BusyInterval] = []
    for interval in clipped:
        if interval.end <= interval.start:
            continue
        if merged and interval.start <= merged[-1].end:
            last = merged.pop()
            interval = BusyInterval(last.start, max(last.end, interval.end))
        merged.append(interval)
    return merged
