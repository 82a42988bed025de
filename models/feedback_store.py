"""Data access for feedback requests and submitted feedback."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.hiring import (
    Candidate,
    FeedbackRequest,
    Interview,
    InterviewStatus,
    Person,
    Stage,
)


def pending_requests_of(
    session: Session, slack_id: str
) -> list[tuple[FeedbackRequest, Interview, Candidate, Stage]]:
    """Feedback asked of this person (request sent) and not given yet, oldest first."""
    rows = session.execute(
        select(FeedbackRequest, Interview, Candidate, Stage)
        .join(Interview, FeedbackRequest.interview_id == Interview.id)
        .join(Candidate, Interview.candidate_id == Candidate.id)
        .join(Stage, Interview.stage_id == Stage.id)
        .join(Person, FeedbackRequest.interviewer_id == Person.id)
        .where(
            Person.slack_id == slack_id,
            FeedbackRequest.sent_at.is_not(None),
            FeedbackRequest.completed_at.is_(None),
            Interview.status != InterviewStatus.CANCELLED,
        )
        .order_by(Interview.ends_at)
    )
    return [(request, interview, candidate, stage) for request, interview, candidate, stage in rows]
