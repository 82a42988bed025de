"""Who interviews: each pool's members by load, why a panel was chosen, and the other panels the
bot may try when the recruiter lets pool members stand in for each other.

A member's load is read over the rolling four-week window of `bot.scheduling.load`; the ranking
(lightest first, then least recently booked, then a weekly rotation) is `lightest_first`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.scheduling.load import MemberLoad, Participation, lightest_first, load_window, member_loads
from calendars.slot_types import monday_of
from models.directory import PersonEntry
from models.unit_of_work import UnitOfWork

# How many panels other than the recruiter's a search may try.
MAX_OTHER_PANELS = 8

Panel = dict[int, list[int]]  # stage session position -> person ids


@dataclass(frozen=True)
class PoolStanding:
    """One pool's active members, lightest first."""

    key: str
    name: str
    ranked: tuple[MemberLoad, ...]

    def rank_of(self, person_id: int) -> int | None:
        return next((i for i, m in enumerate(self.ranked) if m.person_id == person_id), None)


def pool_standings(
    uow: UnitOfWork, pool_keys: Iterable[str], now: datetime, zone: ZoneInfo
) -> dict[str, PoolStanding]:
    """The standing of each of these pools now, from one query for all their members' bookings."""
    members = uow.directory.pool_members(sorted(set(pool_keys)))
    loads = pool_member_loads(uow, members, now)
    week = monday_of(now.astimezone(zone).date())
    names = uow.directory.pool_names()
    return {
        key: PoolStanding(
            key, names.get(key, key), tuple(lightest_first([loads[p.id] for p in people], week))
        )
        for key, people in members.items()
    }


def pool_member_loads(
    uow: UnitOfWork, members: Mapping[str, Sequence[PersonEntry]], now: datetime
) -> dict[int, MemberLoad]:
    """Every pool member's load over the rolling window; a member at their weekly cap this week
    is marked `capped`."""
    people = {person.id: person for pool in members.values() for person in pool}
    window = load_window(now)
    bookings = uow.interviews.interviewer_bookings(list(people), *window)
    this_week: dict[int, set[int]] = {}
    for booking in bookings:
        person = people[booking.person_id]
        if _week(person, booking.starts_at) == _week(person, now):
            this_week.setdefault(person.id, set()).add(booking.interview_id)
    capped = {
        person.id
        for person in people.values()
        if person.weekly_interview_cap is not None
        and len(this_week.get(person.id, ())) >= person.weekly_interview_cap
    }
    participations = [
        Participation(b.person_id, b.starts_at, b.ends_at, b.booked_at) for b in bookings
    ]
    return member_loads(people, participations, window, capped)


def why_these_people(
    panel: Panel,
    session_pools: Mapping[int, str],
    standings: Mapping[str, PoolStanding],
    names: Mapping[int, str],
) -> str:
    """One line saying why each interviewer is on the panel, from their pool standing."""
    reasons = []
    for position in sorted(panel):
        standing = standings.get(session_pools.get(position, ""))
        for person_id in panel[position]:
            reasons.append(f"{names.get(person_id) or 'someone'}: {_why(standing, person_id)}")
    return "; ".join(reasons)


def _why(standing: PoolStanding | None, person_id: int) -> str:
    rank = standing.rank_of(person_id) if standing else None
    if standing is None or rank is None:
        return "picked by the recruiter"
    load = standing.ranked[rank]
    interviews = f"{load.interviews} interview{'s' if load.interviews != 1 else ''} in 4 weeks"
    if rank == 0:
        return f"lightest load in {standing.name} ({interviews})"
    return (
        f"{_ordinal(rank + 1)} lightest of {len(standing.ranked)} in {standing.name} ({interviews})"
    )


def _ordinal(number: int) -> str:
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10 if number % 100 not in (11, 12, 13) else 0)
    return f"{number}{suffix or 'th'}"


def other_panels(
    panel: Panel, session_pools: Mapping[int, str], standings: Mapping[str, PoolStanding]
) -> list[Panel]:
    """Panels other than `panel` drawn from the same pools, lightest members first: the k-th
    takes, for each session, the k-th group of its pool's members by the sum of their ranks
    ((0, 1), (0, 2), (1, 2), (0, 3)... for two interviewers), leaving out anyone already in an
    earlier session. Sessions whose pool is unknown keep the recruiter's picks."""
    found: list[Panel] = []
    for k in range(MAX_OTHER_PANELS + 1):
        candidate = _panel_from_rank(panel, session_pools, standings, k)
        if candidate is not None and candidate != panel and candidate not in found:
            found.append(candidate)
    return found[:MAX_OTHER_PANELS]


def _panel_from_rank(
    panel: Panel, session_pools: Mapping[int, str], standings: Mapping[str, PoolStanding], k: int
) -> Panel | None:
    chosen: Panel = {}
    taken: set[int] = set()
    for position in sorted(panel):
        standing = standings.get(session_pools.get(position, ""))
        count = len(panel[position])
        if standing is None:
            members = panel[position]
        else:
            free = [m.person_id for m in standing.ranked if m.person_id not in taken]
            groups = _groups_lightest_first(len(free), count)
            members = [free[i] for i in groups[k]] if k < len(groups) else []
        if len(members) < count:
            return None
        chosen[position] = list(members)
        taken.update(members)
    return chosen


def _groups_lightest_first(size: int, count: int) -> list[tuple[int, ...]]:
    """The groups of `count` ranks among `size`, by the sum of their ranks (lighter first)."""
    groups = itertools.combinations(range(size), count)
    return sorted(itertools.islice(groups, 200), key=lambda group: (sum(group), group))


def _week(person: PersonEntry, moment: datetime) -> date:
    return monday_of(moment.astimezone(ZoneInfo(person.timezone)).date())
