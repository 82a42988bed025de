"""When the digest is due and the windows it covers, in the company's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.digest.schedule import (
    day_bounds,
    digest_day_due,
    feedback_window_start,
    week_bounds,
)
from bot.shared.working_time import MONDAY_TO_FRIDAY, WorkingDays

PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS = MONDAY_TO_FRIDAY
FRANCE = WorkingDays.for_country("FR")
NINE = time(9, 0)
TUESDAY_0900_PARIS = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)

moments = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)


def test_due_at_nine_paris_on_a_tuesday_not_a_minute_before() -> None:
    assert digest_day_due(TUESDAY_0900_PARIS, PARIS, NINE, WEEKDAYS) == date(2026, 11, 24)
    assert digest_day_due(TUESDAY_0900_PARIS - timedelta(minutes=1), PARIS, NINE, WEEKDAYS) is None


def test_still_due_later_the_same_day_and_not_at_the_weekend() -> None:
    assert digest_day_due(TUESDAY_0900_PARIS + timedelta(hours=14), PARIS, NINE, WEEKDAYS) == date(
        2026, 11, 24
    )
    saturday = TUESDAY_0900_PARIS + timedelta(days=4)
    assert digest_day_due(saturday, PARIS, NINE, WEEKDAYS) is None
    assert digest_day_due(saturday + timedelta(days=1), PARIS, NINE, WEEKDAYS) is None


def test_due_follows_summer_time() -> None:
    # 1 July: Paris is UTC+2, so 09:00 Paris is 07:00 UTC.
    assert digest_day_due(datetime(2026, 7, 1, 7, 0, tzinfo=UTC), PARIS, NINE, WEEKDAYS) == date(
        2026, 7, 1
    )
    assert digest_day_due(datetime(2026, 7, 1, 6, 59, tzinfo=UTC), PARIS, NINE, WEEKDAYS) is None


@given(moments)
def test_due_only_on_working_days_after_the_digest_time(now: datetime) -> None:
    due = digest_day_due(now, PARIS, NINE, WEEKDAYS)
    local = now.astimezone(PARIS)
    if due is not None:
        assert due == local.date() and due.weekday() < 5 and local.time() >= NINE
    else:
        assert local.weekday() >= 5 or local.time() < NINE


def test_not_due_on_a_public_holiday_of_the_company_country() -> None:
    bastille_day = datetime(2026, 7, 14, 7, 0, tzinfo=UTC)  # a Tuesday, 09:00 in Paris
    assert digest_day_due(bastille_day, PARIS, NINE, WEEKDAYS) == date(2026, 7, 14)
    assert digest_day_due(bastille_day, PARIS, NINE, FRANCE) is None
    assert digest_day_due(bastille_day + timedelta(hours=10), PARIS, NINE, FRANCE) is None
    assert digest_day_due(bastille_day + timedelta(days=1), PARIS, NINE, FRANCE) == date(
        2026, 7, 15
    )
    christmas = datetime(2026, 12, 25, 8, 0, tzinfo=UTC)  # a Friday
    assert digest_day_due(christmas, PARIS, NINE, FRANCE) is None


@given(moments)
def test_never_due_on_a_holiday(now: datetime) -> None:
    due = digest_day_due(now, PARIS, NINE, FRANCE)
    local = now.astimezone(PARIS)
    if due is not None:
        assert due == local.date() and due.weekday() < 5 and local.time() >= NINE
        assert not FRANCE.is_holiday(due)
    else:
        assert local.weekday() >= 5 or local.time() < NINE or FRANCE.is_holiday(local.date())


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)))
def test_a_local_day_lasts_23_to_25_hours_and_weeks_start_on_monday(day: date) -> None:
    start, end = day_bounds(day, PARIS)
    assert timedelta(hours=23) <= end - start <= timedelta(hours=25)
    assert start.astimezone(PARIS).date() == day
    week_start, week_end = week_bounds(day, PARIS)
    assert week_start <= start < end <= week_end
    assert week_start.astimezone(PARIS).weekday() == 0


def test_feedback_window_starts_at_the_last_digest_or_the_previous_working_day() -> None:
    last = TUESDAY_0900_PARIS - timedelta(hours=20)
    assert feedback_window_start(last, TUESDAY_0900_PARIS, PARIS, WEEKDAYS) == last
    # None sent yet: from Monday 00:00 Paris; on a Monday, from Friday 00:00 Paris.
    assert feedback_window_start(None, TUESDAY_0900_PARIS, PARIS, WEEKDAYS) == datetime(
        2026, 11, 22, 23, 0, tzinfo=UTC
    )
    monday = TUESDAY_0900_PARIS - timedelta(days=1)
    assert feedback_window_start(None, monday, PARIS, WEEKDAYS) == datetime(
        2026, 11, 19, 23, 0, tzinfo=UTC
    )


def test_first_feedback_window_after_a_holiday_reaches_back_to_the_working_day_before_it() -> None:
    # Wednesday 15 July 2026, 09:00 Paris; Tuesday 14 July is Bastille Day.
    wednesday = datetime(2026, 7, 15, 7, 0, tzinfo=UTC)
    monday_midnight_paris = datetime(2026, 7, 12, 22, 0, tzinfo=UTC)
    assert feedback_window_start(None, wednesday, PARIS, FRANCE) == monday_midnight_paris
    assert feedback_window_start(None, wednesday, PARIS, WEEKDAYS) == monday_midnight_paris + (
        timedelta(days=1)
    )


def test_feedback_window_goes_back_a_week_at_most() -> None:
    long_ago = TUESDAY_0900_PARIS - timedelta(days=40)
    assert feedback_window_start(long_ago, TUESDAY_0900_PARIS, PARIS, WEEKDAYS) == (
        TUESDAY_0900_PARIS - timedelta(days=7)
    )
