"""The digest's pure figures: median days in stage, funnel, interview load, lateness."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.digest.figures import (
    BookedSession,
    StageRef,
    feedback_lateness,
    funnel_by_role,
    interview_load,
    median_days_in_stage,
    pipeline_by_stage,
    reached_at_least,
)
from bot.digest.model import FunnelStep, InterviewerLoad, RoleFunnel, StageCount

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
LEAD = [
    StageRef(1, 1, "Lead Backend Developer", 1, "HR screening"),
    StageRef(2, 1, "Lead Backend Developer", 2, "Hiring manager"),
    StageRef(3, 1, "Lead Backend Developer", 3, "Onsite"),
]
DESIGNER = [
    StageRef(10, 2, "Designer", 2, "Portfolio"),
    StageRef(9, 2, "Designer", 1, "Screening"),
]

days_ago = st.floats(min_value=0, max_value=400, allow_nan=False)
counts = st.lists(st.integers(min_value=0, max_value=1000), max_size=8)


def _ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


# ---------------------------------------------------------------- median days in stage


def test_median_days_of_an_odd_and_an_even_number_of_candidates() -> None:
    assert median_days_in_stage([_ago(1), _ago(5), _ago(2)], NOW) == 2.0
    assert median_days_in_stage([_ago(1), _ago(4)], NOW) == 2.5


def test_median_days_of_nobody_is_none() -> None:
    assert median_days_in_stage([], NOW) is None


@given(st.lists(days_ago, min_size=1, max_size=50))
def test_median_lies_between_the_shortest_and_the_longest_stay(ages: list[float]) -> None:
    median = median_days_in_stage([_ago(age) for age in ages], NOW)
    assert median is not None
    assert min(ages) - 1e-6 <= median <= max(ages) + 1e-6


@given(st.lists(days_ago, min_size=1, max_size=50), st.randoms())
def test_median_ignores_the_order_of_candidates(ages: list[float], random: object) -> None:
    shuffled = list(ages)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert median_days_in_stage([_ago(a) for a in shuffled], NOW) == median_days_in_stage(
        [_ago(a) for a in ages], NOW
    )


@given(st.lists(days_ago, min_size=1, max_size=50), st.integers(min_value=0, max_value=60))
def test_median_grows_by_the_days_that_pass(ages: list[float], later: int) -> None:
    entered = [_ago(age) for age in ages]
    today = median_days_in_stage(entered, NOW)
    after = median_days_in_stage(entered, NOW + timedelta(days=later))
    assert today is not None and after is not None
    assert abs(after - today - later) < 1e-6


# ---------------------------------------------------------------- pipeline


def test_pipeline_per_role_and_stage_in_pipeline_order() -> None:
    placements = [(1, _ago(2)), (1, _ago(4)), (3, _ago(10)), (9, _ago(1))]
    pipeline = pipeline_by_stage(LEAD + DESIGNER, placements, NOW)
    assert [role.role for role in pipeline] == ["Designer", "Lead Backend Developer"]
    assert pipeline[0].stages == (StageCount("Screening", 1, 1.0), StageCount("Portfolio", 0, None))
    assert pipeline[1].stages == (
        StageCount("HR screening", 2, 3.0),
        StageCount("Hiring manager", 0, None),
        StageCount("Onsite", 1, 10.0),
    )


def test_roles_without_active_candidates_are_left_out() -> None:
    assert pipeline_by_stage(LEAD + DESIGNER, [(2, _ago(1))], NOW)[0].role == (
        "Lead Backend Developer"
    )
    assert pipeline_by_stage(LEAD, [], NOW) == ()


@given(st.lists(st.tuples(st.sampled_from([1, 2, 3, 9, 10]), days_ago), max_size=60))
def test_pipeline_counts_every_active_candidate_once(placements: list[tuple[int, float]]) -> None:
    pipeline = pipeline_by_stage(
        LEAD + DESIGNER, [(stage, _ago(age)) for stage, age in placements], NOW
    )
    assert sum(role.candidates for role in pipeline) == len(placements)


# ---------------------------------------------------------------- funnel


def test_reached_at_least_a_stage_counts_those_who_went_further() -> None:
    assert reached_at_least([5, 3, 0, 2]) == [10, 5, 2, 2]
    assert reached_at_least([]) == []


@given(counts)
def test_funnel_never_grows_from_one_stage_to_the_next(at_stage: list[int]) -> None:
    reached = reached_at_least(at_stage)
    assert all(a >= b for a, b in zip(reached, reached[1:], strict=False))


@given(counts)
def test_funnel_starts_with_everyone_and_its_steps_give_back_each_stage(
    at_stage: list[int],
) -> None:
    reached = reached_at_least(at_stage)
    assert reached[:1] == ([sum(at_stage)] if at_stage else [])
    assert [a - b for a, b in zip(reached, [*reached[1:], 0], strict=False)] == at_stage


def test_funnel_by_role_in_pipeline_order() -> None:
    funnel = funnel_by_role(LEAD + DESIGNER, {1: 4, 3: 1, 10: 2})
    assert funnel == (
        RoleFunnel("Designer", (FunnelStep("Screening", 2), FunnelStep("Portfolio", 2))),
        RoleFunnel(
            "Lead Backend Developer",
            (
                FunnelStep("HR screening", 5),
                FunnelStep("Hiring manager", 1),
                FunnelStep("Onsite", 1),
            ),
        ),
    )


@given(st.dictionaries(st.sampled_from([1, 2, 3, 9, 10]), st.integers(0, 500)))
def test_every_role_funnel_is_monotonic_and_counts_its_whole_cohort(
    current: dict[int, int],
) -> None:
    for role in funnel_by_role(LEAD + DESIGNER, current):
        reached = [step.reached for step in role.steps]
        assert reached == sorted(reached, reverse=True)
        stage_ids = {s.stage_id for s in LEAD + DESIGNER if s.role == role.role}
        assert reached[0] == sum(n for stage, n in current.items() if stage in stage_ids)


# ---------------------------------------------------------------- interview load


def _session(person: str, event: int, minutes: int, cap: int | None = None) -> BookedSession:
    start = NOW + timedelta(hours=event)
    return BookedSession(person, cap, event, start, start + timedelta(minutes=minutes))


def test_load_counts_each_interviewers_sessions_busiest_first() -> None:
    load = interview_load(
        [
            _session("U_A", 1, 30),
            _session("U_B", 1, 30, cap=3),
            _session("U_B", 2, 45, cap=3),
            _session("U_C", 3, 90),
        ]
    )
    assert load == [
        InterviewerLoad("U_B", 2, 75, 3),
        InterviewerLoad("U_C", 1, 90, None),
        InterviewerLoad("U_A", 1, 30, None),
    ]


sessions = st.lists(
    st.builds(
        _session,
        st.sampled_from(["U_A", "U_B", "U_C", "U_D"]),
        st.integers(min_value=1, max_value=20),
        st.integers(min_value=15, max_value=180),
    ),
    max_size=40,
)


@given(sessions)
def test_load_adds_up_to_the_distinct_sessions(booked: list[BookedSession]) -> None:
    load = interview_load(booked)
    assert sum(entry.interviews for entry in load) == len(
        {(s.interviewer_slack_id, s.event_id) for s in booked}
    )
    assert len({entry.interviewer_slack_id for entry in load}) == len(load)


@given(sessions)
def test_load_is_sorted_busiest_first_and_ignores_repeated_rows(
    booked: list[BookedSession],
) -> None:
    load = interview_load(booked)
    assert [e.interviews for e in load] == sorted((e.interviews for e in load), reverse=True)
    assert interview_load(booked + booked) == load


# ---------------------------------------------------------------- lateness


def test_feedback_is_late_from_24_hours_after_the_interview() -> None:
    ended = NOW - timedelta(hours=30)
    assert feedback_lateness(ended, NOW) == timedelta(hours=6)
    assert feedback_lateness(NOW - timedelta(hours=23), NOW) == timedelta(0)


@given(
    st.integers(min_value=-10_000, max_value=100_000), st.integers(min_value=0, max_value=10_000)
)
def test_lateness_is_never_negative_and_grows_with_time(ended_minutes_ago: int, later: int) -> None:
    ended = NOW - timedelta(minutes=ended_minutes_ago)
    now_late = feedback_lateness(ended, NOW)
    assert now_late >= timedelta(0)
    assert feedback_lateness(ended, NOW + timedelta(minutes=later)) >= now_late
