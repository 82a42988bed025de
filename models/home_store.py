"""Data access for "what is on my plate": upcoming interviews, decisions waiting."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models.decision_store import HOLD
from models.feedback_store import interviewer_condition
from models.hiring import (
    Candidate,
    CandidateStatus,
    Interview,
    InterviewEvent,
    InterviewParticipant,
    InterviewStatus,
    Stage,
)

InterviewRow = tuple[Interview, Candidate, Stage]


def upcoming_interviews_of(
    session: Session, person_id: int, now: datetime, until: datetime
) -> list[InterviewRow]:
    interviewing = (
        select(InterviewEvent.interview_id)
        .join(InterviewParticipant, InterviewParticipant.interview_event_id == InterviewEvent.id)
        .where(InterviewParticipant.person_id == person_id, *interviewer_condition())
    )
    rows = session.execute(
        select(Interview, Candidate, Stage)
        .join(Candidate, Interview.candidate_id == Candidate.id)
        .join(Stage, Interview.stage_id == Stage.id)
        .where(
            Interview.id.in_(interviewing),
            Interview.status == InterviewStatus.SCHEDULED,
            Interview.ends_at > now,
            Interview.starts_at < until,
        )
        .order_by(Interview.starts_at)
    )
    return [(interview, candidate, stage) for interview, candidate, stage in rows]


def interviews_waiting_for_decision(session: Session, limit: int = 20) -> list[InterviewRow]:
    rows = session.execute(
        select(Interview, Candidate, Stage)
        .join(Candidate, Interview.candidate_id == Candidate.id)
        .join(Stage, Interview.stage_id == Stage.id)
        .where(
            Interview.status != InterviewStatus.CANCELLED,
            Interview.decision_requested_at.is_not(None),
            or_(Interview.decision.is_(None), Interview.decision == HOLD),
            Candidate.status.in_([CandidateStatus.ACTIVE, CandidateStatus.ON_HOLD]),
        )
        .order_by(Interview.decision_requested_at)
        .limit(limit)
    )
    return [(interview, candidate, stage) for interview, candidate, stage in rows]
