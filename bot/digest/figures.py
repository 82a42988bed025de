"""The digest's figures as pure functions over plain data: medians, funnel, load, lateness."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.digest.model import (
    FunnelStep,
    InterviewerLoad,
    RoleFunnel,
    RolePipeline,
    StageCount,
)

SECONDS_PER_DAY = 86_400
# Feedback is overdue when it is not in 24 hours after the interview ended.
FEEDBACK_GRACE = timedelta(hours=24)


@dataclass(frozen=True)
class StageRef:
    """A stage of a role's pipeline, in pipeline order (`position`)."""

    stage_id: int
    role_id: int
    role: str
    position: int
    name: str


@dataclass(frozen=True)
class BookedSession:
    """One interviewer in one calendar event of an interview."""

    interviewer_slack_id: str
    weekly_cap: int | None
    event_id: int
    starts_at: datetime
    ends_at: datetime


def days_between(earlier: datetime, later: datetime) -> float:
    return (later - earlier).total_seconds() / SECONDS_PER_DAY


def median_days_in_stage(entered_at: Iterable[datetime], now: datetime) -> float | None:
    """Median of how many days each candidate has been in their stage; None for nobody."""
    days = [days_between(entered, now) for entered in entered_at]
    return statistics.median(days) if days else None


def roles_in_order(stages: Iterable[StageRef]) -> dict[int, list[StageRef]]:
    """Each role's stages in pipeline order, roles by title."""
    by_role: dict[int, list[StageRef]] = defaultdict(list)
    for stage in sorted(stages, key=lambda s: (s.role.lower(), s.role_id, s.position)):
        by_role[stage.role_id].append(stage)
    return dict(by_role)


def pipeline_by_stage(
    stages: Iterable[StageRef], placements: Iterable[tuple[int, datetime]], now: datetime
) -> tuple[RolePipeline, ...]:
    """Active candidates per role and stage, with the median days in stage.

    `placements` are (current stage id, entered the stage at) of the active candidates; roles
    without any active candidate are left out.
    """
    entered: dict[int, list[datetime]] = defaultdict(list)
    for stage_id, entered_at in placements:
        entered[stage_id].append(entered_at)
    pipeline = []
    for role_stages in roles_in_order(stages).values():
        counts = tuple(
            StageCount(
                stage.name,
                len(entered[stage.stage_id]),
                median_days_in_stage(entered[stage.stage_id], now),
            )
            for stage in role_stages
        )
        if any(count.candidates for count in counts):
            pipeline.append(RolePipeline(role_stages[0].role, counts))
    return tuple(pipeline)


def reached_at_least(at_position: Sequence[int]) -> list[int]:
    """From how many candidates stand at each stage, how many reached at least that stage."""
    reached: list[int] = []
    running = 0
    for count in reversed(at_position):
        running += count
        reached.append(running)
    return list(reversed(reached))


def funnel_by_role(
    stages: Iterable[StageRef], current_stage_counts: Mapping[int, int]
) -> tuple[RoleFunnel, ...]:
    """Per role, how many of a cohort reached at least each stage (by their current stage)."""
    funnel = []
    for role_stages in roles_in_order(stages).values():
        at_position = [current_stage_counts.get(stage.stage_id, 0) for stage in role_stages]
        if not any(at_position):
            continue
        steps = tuple(
            FunnelStep(stage.name, reached)
            for stage, reached in zip(role_stages, reached_at_least(at_position), strict=True)
        )
        funnel.append(RoleFunnel(role_stages[0].role, steps))
    return tuple(funnel)


def interview_load(sessions: Iterable[BookedSession]) -> list[InterviewerLoad]:
    """Interviews (calendar events) and minutes per interviewer, busiest first."""
    events: dict[str, dict[int, int]] = defaultdict(dict)
    caps: dict[str, int | None] = {}
    for session in sessions:
        minutes = max(int((session.ends_at - session.starts_at).total_seconds() // 60), 0)
        events[session.interviewer_slack_id][session.event_id] = minutes
        caps[session.interviewer_slack_id] = session.weekly_cap
    load = [
        InterviewerLoad(person, len(booked), sum(booked.values()), caps[person])
        for person, booked in events.items()
    ]
    return sorted(
        load, key=lambda entry: (-entry.interviews, -entry.minutes, entry.interviewer_slack_id)
    )


def feedback_lateness(interview_ended_at: datetime, now: datetime) -> timedelta:
    """How long past its deadline (24 h after the interview) a feedback is; never negative."""
    return max(now - (interview_ended_at + FEEDBACK_GRACE), timedelta(0))
