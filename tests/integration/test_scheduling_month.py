"""The simulated scheduling month (bench.scheduling_month) keeps every rule, and its checker can
fail: a small month on each database, then crafted records the violation finder must catch."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bench import month_world
from bench.month_world import (
    BookedSession,
    BusyBlock,
    InterviewerHours,
    MonthRecord,
    StageRules,
    gini,
    percentile,
    violations,
)
from bench.scheduling_month import QUICK, report, run_month
from bot.shared.working_time import WorkingDays

PARIS = ZoneInfo("Europe/Paris")
TUESDAY_TEN = datetime(2026, 5, 5, 8, 0, tzinfo=UTC)  # 10:00 in Paris
BOOKED_AT = datetime(2026, 4, 20, 8, 0, tzinfo=UTC)


def test_a_quick_month_breaks_no_rule_and_places_most_stages(database_url: str) -> None:
    result = run_month(database_url, QUICK, "load", seed=3)

    assert result.violations == [], "\n".join(report(result))
    assert result.tally.errors == []
    assert result.tally.bookings >= QUICK.candidates
    assert result.tally.races >= 1
    placed = sum(result.tally.inside_window) / (result.tally.bookings + result.tally.unplaced)
    assert placed >= 0.7, "\n".join(report(result))


def _record(
    sessions: list[BookedSession],
    busy: tuple[BusyBlock, ...] = (),
    people: tuple[InterviewerHours, ...] = (),
) -> MonthRecord:
    grace = InterviewerHours(1, "Grace", "Europe/Paris", time(9), time(18), daily_cap=2)
    marc = InterviewerHours(2, "Marc", "America/Montreal", time(9), time(18), None, None, "CA")
    rules = StageRules("hr", timedelta(minutes=10), timedelta(hours=24), 4, None)
    return MonthRecord(
        sessions=tuple(sessions),
        busy=busy,
        interviewers={p.person_id: p for p in (grace, marc, *people)},
        stages={"hr": rules},
        pools={"recruiters": (1, 2)},
        company_zone=PARIS,
        company_days=WorkingDays.for_country("FR"),
    )


def _session(
    interview_id: int,
    start: datetime,
    minutes: int = 30,
    interviewers: tuple[int, ...] = (1,),
    candidate_id: int | None = None,
) -> BookedSession:
    return BookedSession(
        interview_id,
        "hr",
        candidate_id if candidate_id is not None else interview_id,
        interviewers,
        start,
        start + timedelta(minutes=minutes),
        BOOKED_AT,
    )


def _kinds(record: MonthRecord) -> list[str]:
    return [v.kind for v in violations(record)]


def test_a_clean_record_has_no_violation() -> None:
    record = _record([_session(1, TUESDAY_TEN), _session(2, TUESDAY_TEN + timedelta(hours=1))])
    assert violations(record) == []


def test_an_interviewer_in_two_overlapping_interviews_is_a_double_booking() -> None:
    record = _record([_session(1, TUESDAY_TEN), _session(2, TUESDAY_TEN + timedelta(minutes=15))])
    assert _kinds(record) == [month_world.DOUBLE_BOOKING]


def test_a_candidate_in_two_overlapping_interviews_is_a_double_booking() -> None:
    first = _session(1, TUESDAY_TEN, candidate_id=9)
    second = _session(2, TUESDAY_TEN, interviewers=(2,), candidate_id=9)
    assert month_world.DOUBLE_BOOKING in _kinds(_record([first, second]))


def test_an_interview_over_a_busy_block_or_inside_its_buffer_is_found() -> None:
    busy = (
        BusyBlock(1, TUESDAY_TEN + timedelta(minutes=20), TUESDAY_TEN + timedelta(hours=1)),
        BusyBlock(1, TUESDAY_TEN - timedelta(hours=1), TUESDAY_TEN - timedelta(minutes=5)),
    )
    kinds = _kinds(_record([_session(1, TUESDAY_TEN)], busy))
    assert sorted(kinds) == [month_world.DOUBLE_BOOKING, month_world.INSIDE_BUFFER]


def test_interviews_closer_than_the_buffer_are_found() -> None:
    record = _record([_session(1, TUESDAY_TEN), _session(2, TUESDAY_TEN + timedelta(minutes=35))])
    assert _kinds(record) == [month_world.INSIDE_BUFFER]


def test_outside_the_interviewers_own_working_hours_is_found() -> None:
    # 10:00 in Paris is 04:00 in Montreal
    assert _kinds(_record([_session(1, TUESDAY_TEN, interviewers=(2,))])) == [
        month_world.OUTSIDE_HOURS
    ]


def test_company_and_personal_holidays_are_found() -> None:
    may_day = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)  # Friday 1 May, a French holiday
    bank_holiday = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)  # Monday, a holiday in England
    olivia = InterviewerHours(3, "Olivia", "Europe/London", time(9), time(18), None, None, "GB")
    sessions = [_session(1, may_day), _session(2, bank_holiday, interviewers=(3,))]
    kinds = _kinds(_record(sessions, people=(olivia,)))
    assert kinds == [month_world.ON_HOLIDAY, month_world.ON_HOLIDAY]


def test_booking_inside_the_notice_is_found() -> None:
    late = BookedSession(
        1,
        "hr",
        1,
        (1,),
        TUESDAY_TEN,
        TUESDAY_TEN + timedelta(minutes=30),
        TUESDAY_TEN - timedelta(hours=3),
    )
    assert _kinds(_record([late])) == [month_world.UNDER_NOTICE]


def test_more_interviews_than_the_lower_cap_in_a_day_is_found() -> None:
    day = [_session(n, TUESDAY_TEN + timedelta(hours=n)) for n in range(3)]  # Grace's cap: 2
    assert _kinds(_record(day)) == [month_world.OVER_CAP]


def test_a_booking_the_calendar_does_not_hold_is_found() -> None:
    record = _record([_session(1, TUESDAY_TEN)])
    mismatched = MonthRecord(**{**record.__dict__, "calendar_mismatches": ("interview 1",)})
    assert _kinds(mismatched) == [month_world.CALENDAR_MISMATCH]


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], 0.0), ([0, 0], 0.0), ([5, 5, 5], 0.0), ([0, 0, 0, 10], 0.75), ([1, 3], 0.25)],
)
def test_gini(values: list[float], expected: float) -> None:
    assert gini(values) == pytest.approx(expected)


def test_percentile_takes_the_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.95) == 95.0
    assert percentile([], 0.95) == 0.0
