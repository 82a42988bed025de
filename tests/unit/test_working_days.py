from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from bot.shared.working_time import add_working_days, default_search_window, is_working_day


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
