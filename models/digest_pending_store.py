"""The digest's queries for what needs someone's attention: overdue feedback and candidates
waiting for a decision. The lists can grow with the data, so they are cut in SQL and every row
carries the full count (`count(*) over ()`); one statement each.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from models.digest_store import NOT_CANCELLED
from models.hiring import (
    Candidate,
    CandidateStatus,
    Feedback,
    FeedbackRequest,
    Interview,
    Person,
    Recommendation,
    Stage,
)


class OverdueRow(NamedTuple):
    interviewer_id: str
    candidate: str
    stage: str
    ended_at: datetime
    total: int


class AwaitingRow(NamedTuple):
    candidate: str
    stage: str
    ended_at: datetime
    decision_requested_at: datetime | None
    last_feedback_at: datetime | None
    recommendations: tuple[tuple[Recommendation, int], ...]
    total: int


def overdue_feedback(session: Session, ended_before: datetime, limit: int) -> list[OverdueRow]:
    """Feedback asked for and not given, of interviews that ended before `ended_before`;
    the longest overdue first."""
    rows = session.execute(
        select(
            Person.slack_id,
            Candidate.name,
            Stage.name,
            Interview.ends_at,
            func.count().over(),
        )
        .select_from(FeedbackRequest)
        .join(Interview, FeedbackRequest.interview_id == Interview.id)
        .join(Candidate, Interview.candidate_id == Candidate.id)
        .join(Stage, Interview.stage_id == Stage.id)
        .join(Person, FeedbackRequest.interviewer_id == Person.id)
        .where(
            FeedbackRequest.completed_at.is_(None),
            FeedbackRequest.sent_at.is_not(None),
            Interview.ends_at < ended_before,
            NOT_CANCELLED,
        )
        .order_by(Interview.ends_at, Person.slack_id)
        .limit(limit)
    )
    return [OverdueRow(*row) for row in rows]


def awaiting_decision(session: Session, now: datetime, limit: int) -> list[AwaitingRow]:
    """Interviews at an active candidate's current stage with no decision, where the decision
    was asked for or every feedback asked for is in; the longest waiting first."""
    tallies = [
        func.sum(case((Feedback.recommendation == value, 1), else_=0)) for value in Recommendation
    ]
    last_feedback_at = func.max(Feedback.submitted_at)
    rows = session.execute(
        select(
            Candidate.name,
            Stage.name,
            Interview.ends_at,
            Interview.decision_requested_at,
            last_feedback_at,
            *tallies,
            func.count().over(),
        )
        .select_from(Candidate)
        .join(Interview, Interview.candidate_id == Candidate.id)
        .join(Stage, Interview.stage_id == Stage.id)
        .outerjoin(
            Feedback, and_(Feedback.interview_id == Interview.id, Feedback.is_current.is_(True))
        )
        .where(
            Candidate.status == CandidateStatus.ACTIVE,
            Interview.stage_id == Candidate.current_stage_id,
            Interview.decision.is_(None),
            NOT_CANCELLED,
            or_(Interview.decision_requested_at.is_not(None), _all_feedback_in(now)),
        )
        .group_by(
            Interview.id,
            Candidate.name,
            Stage.name,
            Interview.ends_at,
            Interview.decision_requested_at,
        )
        .order_by(
            func.coalesce(Interview.decision_requested_at, last_feedback_at, Interview.ends_at),
            Interview.id,
        )
        .limit(limit)
    )
    return [_awaiting_row(row) for row in rows]


def _all_feedback_in(now: datetime) -> ColumnElement[bool]:
    of_interview = FeedbackRequest.interview_id == Interview.id
    asked = select(FeedbackRequest.id).where(of_interview).exists()
    still_open = (
        select(FeedbackRequest.id)
        .where(of_interview, FeedbackRequest.completed_at.is_(None))
        .exists()
    )
    return and_(Interview.ends_at <= now, asked, ~still_open)


def _awaiting_row(row: Sequence[Any]) -> AwaitingRow:
    candidate, stage, ended_at, requested_at, last_at, *counts, total = row
    tally = tuple((value, int(count)) for value, count in zip(Recommendation, counts, strict=True))
    return AwaitingRow(candidate, stage, ended_at, requested_at, last_at, tally, int(total))
