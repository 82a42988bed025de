"""A stage's scheduling policy, as its pipeline file set it (see `models.schemas.PolicySpec`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.scheduling.summary import TAKE_HOME_DUE_BEFORE_REVIEW
from models.directory import PersonEntry, StageEntry
from models.hiring import Person, Stage, StageFormat


@dataclass(frozen=True)
class StagePolicy:
    buffer: timedelta
    notice: timedelta
    grid: timedelta
    daily_cap: int | None
    weekly_cap: int | None
    window_days: int

    @classmethod
    def of(cls, stage: Stage | StageEntry) -> StagePolicy:
        notice = timedelta(hours=stage.notice_hours)
        if stage.format == StageFormat.TAKE_HOME and stage.take_home_days:
            # the review leaves the candidate the stage's days to do the test
            notice = max(notice, timedelta(days=stage.take_home_days) + TAKE_HOME_DUE_BEFORE_REVIEW)
        return cls(
            buffer=timedelta(minutes=stage.buffer_minutes),
            notice=notice,
            grid=timedelta(minutes=stage.grid_minutes),
            daily_cap=stage.daily_cap,
            weekly_cap=stage.weekly_cap,
            window_days=stage.window_days,
        )

    def daily_cap_of(self, person: Person | PersonEntry) -> int | None:
        """The lower of the person's own daily cap and the stage's."""
        return _lower(person.daily_interview_cap, self.daily_cap)

    def weekly_cap_of(self, person: Person | PersonEntry) -> int | None:
        return _lower(person.weekly_interview_cap, self.weekly_cap)


def _lower(first: int | None, second: int | None) -> int | None:
    caps = [cap for cap in (first, second) if cap is not None]
    return min(caps) if caps else None
