"""When reminders and escalations fall: examples, and properties that hold for any input."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.feedback.reminder_timing import (
    MAX_REMINDERS,
    WorkingHours,
    escalation_due_at,
    first_reminder_at,
    is_working_time,
    next_working_morning,
    next_working_time,
    reminder_after,
)

PARIS = WorkingHours(ZoneInfo("Europe/Paris"))
NEW_YORK = WorkingHours(ZoneInfo("America/New_York"))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_first_reminder_is_four_hours_after_the_end_inside_the_day() -> None:
    ended = utc(2026, 11, 24, 9, 0)  # Tuesday 10:00 in Paris
    assert first_reminder_at(ended, ended + timedelta(minutes=5), PARIS) == utc(2026, 11, 24, 13, 0)


def test_a_reminder_that_would_fall_in_the_evening_waits_for_the_next_morning() -> None:
    ended = utc(2026, 11, 24, 15, 0)  # 16:00 in Paris, +4 h = 20:00
    assert first_reminder_at(ended, ended, PARIS) == utc(2026, 11, 25, 8, 0)


def test_friday_evening_waits_for_monday_morning() -> None:
    ended = utc(2026, 11, 27, 15, 0)  # Friday 16:00 in Paris
    assert first_reminder_at(ended, ended, PARIS) == utc(2026, 11, 30, 8, 0)


def test_new_york_hours_are_new_york_hours() -> None:
    ended = utc(2026, 11, 24, 9, 0)  # 04:00 in New York, +4 h = 08:00, before the day starts
    assert first_reminder_at(ended, ended, NEW_YORK) == utc(2026, 11, 24, 14, 0)


def test_a_request_sent_late_is_not_followed_by_a_reminder_straight_away() -> None:
    ended = utc(2026, 11, 24, 8, 0)
    sent = utc(2026, 11, 24, 13, 0)  # the worker was down for five hours
    assert first_reminder_at(ended, sent, PARIS) == utc(2026, 11, 24, 14, 0)


def test_later_reminders_come_on_the_following_working_mornings_then_stop() -> None:
    first = utc(2026, 11, 26, 13, 0)  # Thursday
    assert reminder_after(first, 1, PARIS) == utc(2026, 11, 27, 8, 0)
    assert reminder_after(utc(2026, 11, 27, 8, 0), 2, PARIS) == utc(2026, 11, 30, 8, 0)
    assert reminder_after(utc(2026, 11, 30, 8, 0), MAX_REMINDERS, PARIS) is None


def test_working_hours_follow_daylight_saving_time() -> None:
    # 30 March 2026 is the Monday after Paris moved to summer time (UTC+2).
    assert next_working_morning(utc(2026, 3, 27, 12, 0), PARIS) == utc(2026, 3, 30, 7, 0)


def test_escalation_is_48_hours_later_moved_into_company_hours() -> None:
    assert escalation_due_at(utc(2026, 11, 24, 9, 0), PARIS) == utc(2026, 11, 26, 9, 0)
    assert escalation_due_at(utc(2026, 11, 24, 17, 0), PARIS) == utc(2026, 11, 27, 8, 0)


def test_odd_personal_settings_fall_back_to_the_defaults() -> None:
    company = ZoneInfo("Europe/Paris")
    assert WorkingHours.of("Mars/Olympus", time(9), time(18), company).zone == company
    assert WorkingHours.of(None, time(9), time(18), company).zone == company
    odd = WorkingHours.of("Asia/Tokyo", time(18), time(9), company)
    assert odd.zone == ZoneInfo("Asia/Tokyo")
    assert (odd.start, odd.end) == (time(9), time(18))
    custom = WorkingHours.of("Asia/Tokyo", time(7, 30), time(15), company)
    assert (custom.start, custom.end) == (time(7, 30), time(15))


ZONES = st.sampled_from(
    [
        "Europe/Paris",
        "America/New_York",
        "America/Los_Angeles",
        "Asia/Tokyo",
        "Asia/Kolkata",
        "Australia/Sydney",
        "Pacific/Auckland",
        "UTC",
    ]
)
MOMENTS = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)


@st.composite
def hours(draw: st.DrawFn) -> WorkingHours:
    start = draw(st.integers(min_value=6 * 4, max_value=11 * 4)) * 15
    length = draw(st.integers(min_value=4 * 4, max_value=11 * 4)) * 15
    end = start + length
    return WorkingHours.of(
        draw(ZONES), time(start // 60, start % 60), time(end // 60 % 24, end % 60), PARIS.zone
    )


@given(MOMENTS, hours())
def test_next_working_time_is_never_before_and_always_inside_working_hours(
    moment: datetime, schedule: WorkingHours
) -> None:
    when = next_working_time(moment, schedule)
    assert when >= moment
    assert is_working_time(when, schedule)
    assert when - moment < timedelta(days=4)


@given(MOMENTS, hours())
def test_moments_inside_working_hours_are_kept(moment: datetime, schedule: WorkingHours) -> None:
    if is_working_time(moment, schedule):
        assert next_working_time(moment, schedule) == moment


@given(MOMENTS, MOMENTS, hours())
def test_the_first_reminder_is_at_least_four_hours_after_the_end_and_in_working_hours(
    ended: datetime, sent: datetime, schedule: WorkingHours
) -> None:
    when = first_reminder_at(ended, sent, schedule)
    assert when >= ended + timedelta(hours=4)
    assert when >= sent + timedelta(hours=1)
    assert is_working_time(when, schedule)


@given(MOMENTS, hours(), st.integers(min_value=1, max_value=MAX_REMINDERS - 1))
def test_each_later_reminder_is_a_working_morning_on_a_later_day(
    reminded: datetime, schedule: WorkingHours, count: int
) -> None:
    when = reminder_after(reminded, count, schedule)
    assert when is not None
    local = when.astimezone(schedule.zone)
    assert local.date() > reminded.astimezone(schedule.zone).date()
    assert local.weekday() < 5
    assert local.time() == schedule.start
    assert is_working_time(when, schedule)


@given(MOMENTS, hours())
def test_escalation_never_comes_before_48_hours(ended: datetime, schedule: WorkingHours) -> None:
    when = escalation_due_at(ended, schedule)
    assert when >= ended + timedelta(hours=48)
    assert is_working_time(when, schedule)
