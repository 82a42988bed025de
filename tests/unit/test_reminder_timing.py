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
from bot.shared.working_time import MONDAY_TO_FRIDAY, WorkingDays, is_working_day

FRANCE = WorkingDays.for_country("FR")
PARIS = WorkingHours(ZoneInfo("Europe/Paris"), working_days=MONDAY_TO_FRIDAY)
NEW_YORK = WorkingHours(ZoneInfo("America/New_York"), working_days=MONDAY_TO_FRIDAY)
PARIS_IN_FRANCE = WorkingHours(ZoneInfo("Europe/Paris"), working_days=FRANCE)


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
    days = MONDAY_TO_FRIDAY
    assert WorkingHours.of("Mars/Olympus", time(9), time(18), company, days).zone == company
    assert WorkingHours.of(None, time(9), time(18), company, days).zone == company
    odd = WorkingHours.of("Asia/Tokyo", time(18), time(9), company, days)
    assert odd.zone == ZoneInfo("Asia/Tokyo")
    assert (odd.start, odd.end) == (time(9), time(18))
    custom = WorkingHours.of("Asia/Tokyo", time(7, 30), time(15), company, days)
    assert (custom.start, custom.end) == (time(7, 30), time(15))
    assert custom.working_days is days


# --- public holidays (HOLIDAY_COUNTRY=FR) ----------------------------------------------------


def test_a_reminder_due_on_a_public_holiday_moves_to_the_next_working_morning() -> None:
    ended = utc(2026, 7, 13, 15, 0)  # Monday 17:00 in Paris; Tuesday 14 July is Bastille Day
    assert first_reminder_at(ended, ended, PARIS) == utc(2026, 7, 14, 7, 0)
    assert first_reminder_at(ended, ended, PARIS_IN_FRANCE) == utc(2026, 7, 15, 7, 0)


def test_later_reminders_skip_christmas() -> None:
    reminded = utc(2026, 12, 24, 13, 0)  # Thursday; Friday 25 December is Christmas
    assert reminder_after(reminded, 1, PARIS_IN_FRANCE) == utc(2026, 12, 28, 8, 0)


def test_the_friday_before_easter_monday_waits_for_tuesday() -> None:
    ended = utc(2026, 4, 3, 15, 0)  # Friday 17:00 in Paris; 6 April is Easter Monday
    assert first_reminder_at(ended, ended, PARIS_IN_FRANCE) == utc(2026, 4, 7, 7, 0)


def test_escalation_waits_past_a_holiday() -> None:
    ended = utc(2026, 11, 9, 9, 0)  # Monday; 48 h later is Wednesday 11 November, Armistice Day
    assert escalation_due_at(ended, PARIS) == utc(2026, 11, 11, 9, 0)
    assert escalation_due_at(ended, PARIS_IN_FRANCE) == utc(2026, 11, 12, 8, 0)


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
def hours(draw: st.DrawFn, with_holidays: bool = False) -> WorkingHours:
    start = draw(st.integers(min_value=6 * 4, max_value=11 * 4)) * 15
    length = draw(st.integers(min_value=4 * 4, max_value=11 * 4)) * 15
    end = start + length
    return WorkingHours.of(
        draw(ZONES),
        time(start // 60, start % 60),
        time(end // 60 % 24, end % 60),
        PARIS.zone,
        draw(st.sampled_from([MONDAY_TO_FRIDAY, FRANCE])) if with_holidays else MONDAY_TO_FRIDAY,
    )


def _local_day_is_a_working_day(moment: datetime, schedule: WorkingHours) -> bool:
    return is_working_day(moment.astimezone(schedule.zone).date(), schedule.working_days)


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


@given(MOMENTS, MOMENTS, hours(with_holidays=True))
def test_no_reminder_or_escalation_falls_on_a_holiday(
    ended: datetime, sent: datetime, schedule: WorkingHours
) -> None:
    first = first_reminder_at(ended, sent, schedule)
    later = reminder_after(first, 1, schedule)
    escalation = escalation_due_at(ended, schedule)
    assert later is not None
    for when in (first, later, escalation):
        assert is_working_time(when, schedule)
        assert _local_day_is_a_working_day(when, schedule)
        assert not schedule.working_days.is_holiday(when.astimezone(schedule.zone).date())


@given(MOMENTS, hours(with_holidays=True))
def test_next_working_time_with_holidays_is_the_first_working_moment(
    moment: datetime, schedule: WorkingHours
) -> None:
    when = next_working_time(moment, schedule)
    assert when >= moment
    assert is_working_time(when, schedule)
    # Every day strictly between `moment`'s local day and `when`'s is a day off.
    day = moment.astimezone(schedule.zone).date() + timedelta(days=1)
    while day < when.astimezone(schedule.zone).date():
        assert not is_working_day(day, schedule.working_days)
        day += timedelta(days=1)
