"""Working days are Monday to Friday, except the public holidays of the company's country.

`WorkingDays` says which days are holidays; it is built once from the HOLIDAY_COUNTRY setting
(`WorkingDays.for_country`) with the `holidays` package, which works out each year's holidays
the first time a day of that year is asked about. The functions below are pure: they take the
working days as an argument (by default Monday to Friday without holidays).
"""

from __future__ import annotations

import functools
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays


@dataclass(frozen=True, eq=False)
class WorkingDays:
    """Monday to Friday minus `holidays`; `country` names where they come from (None: nowhere)."""

    holidays: Container[date] = field(default_factory=frozenset)
    country: str | None = None

    @classmethod
    def for_country(cls, country: str | None) -> WorkingDays:
        """The public holidays of `country` (an ISO 3166 code); raises ValueError for an unknown
        one. None or "" means no holidays."""
        if not country:
            return cls()
        code = country.strip().upper()
        if code not in holidays.list_supported_countries():
            raise ValueError(f"unknown country code {country!r}")
        return cls(holidays.country_holidays(code), code)

    def is_holiday(self, day: date) -> bool:
        return day in self.holidays

    def holidays_between(self, first: date, last: date) -> frozenset[date]:
        """The holidays from `first` to `last`, both included, that fall on a weekday."""
        days = (first + timedelta(days=offset) for offset in range((last - first).days + 1))
        return frozenset(day for day in days if day.weekday() < 5 and self.is_holiday(day))


MONDAY_TO_FRIDAY = WorkingDays()


def is_country(code: str) -> bool:
    """Whether `code` is a country whose public holidays are known (e.g. "FR", "gb")."""
    return code.strip().upper() in holidays.list_supported_countries()


@functools.cache
def holidays_of(country: str | None) -> WorkingDays:
    """`WorkingDays.for_country`, built once per country (people name the same few)."""
    return WorkingDays.for_country(country)


def is_working_day(day: date, working_days: WorkingDays = MONDAY_TO_FRIDAY) -> bool:
    return day.weekday() < 5 and not working_days.is_holiday(day)


def add_working_days(day: date, count: int, working_days: WorkingDays = MONDAY_TO_FRIDAY) -> date:
    """The working day `count` working days after `day` (count >= 1)."""
    current = day
    remaining = count
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current, working_days):
            remaining -= 1
    return current


def default_search_window(
    today: date, working_days: WorkingDays = MONDAY_TO_FRIDAY, length: int = 10
) -> tuple[date, date]:
    """From the next working day to `length` working days later."""
    earliest = add_working_days(today, 1, working_days)
    return earliest, add_working_days(earliest, length, working_days)
