"""The slot search for a booking: each panel to try, searched over the same free/busy, ranked.

Pure functions: the busy time is read from the calendar by the caller.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.scheduling.panels import Panel, PoolStanding
from bot.scheduling.plans import BookingContext
from bot.shared.working_time import holidays_of
from calendars.provider import BusyInterval
from calendars.slot_ranking import rank_proposals
from calendars.slot_types import Interviewer, Proposal, SessionToPlace, SlotSearch, monday_of
from calendars.slots import find_slots
from models.hiring import Person

MAX_STAND_IN_OPTIONS = 2


@dataclass(frozen=True)
class Company:
    zone: ZoneInfo
    holidays: frozenset[date]


@dataclass(frozen=True)
class Found:
    """A proposal and the panel it is for."""

    proposal: Proposal
    panel: Panel


def search_panels(
    booking: BookingContext,
    panels: Sequence[Panel],
    busy: Mapping[str, list[BusyInterval]],
    now: datetime,
    company: Company,
    standings: Mapping[str, PoolStanding],
) -> list[Found]:
    """The best proposals over all `panels` (the first is the recruiter's), pairwise apart: an
    earlier day first, and within a day the lighter panel (interview minutes over four weeks).

    Other panels only bring times sooner than the recruiter's panel's first, and at most
    MAX_STAND_IN_OPTIONS of them when the recruiter's panel has times at all: the recruiter
    sees the earlier times stand-ins allow, beside the times of the people they picked."""
    interviewers = {
        person.email: _interviewer(person, busy.get(person.email, []), booking)
        for person in booking.people.values()
        if person.email
    }
    picked, *others = [
        _ranked(booking, panel, interviewers, now, company, standings) for panel in panels
    ]
    first = picked[0].proposal.start if picked else None
    sooner = _best(
        [f for found in others for f in found if first is None or f.proposal.start < first], company
    )
    found = picked + (sooner[:MAX_STAND_IN_OPTIONS] if picked else sooner)
    return _best(found, company)


def _ranked(
    booking: BookingContext,
    panel: Panel,
    interviewers: Mapping[str, Interviewer],
    now: datetime,
    company: Company,
    standings: Mapping[str, PoolStanding],
) -> list[Found]:
    load = float(_minutes(panel, standings))
    search = _slot_search(booking, panel, now, company)
    return [Found(replace(p, load=load), panel) for p in find_slots(search, interviewers)]


def _best(found: Sequence[Found], company: Company) -> list[Found]:
    best = rank_proposals([f.proposal for f in found], zone=company.zone)
    return [next(f for f in found if f.proposal is proposal) for proposal in best]


def _slot_search(
    booking: BookingContext, panel: Panel, now: datetime, company: Company
) -> SlotSearch:
    request = booking.request
    sessions = tuple(
        SessionToPlace(
            name=str(position),
            duration=booking.durations[position],
            interviewer_keys=tuple(booking.people[i].email or "" for i in ids),
        )
        for position, ids in sorted(panel.items())
    )
    return SlotSearch(
        sessions=sessions,
        window_start=request.window_start,
        window_end=request.window_end,
        now=now,
        company_timezone=company.zone.key,
        buffer=booking.policy.buffer,
        min_notice=booking.policy.notice,
        gap_between_sessions=booking.gap,
        grid=booking.policy.grid,
        company_holidays=company.holidays,
    )


def _minutes(panel: Panel, standings: Mapping[str, PoolStanding]) -> int:
    minutes = {m.person_id: m.minutes for s in standings.values() for m in s.ranked}
    return sum(minutes.get(i, 0) for ids in panel.values() for i in ids)


def _interviewer(person: Person, busy: list[BusyInterval], booking: BookingContext) -> Interviewer:
    """The slot finder's view of a panel member: hours, busy time, caps and days off. What is
    booked counts bookings still pending, and never the interview being moved."""
    zone = ZoneInfo(person.timezone)
    days = [e.starts_at.astimezone(zone).date() for e in booking.booked if e.person_id == person.id]
    request = booking.request
    window = [m.astimezone(zone).date() for m in (request.window_start, request.window_end)]
    own = {(e.starts_at, e.ends_at) for e in booking.own_events.values()}
    # Bookings the calendar may not show yet (pending), and the candidate's other interviews.
    booked = tuple(
        BusyInterval(e.starts_at, e.ends_at)
        for e in booking.booked
        if e.person_id is None or e.person_id == person.id
    )
    return Interviewer(
        key=person.email or "",
        timezone=person.timezone,
        work_start=person.work_start,
        work_end=person.work_end,
        busy=tuple(b for b in busy if (b.start, b.end) not in own) + booked,
        weekly_cap=booking.policy.weekly_cap_of(person),
        booked_per_week=Counter(monday_of(day) for day in days),
        daily_cap=booking.policy.daily_cap_of(person),
        booked_per_day=Counter(days),
        days_off=holidays_of(person.holiday_country).holidays_between(*window)
        if person.holiday_country
        else frozenset(),
    )
