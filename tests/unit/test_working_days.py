from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.shared.working_time import (
    MONDAY_TO_FRIDAY,
    WorkingDays,
    add_working_days,
    default_search_window,
    is_working_day,
)


def test_window_from_friday_starts_monday_and_spans_ten_working_days() -> None:
    earliest, latest = default_search_window(date(2026, 11, 27))  # a Friday
    assert earliest == date(2026, 11, 30)
    assert latest == date(2026, 12, 14)


def test_saturday_and_sunday_are_not_working_days() -> None:
    assert not is_working_day(date(2026, 11, 28))
    assert not is_working_day(date(2026, 11, 29))
    assert is_working_day(date(2026, 11, 30))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(1, 60))
def test_adding_working_days_lands_on_a_working_day_after_the_start(day: date, count: int) -> None:
    result = add_working_days(day, count)
    assert is_working_day(result)
    assert result > day
    working_between = sum(
        1
        for offset in range(1, (result - day).days + 1)
        if is_working_day(date.fromordinal(day.toordinal() + offset))
    )
    assert working_between == count


FRANCE = WorkingDays.for_country("FR")


def test_french_public_holidays_are_not_working_days() -> None:
    for holiday in (date(2026, 7, 14), date(2026, 12, 25), date(2026, 4, 6), date(2027, 1, 1)):
        assert holiday.weekday() < 5
        assert is_working_day(holiday)
        assert not is_working_day(holiday, FRANCE)
    assert is_working_day(date(2026, 12, 24), FRANCE)


def test_the_window_skips_holidays() -> None:
    # From Thursday 24 December 2026: Friday 25 is Christmas, so Monday 28 is next; ten working
    # days later skips Friday 1 January 2027 too.
    earliest, latest = default_search_window(date(2026, 12, 24), FRANCE)
    assert earliest == date(2026, 12, 28)
    assert latest == date(2027, 1, 12)


def test_holidays_between_lists_the_weekday_holidays_of_the_range() -> None:
    assert FRANCE.holidays_between(date(2026, 12, 20), date(2027, 1, 3)) == {
        date(2026, 12, 25),
        date(2027, 1, 1),
    }
    # 15 August 2026 is a Saturday: already a day off.
    assert FRANCE.holidays_between(date(2026, 8, 10), date(2026, 8, 16)) == frozenset()
    assert MONDAY_TO_FRIDAY.holidays_between(date(2026, 12, 20), date(2027, 1, 3)) == frozenset()


def test_a_country_is_an_iso_code_and_nothing_else() -> None:
    assert WorkingDays.for_country(" fr ").country == "FR"
    assert WorkingDays.for_country(None).holidays_between(date(2026, 1, 1), date(2026, 12, 31)) == (
        frozenset()
    )
    with pytest.raises(ValueError, match="XX"):
        WorkingDays.for_country("XX")


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(1, 60),
    st.sampled_from(["FR", "DE", "US", "GB"]),
)
def test_adding_working_days_skips_the_holidays_of_any_country(
    day: date, count: int, country: str
) -> None:
    working_days = WorkingDays.for_country(country)
    result = add_working_days(day, count, working_days)
    assert is_working_day(result, working_days)
    assert not working_days.is_holiday(result)
    working_between = sum(
        1
        for offset in range(1, (result - day).days + 1)
        if is_working_day(date.fromordinal(day.toordinal() + offset), working_days)
    )
    assert working_between == count
