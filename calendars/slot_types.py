"""The slot finder's plain data: who interviews, what to place, and the proposals it returns.

`calendars.slots` (the search) and `calendars.slot_ranking` (the order of proposals) both read
these types, so they live here and the two modules do not import each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from calendars.provider import BusyInterval
from models.hiring import WORKDAY_END, WORKDAY_START


def monday_of(day: date) -> date:
    """The Monday of `day`'s ISO week: the key of `Interviewer.booked_per_week`."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Interviewer:
    key: str  # email
    timezone: str  # IANA name, e.g. "Europe/Paris"
    work_start: time = WORKDAY_START
    work_end: time = WORKDAY_END
    busy: tuple[BusyInterval, ...] = ()
    weekly_cap: int | None = None
    # Monday of the ISO week, in the interviewer's own time zone -> interviews booked
    booked_per_week: Mapping[date, int] = field(default_factory=dict, hash=False)
    daily_cap: int | None = None
    # A day in the interviewer's own time zone -> interviews booked
    booked_per_day: Mapping[date, int] = field(default_factory=dict, hash=False)
    # Their own days off (e.g. the public holidays of the country they work from), local dates
    days_off: frozenset[date] = frozenset()


@dataclass(frozen=True)
class SessionToPlace:
    """One session of the stage to place: how long it lasts and who must all attend."""

    name: str
    duration: timedelta
    interviewer_keys: tuple[str, ...]  # all of them must attend


@dataclass(frozen=True)
class SlotSearch:
    """One stage to place: its sessions, back to back in any order when there are several.

    `company_timezone` (the TIMEZONE setting) sets the company's weekdays, days and start grid;
    nothing is proposed on a day of `company_holidays` (the company's public holidays, its local
    dates).
    """

    sessions: tuple[SessionToPlace, ...]
    window_start: datetime
    window_end: datetime
    now: datetime
    company_timezone: str
    buffer: timedelta = timedelta(minutes=10)
    min_notice: timedelta = timedelta(hours=24)
    gap_between_sessions: timedelta = timedelta(minutes=10)
    grid: timedelta = timedelta(minutes=15)
    max_results: int = 5
    company_holidays: frozenset[date] = frozenset()


@dataclass(frozen=True)
class PlacedSession:
    name: str
    start: datetime
    end: datetime
    interviewer_keys: tuple[str, ...]


@dataclass(frozen=True)
class Proposal:
    """Times for every session of a stage, in chronological order; datetimes are in UTC."""

    sessions: tuple[PlacedSession, ...]
    load: float  # see `calendars.slot_ranking.proposal_load`

    @property
    def start(self) -> datetime:
        return self.sessions[0].start

    @property
    def end(self) -> datetime:
        return self.sessions[-1].end

    @property
    def interviewer_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(key for s in self.sessions for key in s.interviewer_keys))
