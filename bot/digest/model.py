"""What the daily digest says, as plain data: built by bot.digest.build, rendered in handlers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Generic, TypeVar

from models.hiring import Recommendation

T = TypeVar("T")


@dataclass(frozen=True)
class Listing(Generic[T]):
    """The first lines of a section, and how many there are in all."""

    items: tuple[T, ...]
    total: int

    @property
    def more(self) -> int:
        return max(self.total - len(self.items), 0)

    def __bool__(self) -> bool:
        return self.total > 0


def listing(items: list[T] | tuple[T, ...], limit: int, total: int | None = None) -> Listing[T]:
    """Keep the first `limit` items; `total` defaults to how many were given."""
    return Listing(tuple(items[:limit]), len(items) if total is None else total)


@dataclass(frozen=True)
class TodayInterview:
    starts_at: datetime
    candidate: str
    stage: str
    interviewer_slack_ids: tuple[str, ...]


@dataclass(frozen=True)
class Opinion:
    interviewer_slack_id: str
    recommendation: Recommendation


@dataclass(frozen=True)
class ReceivedFeedback:
    """The feedback received on one interview since the last digest."""

    candidate: str
    stage: str
    opinions: tuple[Opinion, ...]


@dataclass(frozen=True)
class OverdueFeedback:
    interviewer_slack_id: str
    candidate: str
    stage: str
    late_by: timedelta


@dataclass(frozen=True)
class AwaitingDecision:
    candidate: str
    stage: str
    recommendations: tuple[tuple[Recommendation, int], ...]
    waiting_for: timedelta
    decision_requested: bool


@dataclass(frozen=True)
class StageCount:
    stage: str
    candidates: int
    median_days: float | None


@dataclass(frozen=True)
class RolePipeline:
    role: str
    stages: tuple[StageCount, ...]

    @property
    def candidates(self) -> int:
        return sum(stage.candidates for stage in self.stages)


@dataclass(frozen=True)
class InterviewerLoad:
    interviewer_slack_id: str
    interviews: int
    minutes: int
    cap: int | None


@dataclass(frozen=True)
class FunnelStep:
    stage: str
    reached: int


@dataclass(frozen=True)
class RoleFunnel:
    role: str
    steps: tuple[FunnelStep, ...]


@dataclass(frozen=True)
class Digest:
    day: date
    generated_at: datetime
    feedback_since: datetime
    interviews_today: Listing[TodayInterview]
    feedback_received: Listing[ReceivedFeedback]
    overdue_feedback: Listing[OverdueFeedback]
    awaiting_decision: Listing[AwaitingDecision]
    pipeline: tuple[RolePipeline, ...]
    load: Listing[InterviewerLoad]
    funnel: tuple[RoleFunnel, ...]

    @property
    def has_chart(self) -> bool:
        return any(step.reached for role in self.funnel for step in role.steps)

    @property
    def is_empty(self) -> bool:
        return not (
            self.interviews_today
            or self.feedback_received
            or self.overdue_feedback
            or self.awaiting_decision
            or self.pipeline
            or self.load
            or self.has_chart
        )
