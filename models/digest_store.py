"""The daily digest's queries: one statement each, whatever the amount of data.

What they return is bounded by a day, a week, the active candidates or the stages; the lists
that can grow with the data are in models/digest_pending_store.py. The indexes they rely on are
in models/digest_indexes.py.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from models.hiring import (
    Candidate,
    CandidateStatus,
    DigestDelivery,
    Feedback,
    Interview,
    InterviewEvent,
    InterviewParticipant,
    InterviewStatus,
    ParticipantKind,
    Person,
    Recommendation,
    Role,
    Stage,
)

NOT_CANCELLED = Interview.status != InterviewStatus.CANCELLED


class StageRow(NamedTuple):
    stage_id: int
    role_id: int
    role: str
    position: int
    name: str


class InterviewerRow(NamedTuple):
    """An interview of the day, once per interviewer (None when it has none)."""

    interview_id: int
    starts_at: datetime
    candidate: str
    stage: str
    interviewer_id: str | None


class FeedbackRow(NamedTuple):
    interview_id: int
    candidate: str
    stage: str
    interviewer_id: str
    recommendation: Recommendation
    submitted_at: datetime


class SessionRow(NamedTuple):
    interviewer_id: str
    weekly_cap: int | None
    event_id: int
    starts_at: datetime
    ends_at: datetime


def pipeline_stages(session: Session) -> list[StageRow]:
    rows = session.execute(
        select(Stage.id, Stage.role_id, Role.title, Stage.position, Stage.name)
        .join(Role, Stage.role_id == Role.id)
        .order_by(Role.title, Stage.position)
    )
    return [StageRow(*row) for row in rows]


def interviews_starting_between(
    session: Session, start: datetime, end: datetime
) -> list[InterviewerRow]:
    rows = session.execute(
        select(Interview.id, Interview.starts_at, Candidate.name, Stage.name, Person.slack_id)
        .join(Candidate, Interview.candidate_id == Candidate.id)
        .join(Stage, Interview.stage_id == Stage.id)
        .outerjoin(InterviewEvent, InterviewEvent.interview_id == Interview.id)
        .outerjoin(
            InterviewParticipant,
            and_(
                InterviewParticipant.interview_event_id == InterviewEvent.id,
                InterviewParticipant.kind == ParticipantKind.INTERVIEWER,
            ),
        )
        .outerjoin(Person, InterviewParticipant.person_id == Person.id)
        .where(Interview.starts_at >= start, Interview.starts_at < end, NOT_CANCELLED)
        .order_by(Interview.starts_at, Interview.id, InterviewEvent.starts_at, Person.slack_id)
    )
    return [InterviewerRow(*row) for row in rows]


def feedback_submitted_between(
    session: Session, start: datetime, end: datetime
) -> list[FeedbackRow]:
    """Current feedback versions submitted in [start, end), oldest first."""
    rows = session.execute(
        select(
            Interview.id,
            Candidate.name,
            Stage.name,
            Person.slack_id,
            Feedback.recommendation,
            Feedback.submitted_at,
        )
        .join(Interview, Feedback.interview_id == Interview.id)
        .join(Candidate, Interview.candidate_id == Candidate.id)
        .join(Stage, Interview.stage_id == Stage.id)
        .join(Person, Feedback.interviewer_id == Person.id)
        .where(
            Feedback.submitted_at >= start,
            Feedback.submitted_at < end,
            Feedback.is_current.is_(True),
        )
        .order_by(Feedback.submitted_at, Feedback.id)
    )
    return [FeedbackRow(*row) for row in rows]


def active_placements(session: Session) -> list[tuple[int, datetime]]:
    """(current stage id, entered it at) of every active candidate who has a stage."""
    rows = session.execute(
        select(Candidate.current_stage_id, Candidate.stage_entered_at).where(
            Candidate.status == CandidateStatus.ACTIVE, Candidate.current_stage_id.is_not(None)
        )
    )
    return [(stage_id, entered_at) for stage_id, entered_at in rows if stage_id is not None]


def sessions_starting_between(session: Session, start: datetime, end: datetime) -> list[SessionRow]:
    """Each interviewer of each calendar event of a non-cancelled interview in [start, end)."""
    rows = session.execute(
        select(
            Person.slack_id,
            Person.weekly_interview_cap,
            InterviewEvent.id,
            InterviewEvent.starts_at,
            InterviewEvent.ends_at,
        )
        .select_from(InterviewParticipant)
        .join(InterviewEvent, InterviewParticipant.interview_event_id == InterviewEvent.id)
        .join(Interview, InterviewEvent.interview_id == Interview.id)
        .join(Person, InterviewParticipant.person_id == Person.id)
        .where(
            InterviewParticipant.kind == ParticipantKind.INTERVIEWER,
            InterviewEvent.starts_at >= start,
            InterviewEvent.starts_at < end,
            NOT_CANCELLED,
        )
    )
    return [SessionRow(*row) for row in rows]


def cohort_by_current_stage(session: Session, start: datetime, end: datetime) -> dict[int, int]:
    """Candidates created in [start, end), counted by their current stage."""
    rows = session.execute(
        select(Candidate.current_stage_id, func.count())
        .where(
            Candidate.created_at >= start,
            Candidate.created_at < end,
            Candidate.current_stage_id.is_not(None),
        )
        .group_by(Candidate.current_stage_id)
    )
    return {stage_id: int(count) for stage_id, count in rows if stage_id is not None}


def last_digest_sent_before(session: Session, day: date) -> datetime | None:
    return session.scalar(
        select(func.max(DigestDelivery.sent_at)).where(
            DigestDelivery.digest_date < day, DigestDelivery.sent_at.is_not(None)
        )
    )
