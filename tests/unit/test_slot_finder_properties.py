"""Property tests of the slot finder: every product rule holds for random calendars, and a
slow brute-force reference finds exactly the same best proposals."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calendars.provider import BusyInterval
from calendars.slots import (
    Interviewer,
    PlacedSession,
    Proposal,
    SessionToPlace,
    SlotSearch,
    find_slots,
)

# Every UTC offset these zones use is a multiple of 15 minutes, which the brute force relies
# on to visit every possible grid start by stepping through UTC in 15-minute steps.
ZONES = [
    "Europe/Paris",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "UTC",
]
# Fridays before DST changes (US, Europe, Australia in April and October), and a quiet day
AROUND_DST = [
    date(2024, 3, 8),
    date(2024, 3, 29),
    date(2024, 4, 5),
    date(2024, 6, 12),
    date(2024, 10, 4),
    date(2024, 10, 25),
    date(2024, 11, 1),
]
KEYS = ["ana@example.com", "ben@example.com", "chloe@example.com", "dev@example.com"]
STEP = timedelta(minutes=15)
MICROSECOND = timedelta(microseconds=1)

RULES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REFERENCE = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Scenario:
    search: SlotSearch
    interviewers: dict[str, Interviewer]

    def proposals(self) -> list[Proposal]:
        return find_slots(self.search, self.interviewers)


def minutes(low: int, high: int, step: int = 1) -> st.SearchStrategy[timedelta]:
    return st.integers(low // step, high // step).map(lambda n: timedelta(minutes=n * step))


@st.composite
def interviewers(
    draw: st.DrawFn, key: str, home: str, window_start: datetime, window_end: datetime
) -> Interviewer:
    # most interviewers work where the company is, so that panels often have time in common
    zone = draw(st.just(home) | st.sampled_from(ZONES))
    start = draw(st.integers(0, 12 * 12)) * 5
    end = min(start + draw(st.integers(3 * 12, 14 * 12)) * 5, 24 * 60 - 1)
    span_minutes = (window_end - window_start) // timedelta(minutes=1)
    busy = draw(
        st.lists(
            st.tuples(minutes(-720, span_minutes + 720), minutes(5, 180)).map(
                lambda at: BusyInterval(window_start + at[0], window_start + at[0] + at[1])
            ),
            max_size=6,
        )
    )
    local_monday = window_start.astimezone(ZoneInfo(zone)).date()
    local_monday -= timedelta(days=local_monday.weekday() + 7)
    weeks = [local_monday + timedelta(weeks=n) for n in range(4)]
    booked = draw(st.lists(st.integers(0, 3), min_size=4, max_size=4))
    return Interviewer(
        key=key,
        timezone=zone,
        work_start=time(start // 60, start % 60),
        work_end=time(end // 60, end % 60),
        busy=tuple(busy),
        weekly_cap=draw(st.sampled_from([None, None, None, 0, 1, 2, 3, 4, 5])),
        booked_per_week=dict(zip(weeks, booked, strict=True)),
    )


@st.composite
def sessions(draw: st.DrawFn) -> tuple[SessionToPlace, ...]:
    return tuple(
        SessionToPlace(
            name=f"session {n}",
            duration=draw(minutes(15, 90, step=5)),
            interviewer_keys=tuple(
                draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=2, unique=True))
            ),
        )
        for n in range(draw(st.integers(1, 3)))
    )


@st.composite
def scenarios(draw: st.DrawFn, max_days: int) -> Scenario:
    day = draw(st.sampled_from(AROUND_DST)) + timedelta(days=draw(st.integers(-3, 3)))
    window_start = datetime.combine(day, time(0), tzinfo=UTC) + draw(minutes(0, 24 * 60 - 1))
    window_end = window_start + draw(minutes(60, max_days * 24 * 60))
    company = draw(st.sampled_from(ZONES))
    people = [draw(interviewers(key, company, window_start, window_end)) for key in KEYS]
    # public holidays: a few of the company's local days around the window (some at weekends)
    first_day = window_start.astimezone(ZoneInfo(company)).date() - timedelta(days=1)
    holidays = draw(
        st.frozensets(
            st.integers(0, (window_end - window_start).days + 2).map(
                lambda n: first_day + timedelta(days=n)
            ),
            max_size=3,
        )
    )
    search = SlotSearch(
        sessions=draw(sessions()),
        window_start=window_start,
        window_end=window_end,
        now=window_start + draw(minutes(-2 * 24 * 60, 6 * 60)),
        company_timezone=company,
        buffer=draw(minutes(0, 30)),
        min_notice=draw(minutes(0, 24 * 60, step=30)),
        gap_between_sessions=draw(minutes(0, 20, step=5)),
        grid=draw(st.sampled_from([STEP, 2 * STEP, 4 * STEP])),
        max_results=draw(st.integers(1, 6)),
        company_holidays=holidays,
    )
    return Scenario(search, {p.key: p for p in people})


class Rules:
    """The product rules, checked the slow and obvious way."""

    def __init__(self, scenario: Scenario) -> None:
        self.search = scenario.search
        self.interviewers = scenario.interviewers
        self.company = ZoneInfo(self.search.company_timezone)
        self.earliest = max(self.search.window_start, self.search.now + self.search.min_notice)
        self.sessions_of = Counter(
            key for session in self.search.sessions for key in session.interviewer_keys
        )

    def on_grid(self, moment: datetime) -> bool:
        local = moment.astimezone(self.company)
        since_midnight = timedelta(hours=local.hour, minutes=local.minute, seconds=local.second)
        return local.microsecond == 0 and since_midnight % self.search.grid == timedelta(0)

    def in_window(self, session: PlacedSession) -> bool:
        return self.earliest <= session.start and session.end <= self.search.window_end

    def on_company_working_day(self, session: PlacedSession) -> bool:
        """A company weekday that is not a company holiday, from start to end."""
        first = session.start.astimezone(self.company).date()
        last = (session.end - MICROSECOND).astimezone(self.company).date()
        return all(
            day.weekday() < 5 and day not in self.search.company_holidays for day in (first, last)
        )

    def in_working_hours(self, person: Interviewer, session: PlacedSession) -> bool:
        zone = ZoneInfo(person.timezone)
        day = session.start.astimezone(zone).date()
        return (
            day.weekday() < 5
            and datetime.combine(day, person.work_start, tzinfo=zone) <= session.start
            and session.end <= datetime.combine(day, person.work_end, tzinfo=zone)
        )

    def clear_of_busy(self, person: Interviewer, session: PlacedSession) -> bool:
        buffer = self.search.buffer
        return all(
            session.end <= busy.start - buffer or session.start >= busy.end + buffer
            for busy in person.busy
        )

    def under_cap(self, person: Interviewer, session: PlacedSession) -> bool:
        if person.weekly_cap is None:
            return True
        day = session.start.astimezone(ZoneInfo(person.timezone)).date()
        booked = person.booked_per_week.get(day - timedelta(days=day.weekday()), 0)
        return booked + self.sessions_of[person.key] <= person.weekly_cap

    def back_to_back(self, sessions: Sequence[PlacedSession]) -> bool:
        gap = self.search.gap_between_sessions
        return all(b.start - a.end == gap for a, b in itertools.pairwise(sessions))

    def on_one_company_day(self, sessions: Sequence[PlacedSession]) -> bool:
        first = sessions[0].start.astimezone(self.company).date()
        return (
            len(sessions) == 1
            or (sessions[-1].end - MICROSECOND).astimezone(self.company).date() == first
        )

    def session_ok(self, session: PlacedSession) -> bool:
        people = [self.interviewers[key] for key in session.interviewer_keys]
        return (
            self.in_window(session)
            and self.on_company_working_day(session)
            and all(self.in_working_hours(p, session) for p in people)
            and all(self.clear_of_busy(p, session) for p in people)
            and all(self.under_cap(p, session) for p in people)
        )

    def load(self, sessions: Sequence[PlacedSession]) -> float:
        shares = []
        seen: set[str] = set()
        for session in sessions:
            for key in session.interviewer_keys:
                if key in seen:
                    continue
                seen.add(key)
                person = self.interviewers[key]
                day = session.start.astimezone(ZoneInfo(person.timezone)).date()
                booked = person.booked_per_week.get(day - timedelta(days=day.weekday()), 0)
                shares.append(booked / person.weekly_cap if person.weekly_cap else booked)
        return math.fsum(shares)


def reference_candidates(rules: Rules) -> Iterator[Proposal]:
    """Every valid proposal: each grid start, each order of the sessions, checked one by one."""
    search = rules.search
    valid: dict[PlacedSession, bool] = {}
    moment = datetime.combine(search.window_start.date(), time(0), tzinfo=UTC)
    while moment < search.window_end:
        if rules.on_grid(moment):
            for order in itertools.permutations(search.sessions):
                placed = place(order, moment, search.gap_between_sessions)
                for session in placed:
                    if session not in valid:
                        valid[session] = rules.session_ok(session)
                if all(valid[s] for s in placed) and rules.on_one_company_day(placed):
                    yield Proposal(sessions=placed, load=rules.load(placed))
        moment += STEP


def place(
    order: Sequence[SessionToPlace], start: datetime, gap: timedelta
) -> tuple[PlacedSession, ...]:
    placed = []
    for session in order:
        end = start + session.duration
        placed.append(PlacedSession(session.name, start, end, session.interviewer_keys))
        start = end + gap
    return tuple(placed)


def reference_best(rules: Rules) -> list[Proposal]:
    chosen: list[Proposal] = []
    # sorted() is stable: among equal (start, load), the first order of the sessions wins
    for candidate in sorted(reference_candidates(rules), key=lambda p: (p.start, p.load)):
        if len(chosen) == rules.search.max_results:
            break
        if all(candidate.end <= taken.start or candidate.start >= taken.end for taken in chosen):
            chosen.append(candidate)
    return chosen


def all_sessions(proposals: list[Proposal]) -> Iterator[PlacedSession]:
    return (session for proposal in proposals for session in proposal.sessions)


@RULES
@given(scenarios(max_days=10))
def test_no_proposal_overlaps_busy_time_widened_by_the_buffer(scenario: Scenario) -> None:
    rules = Rules(scenario)
    for session in all_sessions(scenario.proposals()):
        for key in session.interviewer_keys:
            assert rules.clear_of_busy(scenario.interviewers[key], session)


@RULES
@given(scenarios(max_days=10))
def test_every_session_is_in_its_interviewers_working_hours_on_weekdays(
    scenario: Scenario,
) -> None:
    rules = Rules(scenario)
    for session in all_sessions(scenario.proposals()):
        assert rules.on_company_working_day(session)
        for key in session.interviewer_keys:
            assert rules.in_working_hours(scenario.interviewers[key], session)


@RULES
@given(scenarios(max_days=10))
def test_no_proposal_starts_or_ends_on_a_company_holiday(scenario: Scenario) -> None:
    company = ZoneInfo(scenario.search.company_timezone)
    for session in all_sessions(scenario.proposals()):
        assert session.start.astimezone(company).date() not in scenario.search.company_holidays
        last = (session.end - MICROSECOND).astimezone(company).date()
        assert last not in scenario.search.company_holidays


@RULES
@given(scenarios(max_days=10))
def test_no_weekly_cap_is_broken(scenario: Scenario) -> None:
    rules = Rules(scenario)
    for session in all_sessions(scenario.proposals()):
        for key in session.interviewer_keys:
            assert rules.under_cap(scenario.interviewers[key], session)


@RULES
@given(scenarios(max_days=10))
def test_proposals_are_in_the_window_after_the_notice_and_on_the_grid(
    scenario: Scenario,
) -> None:
    rules = Rules(scenario)
    for proposal in scenario.proposals():
        assert rules.on_grid(proposal.start)
        assert all(rules.in_window(session) for session in proposal.sessions)


@RULES
@given(scenarios(max_days=10))
def test_sessions_are_back_to_back_with_the_exact_gap_on_one_company_day(
    scenario: Scenario,
) -> None:
    rules = Rules(scenario)
    for proposal in scenario.proposals():
        assert sorted(s.name for s in proposal.sessions) == sorted(
            s.name for s in scenario.search.sessions
        )
        assert rules.back_to_back(proposal.sessions)
        assert rules.on_one_company_day(proposal.sessions)


@RULES
@given(scenarios(max_days=10))
def test_at_most_max_results_sooner_first_and_never_overlapping(scenario: Scenario) -> None:
    proposals = scenario.proposals()
    assert len(proposals) <= scenario.search.max_results
    for earlier, later in itertools.pairwise(proposals):
        assert earlier.end <= later.start


@REFERENCE
@given(scenarios(max_days=3))
def test_finds_a_slot_whenever_the_brute_force_does(scenario: Scenario) -> None:
    rules = Rules(scenario)
    found_by_brute_force = next(reference_candidates(rules), None)
    proposals = scenario.proposals()
    assert (found_by_brute_force is None) == (proposals == [])


@REFERENCE
@given(scenarios(max_days=3))
def test_same_best_proposals_as_the_brute_force(scenario: Scenario) -> None:
    expected = reference_best(Rules(scenario))
    proposals = scenario.proposals()
    assert [p.sessions for p in proposals] == [p.sessions for p in expected]
    assert [p.load for p in proposals] == [p.load for p in expected]
