"""What a chosen time must still meet when its booking is recorded.

The slot search proposed it under these rules, but time has passed and others have booked since:
the booking re-checks them against the chosen time, in the transaction that records it as
pending, under the locks on its participants (so no other booking can slip in between). The
interview being booked or moved is not among `booked`: it never conflicts with, nor counts
against the cap of, itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from bot.scheduling.plans import BookingContext, PlannedSession
from bot.shared.working_time import holidays_of
from calendars.slot_types import monday_of
from models.interviews import BookedEvent


class CompanyDays(NamedTuple):
    zone: ZoneInfo
    holidays: frozenset[date]


# How far around the chosen times `booked` must reach: the buffer, and the weeks of the cap.
CHECKED_AROUND = timedelta(days=8)


@dataclass(frozen=True)
class Refusal:
    """Why the chosen time cannot be booked now; `taken` when another booking holds it."""

    reason: str
    taken: bool = False


def offered_option(
    starts: Mapping[int, datetime], panel: Mapping[int, Sequence[int]] | None = None
) -> dict[str, Any]:
    """One proposal as a request's `offered` stores it: each session position's start (UTC),
    and the panel when it is not the request's (pool members standing in)."""
    option: dict[str, Any] = _starts(starts)
    if panel is not None:
        option[PANEL] = {str(position): list(ids) for position, ids in sorted(panel.items())}
    return option


def offered_panel(
    offered: Sequence[Mapping[str, Any]] | None, starts: Mapping[int, datetime]
) -> Mapping[str, Sequence[int]] | None | NotOfferedMark:
    """The panel of the option the bot proposed at these starts (None: the request's own), or
    NOT_OFFERED when it proposed no such option."""
    wanted = _starts(starts)
    for option in offered or ():
        if {k: v for k, v in option.items() if k != PANEL} == wanted:
            panel: Mapping[str, Sequence[int]] | None = option.get(PANEL)
            return panel
    return NOT_OFFERED


class NotOfferedMark:
    """What `offered_panel` gives for a time the bot never proposed."""


NOT_OFFERED = NotOfferedMark()
PANEL = "panel"


def _starts(starts: Mapping[int, datetime]) -> dict[str, Any]:
    return {str(position): _utc(start) for position, start in sorted(starts.items())}


def refusal(
    booking: BookingContext,
    sessions: Sequence[PlannedSession],
    booked: Sequence[BookedEvent],
    now: datetime,
    company: CompanyDays,
) -> Refusal | None:
    """The first rule the chosen time breaks, or None when it can be booked. `company` is the
    company's time zone and its public holidays around the chosen time."""
    return (
        _notice(booking, sessions, now)
        or _overlap(booking, sessions, booked)
        or _working_hours(booking, sessions, company)
        or _caps(booking, sessions, booked)
    )


def _notice(
    booking: BookingContext, sessions: Sequence[PlannedSession], now: datetime
) -> Refusal | None:
    if min(s.start for s in sessions) < now + booking.policy.notice:
        hours = int(booking.policy.notice.total_seconds() // 3600)
        return Refusal(f"it is less than {hours} hours away now")
    return None


def _overlap(
    booking: BookingContext, sessions: Sequence[PlannedSession], booked: Sequence[BookedEvent]
) -> Refusal | None:
    panel = dict(booking.panel)
    buffer = booking.policy.buffer
    for session in sessions:
        attending: set[int | None] = {None, *panel[session.position]}  # None: the candidate
        for event in booked:
            if (
                event.person_id in attending
                and event.starts_at < session.end + buffer
                and event.ends_at > session.start - buffer
            ):
                return Refusal("another interview was just booked at that time", taken=True)
    return None


def _working_hours(
    booking: BookingContext, sessions: Sequence[PlannedSession], company: CompanyDays
) -> Refusal | None:
    panel = dict(booking.panel)
    for session in sessions:
        if not _on_one_weekday(session, company.zone):
            return Refusal("it is not on a working day")
        if session.start.astimezone(company.zone).date() in company.holidays:
            return Refusal("it is on a public holiday")
        for person_id in panel[session.position]:
            person = booking.people[person_id]
            zone = ZoneInfo(person.timezone)
            start, end = session.start.astimezone(zone), session.end.astimezone(zone)
            if holidays_of(person.holiday_country).is_holiday(start.date()):
                return Refusal(f"it is a day off for {person.name or 'an interviewer'}")
            if not (
                _on_one_weekday(session, zone)
                and person.work_start <= start.time()
                and end.time() <= person.work_end
            ):
                return Refusal(f"it is outside {person.name or 'an interviewer'}'s working hours")
    return None


def _caps(
    booking: BookingContext, sessions: Sequence[PlannedSession], booked: Sequence[BookedEvent]
) -> Refusal | None:
    panel = dict(booking.panel)
    for person_id in sorted({i for ids in panel.values() for i in ids}):
        person = booking.people[person_id]
        zone = ZoneInfo(person.timezone)
        mine = [s.start for s in sessions if person_id in panel[s.position]]
        theirs = [e.starts_at for e in booked if e.person_id == person_id]
        for period, cap in (
            ("daily", booking.policy.daily_cap_of(person)),
            ("weekly", booking.policy.weekly_cap_of(person)),
        ):
            key = _day if period == "daily" else _week
            adding = Counter(key(start, zone) for start in mine)
            already = Counter(key(start, zone) for start in theirs)
            if cap is not None and any(already[k] + n > cap for k, n in adding.items()):
                name = person.name or "an interviewer"
                return Refusal(f"{name} has reached their {period} interview limit")
    return None


def _on_one_weekday(session: PlannedSession, zone: ZoneInfo) -> bool:
    start, end = session.start.astimezone(zone), session.end.astimezone(zone)
    return start.date() == (end - timedelta(microseconds=1)).date() and start.weekday() < 5


def _day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def _week(moment: datetime, zone: ZoneInfo) -> date:
    return monday_of(moment.astimezone(zone).date())


def _utc(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).isoformat()
