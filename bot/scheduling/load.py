"""Interviewer load and the default panel chosen by it: lightest first, then a fair rotation.

Pure functions over plain data. A member's load is the interview minutes they take part in over
a rolling four-week window (two weeks back, two weeks ahead of now). Ties go to whoever the bot
booked least recently (never booked comes first), then to a hash of the person id and the week,
so equal members take turns week after week instead of in alphabetical order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

LOAD_WINDOW_HALF = timedelta(weeks=2)


@dataclass(frozen=True)
class Participation:
    """One interviewer's part in one event of a booked (or pending) interview."""

    person_id: int
    starts_at: datetime
    ends_at: datetime
    booked_at: datetime


@dataclass(frozen=True)
class MemberLoad:
    person_id: int
    minutes: int
    last_booked_at: datetime | None
    capped: bool = False
    interviews: int = 0  # events they take part in inside the window


def load_window(now: datetime) -> tuple[datetime, datetime]:
    """The rolling four-week window around `now` over which load is counted."""
    return now - LOAD_WINDOW_HALF, now + LOAD_WINDOW_HALF


def member_loads(
    person_ids: Iterable[int],
    participations: Iterable[Participation],
    window: tuple[datetime, datetime],
    capped: Collection[int] = (),
) -> dict[int, MemberLoad]:
    """Each person's minutes inside `window` (events clipped to it) and latest booking."""
    start, end = window
    minutes = dict.fromkeys(person_ids, 0)
    count = dict.fromkeys(minutes, 0)
    last: dict[int, datetime] = {}
    for part in participations:
        if part.person_id not in minutes:
            continue
        inside = min(part.ends_at, end) - max(part.starts_at, start)
        minutes[part.person_id] += max(0, int(inside.total_seconds() // 60))
        count[part.person_id] += inside.total_seconds() > 0
        if part.person_id not in last or part.booked_at > last[part.person_id]:
            last[part.person_id] = part.booked_at
    return {
        person_id: MemberLoad(
            person_id, total, last.get(person_id), person_id in capped, count[person_id]
        )
        for person_id, total in minutes.items()
    }


def rotation(person_id: int, week: date) -> int:
    """A stable number mixing the person and the week: the last tie-break, not alphabetical."""
    digest = hashlib.sha256(f"{person_id}:{week.isoformat()}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def lightest_first(loads: Iterable[MemberLoad], week: date) -> list[MemberLoad]:
    """Members below their cap first, then by minutes, least recently booked, rotation."""
    return sorted(
        loads,
        key=lambda m: (
            m.capped,
            m.minutes,
            m.last_booked_at is not None,
            m.last_booked_at.timestamp() if m.last_booked_at is not None else 0.0,
            rotation(m.person_id, week),
        ),
    )


def choose_panel(
    pool: Sequence[MemberLoad], count: int, week: date, taken: Collection[int] = ()
) -> list[int]:
    """The ids of the `count` lightest pool members not already `taken` (fewer if the pool is
    smaller)."""
    free = [member for member in pool if member.person_id not in taken]
    return [member.person_id for member in lightest_first(free, week)[: max(count, 0)]]
