"""When to nudge about late feedback: pure functions over a person's working hours.

A reminder comes 4 h after the interview ended, moved into the interviewer's working hours in
their own time zone; the next ones come on the following working mornings at the start of their day.
Never at night, never on a weekend or a public holiday of the company's country (a holiday is
skipped like a Sunday, on the interviewer's local date). Times go in and come out in UTC. A person
without a (known) time zone works in the company's, and one without a sensible day works the
default day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.shared.working_time import WorkingDays, add_working_days, is_working_day
from models.hiring import WORKDAY_END, WORKDAY_START

FIRST_REMINDER_AFTER = timedelta(hours=4)
# A request that went out late is not followed by a reminder straight away.
MIN_GAP_AFTER_REQUEST = timedelta(hours=1)
MAX_REMINDERS = 3
ESCALATE_AFTER = timedelta(hours=48)


@dataclass(frozen=True)
class WorkingHours:
    zone: ZoneInfo
    start: time = WORKDAY_START
    end: time = WORKDAY_END
    working_days: WorkingDays = field(kw_only=True)

    @classmethod
    def of(
        cls,
        timezone: str | None,
        start: time | None,
        end: time | None,
        company_zone: ZoneInfo,
        working_days: WorkingDays,
    ) -> WorkingHours:
        """A person's hours; an unknown zone falls back to the company's, an empty day to the
        default working day."""
        zone = _zone(timezone) or company_zone
        if start is None or end is None or start >= end:
            return cls(zone, working_days=working_days)
        return cls(zone, start, end, working_days=working_days)


def is_working_time(moment: datetime, hours: WorkingHours) -> bool:
    local = moment.astimezone(hours.zone)
    return (
        is_working_day(local.date(), hours.working_days) and hours.start <= local.time() < hours.end
    )


def next_working_time(moment: datetime, hours: WorkingHours) -> datetime:
    """`moment` when it falls in working hours, else the start of the next working day."""
    if is_working_time(moment, hours):
        return moment
    local = moment.astimezone(hours.zone)
    if is_working_day(local.date(), hours.working_days) and local.time() < hours.start:
        return _local(local.date(), hours.start, hours)
    return next_working_morning(moment, hours)


def next_working_morning(moment: datetime, hours: WorkingHours) -> datetime:
    """The start of the first working day after `moment`'s local day."""
    day = moment.astimezone(hours.zone).date()
    return _local(add_working_days(day, 1, hours.working_days), hours.start, hours)


def first_reminder_at(ended_at: datetime, sent_at: datetime, hours: WorkingHours) -> datetime:
    earliest = max(ended_at + FIRST_REMINDER_AFTER, sent_at + MIN_GAP_AFTER_REQUEST)
    return next_working_time(earliest, hours)


def reminder_after(
    reminded_at: datetime, reminders_sent: int, hours: WorkingHours
) -> datetime | None:
    """The reminder after the `reminders_sent`-th one (sent at `reminded_at`); None when done."""
    if reminders_sent >= MAX_REMINDERS:
        return None
    return next_working_morning(reminded_at, hours)


def escalation_due_at(ended_at: datetime, hours: WorkingHours) -> datetime:
    """When the recruiter and hiring managers hear about feedback still missing."""
    return next_working_time(ended_at + ESCALATE_AFTER, hours)


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _local(day: date, clock: time, hours: WorkingHours) -> datetime:
    return datetime.combine(day, clock, tzinfo=hours.zone).astimezone(UTC)
