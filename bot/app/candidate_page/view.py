"""What the candidate's page shows: times grouped by day in a zone, the booked events, the
`.ics`; and the parsing of what the page posts back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, available_timezones

from babel.dates import format_date, format_time
from flask_babel import get_locale  # type: ignore[import-untyped]

from bot.candidate_links.ics import IcsSession
from bot.candidate_links.service import CandidateOption, CandidateTimes

DEFAULT_ZONE = "Europe/Paris"
COMMON_ZONES = (
    "Europe/Paris",
    "Europe/London",
    "Europe/Lisbon",
    "Europe/Madrid",
    "Europe/Berlin",
    "Europe/Brussels",
    "Europe/Zurich",
    "Africa/Casablanca",
    "Africa/Dakar",
    "America/Montreal",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
    "UTC",
)
_ZONES = frozenset(available_timezones())


@dataclass(frozen=True)
class Choice:
    key: str  # what the form posts: "position=ISO start;..." in UTC
    label: str  # the start, in the candidate's zone


@dataclass(frozen=True)
class Day:
    label: str
    choices: tuple[Choice, ...]


def zone_of(name: str | None) -> str:
    """`name` when it is a known IANA zone, else the default."""
    return name if name and name in _ZONES else DEFAULT_ZONE


def option_key(option: CandidateOption) -> str:
    return ";".join(f"{p}={s.isoformat()}" for p, s in sorted(option.starts.items()))


def choice_of(key: str) -> dict[int, datetime] | None:
    """The session starts an option's key names; None when it is not one."""
    starts: dict[int, datetime] = {}
    try:
        for part in key.split(";"):
            position, start = part.split("=", 1)
            moment = datetime.fromisoformat(start)
            if moment.tzinfo is None:
                return None
            starts[int(position)] = moment
    except ValueError:
        return None
    return starts or None


def days(options: Sequence[CandidateOption], zone: ZoneInfo) -> list[Day]:
    grouped: dict[date, list[Choice]] = {}
    for option in options:
        local = option.start.astimezone(zone)
        grouped.setdefault(local.date(), []).append(Choice(option_key(option), _time(local)))
    return [Day(_day(d), tuple(c)) for d, c in sorted(grouped.items())]


def page_values(
    token: str, times: CandidateTimes, events: Sequence[IcsSession], zone_name: str
) -> dict[str, object]:
    zone = ZoneInfo(zone_name)
    zones = COMMON_ZONES if zone_name in COMMON_ZONES else (zone_name, *COMMON_ZONES)
    booked = [
        {
            "day": _day(e.start.astimezone(zone).date()),
            "start": _time(e.start.astimezone(zone)),
            "end": _time(e.end.astimezone(zone)),
            "video_link": e.video_link,
            "location": e.location,
        }
        for e in events
    ]
    return {
        "token": token,
        "times": times,
        "days": days(times.options, zone),
        "booked": booked,
        "zone": zone_name,
        "zones": zones,
        "in_person": times.stage_format == "onsite",
    }


def _day(day: date) -> str:
    return format_date(day, format="full", locale=str(get_locale()))


def _time(moment: datetime) -> str:
    return format_time(moment, format="short", locale=str(get_locale()))
