"""When the digest is due and which time windows it covers, in the company's time zone.

The digest goes out on working days only: not at weekends, not on the company's public holidays.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.shared.working_time import WorkingDays, is_working_day

# "Feedback received since the last digest" never looks further back than this.
LONGEST_FEEDBACK_WINDOW = timedelta(days=7)
FUNNEL_WINDOW = timedelta(days=30)


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The local day [00:00, next 00:00) in UTC (23 or 25 hours on daylight-saving days)."""
    return local_midnight(day, zone), local_midnight(day + timedelta(days=1), zone)


def week_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The local week of `day`, Monday 00:00 to the next Monday 00:00, in UTC."""
    monday = day - timedelta(days=day.weekday())
    return local_midnight(monday, zone), local_midnight(monday + timedelta(days=7), zone)


def digest_day_due(
    now: datetime, zone: ZoneInfo, at: time, working_days: WorkingDays
) -> date | None:
    """Today's local date when today's digest is due (a working day, at or after `at`)."""
    local = now.astimezone(zone)
    if not is_working_day(local.date(), working_days) or local.time() < at:
        return None
    return local.date()


def previous_working_day(day: date, working_days: WorkingDays) -> date:
    previous = day - timedelta(days=1)
    while not is_working_day(previous, working_days):
        previous -= timedelta(days=1)
    return previous


def feedback_window_start(
    last_sent: datetime | None, now: datetime, zone: ZoneInfo, working_days: WorkingDays
) -> datetime:
    """Since when feedback counts as new: the last digest sent on an earlier day, else the start
    of the previous working day; never more than a week back."""
    if last_sent is None:
        today = now.astimezone(zone).date()
        last_sent = local_midnight(previous_working_day(today, working_days), zone)
    return max(last_sent, now - LONGEST_FEEDBACK_WINDOW)
