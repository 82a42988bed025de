"""Feedback use cases: what an interviewer still owes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from models.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class PendingFeedback:
    request_id: int
    interview_id: int
    candidate_name: str
    stage_name: str
    ended_at: datetime


def pending_feedback(uow: UnitOfWork, slack_id: str) -> list[PendingFeedback]:
    return [
        PendingFeedback(
            request_id=request.id,
            interview_id=interview.id,
            candidate_name=candidate.name,
            stage_name=stage.name,
            ended_at=interview.ends_at,
        )
        for request, interview, candidate, stage in uow.feedback.pending_requests_of(slack_id)
    ]
