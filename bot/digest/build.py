"""The hiring digest, from a fixed handful of queries: for the morning message and on demand."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.digest.figures import (
    FEEDBACK_GRACE,
    BookedSession,
    StageRef,
    feedback_lateness,
    funnel_by_role,
    interview_load,
    pipeline_by_stage,
)
from bot.digest.model import (
    AwaitingDecision,
    Digest,
    InterviewerLoad,
    Listing,
    Opinion,
    OverdueFeedback,
    ReceivedFeedback,
    TodayInterview,
    listing,
)
from bot.digest.schedule import FUNNEL_WINDOW, day_bounds, feedback_window_start, week_bounds
from bot.shared.working_time import MONDAY_TO_FRIDAY, WorkingDays
from models.digest.queries import AwaitingRow
from models.unit_of_work import UnitOfWork

# Lines per section: a digest is read on a phone.
MAX_LINES = 10


def build_digest(
    uow: UnitOfWork, now: datetime, zone: ZoneInfo, working_days: WorkingDays = MONDAY_TO_FRIDAY
) -> Digest:
    """`working_days` (the company's) say where the previous working day is."""
    day = now.astimezone(zone).date()
    stages = [
        StageRef(
            stage_id=row.stage_id,
            role_id=row.role_id,
            role=row.role,
            position=row.position,
            name=row.name,
        )
        for row in uow.digest.pipeline_stages()
    ]
    last_sent = uow.digest.last_digest_sent_before(day)
    since = feedback_window_start(last_sent, now, zone, working_days)
    return Digest(
        day=day,
        generated_at=now,
        feedback_since=since,
        interviews_today=_interviews_today(uow, *day_bounds(day, zone)),
        feedback_received=_feedback_received(uow, since, now),
        overdue_feedback=_overdue_feedback(uow, now),
        awaiting_decision=_awaiting_decision(uow, now),
        pipeline=pipeline_by_stage(stages, uow.digest.active_placements(), now),
        load=listing(_load(uow, *week_bounds(day, zone)), MAX_LINES),
        funnel=funnel_by_role(stages, uow.digest.cohort_by_current_stage(now - FUNNEL_WINDOW, now)),
    )


def _interviews_today(uow: UnitOfWork, start: datetime, end: datetime) -> Listing[TodayInterview]:
    by_interview: dict[int, TodayInterview] = {}
    for row in uow.digest.interviews_starting_between(start, end):
        known = by_interview.get(row.interview_id)
        people = known.interviewer_slack_ids if known else ()
        if row.interviewer_slack_id is not None and row.interviewer_slack_id not in people:
            people += (row.interviewer_slack_id,)
        by_interview[row.interview_id] = TodayInterview(
            row.starts_at, row.candidate, row.stage, people
        )
    return listing(list(by_interview.values()), MAX_LINES)


def _feedback_received(
    uow: UnitOfWork, since: datetime, now: datetime
) -> Listing[ReceivedFeedback]:
    by_interview: dict[int, ReceivedFeedback] = {}
    for row in uow.digest.feedback_submitted_between(since, now):
        known = by_interview.get(row.interview_id)
        opinions = (known.opinions if known else ()) + (
            Opinion(row.interviewer_slack_id, row.recommendation),
        )
        by_interview[row.interview_id] = ReceivedFeedback(row.candidate, row.stage, opinions)
    return listing(list(by_interview.values()), MAX_LINES)


def _overdue_feedback(uow: UnitOfWork, now: datetime) -> Listing[OverdueFeedback]:
    rows = uow.digest.overdue_feedback(now - FEEDBACK_GRACE, MAX_LINES)
    items = [
        OverdueFeedback(
            row.interviewer_slack_id,
            row.candidate,
            row.stage,
            feedback_lateness(row.ended_at, now),
        )
        for row in rows
    ]
    return listing(items, MAX_LINES, rows[0].total if rows else 0)


def _awaiting_decision(uow: UnitOfWork, now: datetime) -> Listing[AwaitingDecision]:
    rows = uow.digest.awaiting_decision(now, MAX_LINES)
    items = [
        AwaitingDecision(
            row.candidate,
            row.stage,
            tuple((value, count) for value, count in row.recommendations if count),
            _waiting_for(row, now),
            row.decision_requested_at is not None,
        )
        for row in rows
    ]
    return listing(items, MAX_LINES, rows[0].total if rows else 0)


def _load(uow: UnitOfWork, start: datetime, end: datetime) -> list[InterviewerLoad]:
    return interview_load(
        BookedSession(
            interviewer_slack_id=row.interviewer_slack_id,
            weekly_cap=row.weekly_cap,
            event_id=row.event_id,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
        )
        for row in uow.digest.sessions_starting_between(start, end)
    )


def _waiting_for(row: AwaitingRow, now: datetime) -> timedelta:
    since = row.decision_requested_at or row.last_feedback_at or row.ended_at
    return max(now - since, timedelta(0))
