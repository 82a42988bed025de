"""How fast the slot finder is on synthetic calendars, 60 % busy within working hours.

    python -m bench.slot_finder            # full run, well under a minute
    python -m bench.slot_finder --quick    # reduced set, a few seconds
    python -m bench.slot_finder --runs 9   # each figure the min / median of 9 runs (default 5)

A run is the median of repeated searches (as many as fit in a short time budget, at least 5);
each figure is the minimum / median of `--runs` such runs. Pure Python: no database. Prints
figures; it is not a pass/fail test and always exits 0.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time as clock
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bench.machine import Spread, add_runs_argument, print_header, repeat, spread
from calendars.provider import BusyInterval
from calendars.slots import Interviewer, SessionToPlace, SlotSearch, find_slots

SEED = 20241021
COMPANY_TIMEZONE = "Europe/Paris"
FIRST_MONDAY = date(2024, 10, 21)  # the window crosses the end of summer time in Europe
INTERVIEWER_ZONES = ["Europe/Paris", "Europe/Paris", "Europe/London", "Europe/Berlin"]
MEETING_MINUTES = [30, 45, 60, 90]
BUSY_SHARE = 0.6
TARGET_MS = 20.0
BUDGET_SECONDS, QUICK_BUDGET_SECONDS = 0.15, 0.03  # per run of one search


@dataclass(frozen=True)
class Case:
    interviewers: int
    weeks: int
    meeting_pieces: int = 1  # each meeting cut into this many back-to-back events


@dataclass(frozen=True)
class Measure:
    case: Case
    busy_intervals: int
    onsite_ms: Spread
    technical_ms: Spread | None
    onsite_found: int
    technical_found: int


def synthetic_interviewer(rng: random.Random, index: int, weeks: int, pieces: int) -> Interviewer:
    zone_name = rng.choice(INTERVIEWER_ZONES)
    zone = ZoneInfo(zone_name)
    busy: list[BusyInterval] = []
    for day_number in range(-1, weeks * 7 + 1):
        day = FIRST_MONDAY + timedelta(days=day_number)
        if day.weekday() < 5:
            busy.extend(working_day_meetings(rng, day, zone, pieces))
    capped = index % 2 == 0
    return Interviewer(
        key=f"interviewer{index}@example.com",
        timezone=zone_name,
        busy=tuple(busy),
        weekly_cap=8 if capped else None,
        booked_per_week={
            FIRST_MONDAY + timedelta(weeks=week): rng.randint(0, 5) for week in range(weeks)
        },
    )


def working_day_meetings(
    rng: random.Random, day: date, zone: ZoneInfo, pieces: int
) -> list[BusyInterval]:
    """Blocks of 30-90 minutes from 09:00 to 18:00, each one busy with probability 60 %."""
    meetings: list[BusyInterval] = []
    cursor = datetime.combine(day, time(9), tzinfo=zone)
    day_end = datetime.combine(day, time(18), tzinfo=zone)
    while cursor < day_end:
        length = timedelta(minutes=rng.choice(MEETING_MINUTES))
        if rng.random() < BUSY_SHARE:
            piece = length / pieces
            meetings.extend(
                BusyInterval(cursor + n * piece, cursor + (n + 1) * piece) for n in range(pieces)
            )
        cursor += length
    return meetings


def onsite_for(keys: Sequence[str]) -> tuple[SessionToPlace, ...]:
    """Three 45-minute sessions whose panels, together, include every interviewer."""
    return tuple(
        SessionToPlace(f"onsite {n + 1}", timedelta(minutes=45), tuple(keys[n::3]))
        for n in range(3)
    )


def search_for(sessions: tuple[SessionToPlace, ...], weeks: int) -> SlotSearch:
    window_start = datetime.combine(FIRST_MONDAY, time(0), tzinfo=ZoneInfo(COMPANY_TIMEZONE))
    return SlotSearch(
        sessions=sessions,
        window_start=window_start,
        window_end=window_start + timedelta(weeks=weeks),
        now=window_start - timedelta(days=1),
        company_timezone=COMPANY_TIMEZONE,
    )


def median_ms(run: Callable[[], object], budget_seconds: float) -> float:
    """One run: the median of as many searches as fit in the budget (5 to 300)."""
    run()  # warm the time zone caches
    started = clock.perf_counter()
    run()
    once = max(clock.perf_counter() - started, 1e-6)
    timings = []
    for _ in range(max(5, min(300, int(budget_seconds / once)))):
        started = clock.perf_counter()
        run()
        timings.append(clock.perf_counter() - started)
    return statistics.median(timings) * 1000


def spread_ms(run: Callable[[], object], budget_seconds: float, runs: int) -> Spread:
    return spread(repeat(lambda: median_ms(run, budget_seconds), runs))


def measure(case: Case, budget_seconds: float, runs: int, technical: bool = True) -> Measure:
    """The onsite search (and the technical one unless `technical` is false) on `case`."""
    rng = random.Random(f"{SEED}-{case}")
    people = [
        synthetic_interviewer(rng, n, case.weeks, case.meeting_pieces)
        for n in range(case.interviewers)
    ]
    by_key = {person.key: person for person in people}
    keys = [person.key for person in people]
    onsite = search_for(onsite_for(keys), case.weeks)
    two = search_for(
        (SessionToPlace("technical test", timedelta(minutes=90), tuple(keys[:2])),), case.weeks
    )
    return Measure(
        case=case,
        busy_intervals=sum(len(person.busy) for person in people),
        onsite_ms=spread_ms(lambda: find_slots(onsite, by_key), budget_seconds, runs),
        technical_ms=(
            spread_ms(lambda: find_slots(two, by_key), budget_seconds, runs) if technical else None
        ),
        onsite_found=len(find_slots(onsite, by_key)),
        technical_found=len(find_slots(two, by_key)),
    )


def print_table(measures: Sequence[Measure]) -> None:
    print(
        f"{'interviewers':>12} {'weeks':>5} {'busy intervals':>14} "
        f"{'onsite ms':>13} {'found':>5} {'technical ms':>13} {'found':>5}"
    )
    for m in measures:
        technical = m.technical_ms.text(2) if m.technical_ms else "-"
        print(
            f"{m.case.interviewers:>12} {m.case.weeks:>5} {m.busy_intervals:>14} "
            f"{m.onsite_ms.text(2):>13} {m.onsite_found:>5} "
            f"{technical:>13} {m.technical_found:>5}"
        )


def print_growth(title: str, measures: Sequence[Measure]) -> None:
    print(f"\nGrowth check, {title} (onsite search, from the medians):")
    print(f"{'busy intervals':>14} {'ms':>13} {'us per interval':>16} {'time x':>7}")
    previous: Measure | None = None
    for m in measures:
        median = m.onsite_ms.median
        ratio = f"{median / previous.onsite_ms.median:>7.2f}" if previous else f"{'':>7}"
        per_interval = median * 1000 / m.busy_intervals
        print(f"{m.busy_intervals:>14} {m.onsite_ms.text(2):>13} {per_interval:>16.2f} {ratio}")
        previous = m
    print("(busy intervals double from row to row: 'time x' near 2 is n log n, 4 would be n^2)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a reduced set in a few seconds")
    add_runs_argument(parser)
    args = parser.parse_args(argv)
    budget, runs = (QUICK_BUDGET_SECONDS if args.quick else BUDGET_SECONDS), args.runs
    print_header("bench.slot_finder", runs)
    sizes = [3, 8] if args.quick else [3, 8, 20]
    cases = [Case(n, weeks) for n in sizes for weeks in (2, 8)] + [Case(8, 4)]
    measures = [
        measure(case, budget, runs)
        for case in sorted(cases, key=lambda c: (c.interviewers, c.weeks))
    ]
    print("Slot finder, one search = an onsite of 3 x 45 min whose panels cover every interviewer;")
    print("technical = one 90-minute session with 2 of them. A run = the median of repeated")
    print(f"searches; times are min / median ms of {runs} runs.\n")
    print_table(measures)

    target = next(m for m in measures if m.case == Case(8, 4))
    verdict = "met" if target.onsite_ms.median < TARGET_MS else "NOT met"
    print(f"\nTarget 8 interviewers x 4 weeks < {TARGET_MS:.0f} ms: ", end="")
    print(f"{target.onsite_ms.text(2)} ms per search (min / median), {verdict}")

    window_steps = [2, 4, 8] if args.quick else [2, 4, 8, 16, 32]
    print_growth(
        "longer windows, 8 interviewers",
        [measure(Case(8, w), budget, runs, technical=False) for w in window_steps],
    )
    pieces = [1, 2, 4] if args.quick else [1, 2, 4, 8, 16]
    print_growth(
        "same 4-week calendars, meetings cut into more pieces",
        [
            measure(replace(Case(8, 4), meeting_pieces=p), budget, runs, technical=False)
            for p in pieces
        ],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
