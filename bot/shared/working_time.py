"""Working days are Monday to Friday."""

from __future__ import annotations

from datetime import date, timedelta


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def add_working_days(day: date, count: int) -> date:
    """The working day `count` working days after `day` (count >= 1)."""
    current = day
    remaining = count
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def default_search_window(today: date) -> tuple[date, date]:
    """From the next working day to ten working days later."""
    earliest = add_working_days(today, 1)
    return earliest, add_working_days(earliest, 10)
