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
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bot.scheduling.calendar_writes import BUFFER
from bot.scheduling.plans import BookingContext, PlannedSession, panel_positions
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


def offered_option(starts: Mapping[int, datetime]) -> dict[str, str]:
    """One proposal as a request's `offered` stores it: each session position's start (UTC)."""
    return {str(position): _utc(start) for position, start in sorted(starts.items())}


def was_offered(
    offered: Sequence[Mapping[str, str]] | None, starts: Mapping[int, datetime]
) -> bool:
    """Whether these starts are one of the options the bot proposed."""
    return offered is not None and offered_option(starts) in [dict(o) for o in offered]


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
        or _weekly_cap(booking, sessions, booked)
    )


def _notice(
    booking: BookingContext, sessions: Sequence[PlannedSession], now: datetime
) -> Refusal | None:
    if min(s.start for s in sessions) < now + booking.min_notice:
        hours = int(booking.min_notice.total_seconds() // 3600)
        return Refusal(f"it is less than {hours} hours away now")
    return None


def _overlap(
    booking: BookingContext, sessions: Sequence[PlannedSession], booked: Sequence[BookedEvent]
) -> Refusal | None:
    panel = dict(panel_positions(booking.request))
    for session in sessions:
        attending: set[int | None] = {None, *panel[session.position]}  # None: the candidate
        for event in booked:
            if (
                event.person_id in attending
                and event.starts_at < session.end + BUFFER
                and event.ends_at > session.start - BUFFER
            ):
                return Refusal("another interview was just booked at that time", taken=True)
    return None


def _working_hours(
    booking: BookingContext, sessions: Sequence[PlannedSession], company: CompanyDays
) -> Refusal | None:
    panel = dict(panel_positions(booking.request))
    for session in sessions:
        if not _on_one_weekday(session, company.zone):
            return Refusal("it is not on a working day")
        if session.start.astimezone(company.zone).date() in company.holidays:
            return Refusal("it is on a public holiday")
        for person_id in panel[session.position]:
            person = booking.people[person_id]
            zone = ZoneInfo(person.timezone)
            start, end = session.start.astimezone(zone), session.end.astimezone(zone)
            if not (
                _on_one_weekday(session, zone)
                and person.work_start <= start.time()
                and end.time() <= person.work_end
            ):
                return Refusal(f"it is outside {person.name or 'an interviewer'}'s working hours")
    return None


def _weekly_cap(
    booking: BookingContext, sessions: Sequence[PlannedSession], booked: Sequence[BookedEvent]
) -> Refusal | None:
    panel = dict(panel_positions(booking.request))
    for person_id in sorted({i for ids in panel.values() for i in ids}):
        person = booking.people[person_id]
        if person.weekly_interview_cap is None:
            continue
        zone = ZoneInfo(person.timezone)
        adding = Counter(_week(s.start, zone) for s in sessions if person_id in panel[s.position])
        already = Counter(_week(e.starts_at, zone) for e in booked if e.person_id == person_id)
        if any(
            already[week] + count > person.weekly_interview_cap for week, count in adding.items()
        ):
            return Refusal(
                f"{person.name or 'an interviewer'} has reached their weekly interview limit"
            )
    return None


def _on_one_weekday(session: PlannedSession, zone: ZoneInfo) -> bool:
    start, end = session.start.astimezone(zone), session.end.astimezone(zone)
    return start.date() == (end - timedelta(microseconds=1)).date() and start.weekday() < 5


def _week(moment: datetime, zone: ZoneInfo) -> date:
    return monday_of(moment.astimezone(zone).date())


def _utc(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).isoformat()
