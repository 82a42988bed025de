"""The slot finder: propose interview times when every interviewer a stage needs is free.

Plain data in, plain data out: no I/O. Internally an instant is an integer number of
microseconds since the Unix epoch, so comparisons are exact and cheap; time zones are only
used to build the boundaries of working hours, weekdays, company days and the start grid.
Time sets are sorted lists of disjoint half-open spans [start, end).

How a search runs, in O(n log n) for n busy intervals:
1. per session, the times when all its interviewers are at work (weekdays in their own
   time zone, weeks under their cap), on a company working day (a weekday that is not one of
   the company's holidays), inside the window and after the notice, minus the union of their
   busy intervals widened by the buffer;
2. per session, the spans of possible start times (free gaps long enough for it);
3. per order of the sessions, the stage starts that put every session in a possible start
   (each session's starts shifted back by its offset in the stage, then intersected);
4. a walk forward in time over those spans, taking the earliest grid start and then the
   earliest one after it ends, until `max_results` proposals are found.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from calendars.provider import BusyInterval
from calendars.slot_ranking import proposal_load, rank_proposals
from calendars.slot_types import (
    Interviewer,
    PlacedSession,
    Proposal,
    SessionToPlace,
    SlotSearch,
    monday_of,
)

__all__ = [
    "MAX_SESSIONS",
    "Interviewer",
    "PlacedSession",
    "Proposal",
    "SessionToPlace",
    "SlotSearch",
    "find_slots",
    "merge_intervals",
    "proposal_load",
    "rank_proposals",
]

MAX_SESSIONS = 6  # every order of the sessions is tried: 6 sessions are already 720 orders

Span = tuple[int, int]
Spans = list[Span]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_ONE_DAY = timedelta(days=1)
_FOREVER: Spans = [(-(2**62), 2**62)]


def find_slots(search: SlotSearch, interviewers: Mapping[str, Interviewer]) -> list[Proposal]:
    """The best `search.max_results` proposals for the stage, pairwise non-overlapping.

    Best means sooner first, then lighter load (see `proposal_load`). Each session lies in
    the working hours of each of its interviewers on a weekday of their own time zone, on a
    working day of the company time zone (a weekday, not one of `company_holidays`), `buffer`
    clear of their busy time, in a week under their cap, inside the window and no sooner than
    `now + min_notice`. Several sessions go back to back, `gap_between_sessions` apart, in
    whichever order fits, within one company day. Stages start on the company grid.

    Raises ValueError for an invalid search: no session or more than MAX_SESSIONS, a session
    without interviewers or naming an unknown one, naive datetimes, unknown time zones,
    working hours ending before they start, a non-positive duration, grid or max_results.
    """
    _check_search(search, interviewers)
    earliest = max(_us(search.window_start), _us(search.now) + _us(search.min_notice))
    latest = _us(search.window_end)
    if earliest >= latest:
        return []
    company = _company_calendar(search, earliest, latest)
    session_starts = _session_starts(search, interviewers, company, earliest, latest)
    orders = _orders(search)
    day_spans = company.day_spans(orders[0].span) if len(search.sessions) > 1 else _FOREVER
    walker = _StartWalker([_order_starts(order, session_starts, day_spans) for order in orders])
    return _choose(search, interviewers, orders, walker, company.grid, earliest)


def merge_intervals(
    intervals: Iterable[BusyInterval], buffer: timedelta = timedelta(0)
) -> list[BusyInterval]:
    """The sorted union of busy intervals, each first widened by `buffer` on both sides."""
    widen = _us(buffer)
    merged = _merge((_us(i.start) - widen, _us(i.end) + widen) for i in intervals)
    return [BusyInterval(_moment(start), _moment(end)) for start, end in merged]


# --- validation ---------------------------------------------------------------------------


def _check_search(search: SlotSearch, interviewers: Mapping[str, Interviewer]) -> None:
    if not search.sessions:
        raise ValueError("a stage needs at least one session")
    if len(search.sessions) > MAX_SESSIONS:
        raise ValueError(f"a stage has at most {MAX_SESSIONS} sessions")
    for session in search.sessions:
        _check_session(session, interviewers)
    if search.grid <= timedelta(0) or search.max_results < 1:
        raise ValueError("grid and max_results must be positive")
    if min(search.buffer, search.min_notice, search.gap_between_sessions) < timedelta(0):
        raise ValueError("buffer, min_notice and gap_between_sessions cannot be negative")
    _zone(search.company_timezone)


def _check_session(session: SessionToPlace, interviewers: Mapping[str, Interviewer]) -> None:
    keys = session.interviewer_keys
    if not keys:
        raise ValueError(f"session {session.name!r} has no interviewer")
    if len(set(keys)) != len(keys):
        raise ValueError(f"session {session.name!r} lists an interviewer twice")
    if session.duration <= timedelta(0):
        raise ValueError(f"session {session.name!r} must last more than zero minutes")
    unknown = [key for key in keys if key not in interviewers]
    if unknown:
        raise ValueError(f"session {session.name!r} names unknown interviewers: {unknown}")
    for key in keys:
        _check_interviewer(interviewers[key])


def _check_interviewer(person: Interviewer) -> None:
    if person.work_start >= person.work_end:
        raise ValueError(f"{person.key}: working hours must end after they start")
    if min(person.weekly_cap or 0, person.daily_cap or 0) < 0:
        raise ValueError(f"{person.key}: caps cannot be negative")
    _zone(person.timezone)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None


# --- instants and spans ---------------------------------------------------------------------


def _us(value: datetime | timedelta) -> int:
    """Microseconds since the epoch for a datetime, or in total for a timedelta."""
    if isinstance(value, timedelta):
        return value // _MICROSECOND
    try:
        return (value - _EPOCH) // _MICROSECOND
    except TypeError:
        raise ValueError(f"naive datetime {value!r}: every datetime must be aware") from None


def _moment(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


def _local_midnight(day: date, zone: ZoneInfo) -> int:
    return _us(datetime.combine(day, time(0), tzinfo=zone))


def _local_days(zone: ZoneInfo, earliest: int, latest: int) -> Iterator[date]:
    """Every local day touching [earliest, latest), then the next one (its midnight is needed)."""
    day = _moment(earliest).astimezone(zone).date()
    last = _moment(latest).astimezone(zone).date() + _ONE_DAY
    while day <= last:
        yield day
        day += _ONE_DAY


def _merge(spans: Iterable[Span]) -> Spans:
    merged: Spans = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _intersect(first: Spans, second: Spans) -> Spans:
    both: Spans = []
    i = j = 0
    while i < len(first) and j < len(second):
        start = max(first[i][0], second[j][0])
        end = min(first[i][1], second[j][1])
        if start < end:
            both.append((start, end))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return both


def _subtract(free: Spans, blocked: Spans) -> Spans:
    remaining: Spans = []
    j = 0
    for start, end in free:
        while j < len(blocked) and blocked[j][1] <= start:
            j += 1
        cursor, k = start, j
        while k < len(blocked) and blocked[k][0] < end:
            if blocked[k][0] > cursor:
                remaining.append((cursor, blocked[k][0]))
            cursor = max(cursor, blocked[k][1])
            k += 1
        if cursor < end:
            remaining.append((cursor, end))
    return remaining


def _shift(spans: Spans, delta: int) -> Spans:
    return [(start + delta, end + delta) for start, end in spans]


# --- the company calendar: working days, days and the start grid ----------------------------


class _Grid:
    """Start times every `step` of wall-clock time in the company time zone (:00, :15...).

    The UTC offset is piecewise constant: `_since[i]` is when `_offsets[i]` starts to apply.
    """

    def __init__(self, step: int, since: list[int], offsets: list[int]) -> None:
        self._step, self._since, self._offsets = step, since, offsets

    def first_at_or_after(self, moment: int) -> int:
        piece = bisect.bisect_right(self._since, moment) - 1
        while True:
            aligned = moment - (moment + self._offsets[piece]) % self._step
            aligned += self._step if aligned < moment else 0
            if piece + 1 < len(self._since) and aligned >= self._since[piece + 1]:
                piece += 1
                moment = self._since[piece]
                continue
            return aligned


@dataclass(frozen=True)
class _CompanyCalendar:
    days: list[date]
    midnights: list[int]  # midnights[i] starts days[i]; the last day only closes the one before
    grid: _Grid
    holidays: frozenset[date]

    def working_day_spans(self) -> Spans:
        """The company's weekdays that are not its holidays, midnight to midnight."""
        working_days = [
            (self.midnights[i], self.midnights[i + 1])
            for i, day in enumerate(self.days[:-1])
            if day.weekday() < 5 and day not in self.holidays
        ]
        return _merge(working_days)

    def day_spans(self, span: int) -> Spans:
        """Starts of a stage lasting `span` that ends on the company day it starts."""
        return [
            (start, end - span + 1)
            for start, end in itertools.pairwise(self.midnights)
            if end - span + 1 > start
        ]


def _company_calendar(search: SlotSearch, earliest: int, latest: int) -> _CompanyCalendar:
    zone = _zone(search.company_timezone)
    days = list(_local_days(zone, earliest, latest))
    midnights = [_local_midnight(day, zone) for day in days]
    grid = _grid(zone, midnights, _us(search.grid))
    return _CompanyCalendar(days, midnights, grid, search.company_holidays)


def _grid(zone: ZoneInfo, midnights: list[int], step: int) -> _Grid:
    offsets = [_utc_offset(zone, midnight) for midnight in midnights]
    since, pieces = [_FOREVER[0][0]], [offsets[0]]
    for (before, old), (after, new) in itertools.pairwise(zip(midnights, offsets, strict=True)):
        if new != old:
            since.append(_offset_change(zone, before, after, new))
            pieces.append(new)
    return _Grid(step, since, pieces)


def _utc_offset(zone: ZoneInfo, moment: int) -> int:
    offset = _moment(moment).astimezone(zone).utcoffset()
    return _us(offset or timedelta(0))


def _offset_change(zone: ZoneInfo, before: int, after: int, new_offset: int) -> int:
    """When the offset becomes `new_offset` between two midnights (to the second)."""
    second = 1_000_000
    while after - before > second:
        middle = before + (after - before) // (2 * second) * second
        if _utc_offset(zone, middle) == new_offset:
            after = middle
        else:
            before = middle
    return after


# --- free time per session -------------------------------------------------------------------


def _session_starts(
    search: SlotSearch,
    interviewers: Mapping[str, Interviewer],
    company: _CompanyCalendar,
    earliest: int,
    latest: int,
) -> list[Spans]:
    """Per session, the spans of start times at which it fits in everyone's free time."""
    base = _intersect(company.working_day_spans(), [(earliest, latest)])
    at_work: dict[str, Spans] = {}
    blocked: dict[str, Spans] = {}
    for key, sessions in _sessions_per_interviewer(search).items():
        at_work[key] = _working_spans(interviewers[key], sessions, earliest, latest)
        blocked[key] = _blocked_spans(interviewers[key], search.buffer, earliest, latest)
    return [_fitting_starts(session, base, at_work, blocked) for session in search.sessions]


def _sessions_per_interviewer(search: SlotSearch) -> dict[str, int]:
    counts: dict[str, int] = {}
    for session in search.sessions:
        for key in session.interviewer_keys:
            counts[key] = counts.get(key, 0) + 1
    return counts


def _fitting_starts(
    session: SessionToPlace, base: Spans, at_work: dict[str, Spans], blocked: dict[str, Spans]
) -> Spans:
    free = base
    for key in session.interviewer_keys:
        free = _intersect(free, at_work[key])
    busy = _merge(span for key in session.interviewer_keys for span in blocked[key])
    free = _subtract(free, busy)
    duration = _us(session.duration)
    return [(start, end - duration + 1) for start, end in free if end - start >= duration]


def _working_spans(person: Interviewer, sessions: int, earliest: int, latest: int) -> Spans:
    """Working hours on the person's weekdays that are not their days off, skipping days and
    weeks where `sessions` more would break their caps."""
    zone = _zone(person.timezone)
    spans: Spans = []
    for day in _local_days(zone, earliest, latest):
        if (
            day.weekday() >= 5
            or day in person.days_off
            or _week_is_full(person, monday_of(day), sessions)
            or _day_is_full(person, day, sessions)
        ):
            continue
        start = _us(datetime.combine(day, person.work_start, tzinfo=zone))
        end = _us(datetime.combine(day, person.work_end, tzinfo=zone))
        if start < end:
            spans.append((start, end))
    return spans


def _week_is_full(person: Interviewer, monday: date, sessions: int) -> bool:
    if person.weekly_cap is None:
        return False
    return person.booked_per_week.get(monday, 0) + sessions > person.weekly_cap


def _day_is_full(person: Interviewer, day: date, sessions: int) -> bool:
    if person.daily_cap is None:
        return False
    return person.booked_per_day.get(day, 0) + sessions > person.daily_cap


def _blocked_spans(person: Interviewer, buffer: timedelta, earliest: int, latest: int) -> Spans:
    """The person's busy intervals widened by the buffer, those that can touch the search."""
    widen = _us(buffer)
    spans: Spans = []
    for interval in person.busy:
        start, end = _us(interval.start) - widen, _us(interval.end) + widen
        if end > earliest and start < latest:
            spans.append((start, end))
    return spans


# --- stage orders: one per order of the sessions ------------------------------------------------


@dataclass(frozen=True)
class _Order:
    """One order in which the stage's sessions can follow each other."""

    indexes: tuple[int, ...]  # indexes into search.sessions, in the order they happen
    offsets: tuple[int, ...]  # start of each session after the stage start
    span: int  # stage start to end of its last session


def _orders(search: SlotSearch) -> list[_Order]:
    gap = _us(search.gap_between_sessions)
    orders: list[_Order] = []
    for indexes in itertools.permutations(range(len(search.sessions))):
        offsets: list[int] = []
        elapsed = 0
        for index in indexes:
            offsets.append(elapsed)
            elapsed += _us(search.sessions[index].duration) + gap
        orders.append(_Order(indexes, tuple(offsets), elapsed - gap))
    return orders


def _order_starts(order: _Order, session_starts: list[Spans], day_spans: Spans) -> Spans:
    """Stage starts at which every session, in this order, starts at a possible start."""
    starts = day_spans
    for index, offset in zip(order.indexes, order.offsets, strict=True):
        starts = _intersect(starts, _shift(session_starts[index], -offset))
    return starts


class _StartWalker:
    """Walks forward through each order's spans of stage starts, on the grid."""

    def __init__(self, starts_per_order: list[Spans]) -> None:
        self._starts = starts_per_order
        self._cursors = [0] * len(starts_per_order)

    def earliest(self, not_before: int, grid: _Grid) -> tuple[int, list[int]] | None:
        """The earliest grid start >= not_before of any order, and the orders that have it."""
        best: int | None = None
        orders: list[int] = []
        for order in range(len(self._starts)):
            start = self._first_start(order, not_before, grid)
            if start is None or (best is not None and start > best):
                continue
            if best is None or start < best:
                best, orders = start, []
            orders.append(order)
        return None if best is None else (best, orders)

    def _first_start(self, order: int, not_before: int, grid: _Grid) -> int | None:
        spans, cursor = self._starts[order], self._cursors[order]
        while cursor < len(spans):
            low, high = spans[cursor]
            if high > not_before:
                start = grid.first_at_or_after(max(low, not_before))
                if start < high:
                    self._cursors[order] = cursor
                    return start
            cursor += 1  # not_before only grows: a span without a grid start stays without
        self._cursors[order] = cursor
        return None


def _choose(
    search: SlotSearch,
    interviewers: Mapping[str, Interviewer],
    orders: list[_Order],
    walker: _StartWalker,
    grid: _Grid,
    earliest: int,
) -> list[Proposal]:
    """Greedy by rank: the earliest start (lightest load on a tie), then the earliest start
    after it ends, and so on. Anything starting before the last one ends would overlap it."""
    chosen: list[Proposal] = []
    not_before = earliest
    while len(chosen) < search.max_results:
        found = walker.earliest(not_before, grid)
        if found is None:
            break
        start, order_numbers = found
        candidates = [_proposal(search, interviewers, orders[i], start) for i in order_numbers]
        chosen.append(min(candidates, key=lambda proposal: proposal.load))
        not_before = start + orders[0].span
    return chosen


def _proposal(
    search: SlotSearch, interviewers: Mapping[str, Interviewer], order: _Order, start: int
) -> Proposal:
    placed = []
    for index, offset in zip(order.indexes, order.offsets, strict=True):
        session = search.sessions[index]
        session_start = start + offset
        placed.append(
            PlacedSession(
                name=session.name,
                start=_moment(session_start),
                end=_moment(session_start + _us(session.duration)),
                interviewer_keys=session.interviewer_keys,
            )
        )
    return Proposal(sessions=tuple(placed), load=proposal_load(placed, interviewers))
