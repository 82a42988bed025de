"""The daily digest's queries: one statement each, whatever the amount of data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from models.digest.deliveries import DIGEST_KEY_PREFIX, digest_key
from models.hiring import (
    Candidate,
    CandidateStatus,
    Feedback,
    FeedbackRequest,
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
from models.outbox import OutboxMessage, OutboxStatus

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
    interviewer_slack_id: str | None


class FeedbackRow(NamedTuple):
    interview_id: int
    candidate: str
    stage: str
    interviewer_slack_id: str
    recommendation: Recommendation
    submitted_at: datetime


class SessionRow(NamedTuple):
    interviewer_slack_id: str
    weekly_cap: int | None
    event_id: int
    starts_at: datetime
    ends_at: datetime


class OverdueRow(NamedTuple):
    interviewer_slack_id: str
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


class DigestQueries:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, entity: object) -> None:
        """Stage a new row; it gets its id at the next flush."""
        self._session.add(entity)

    def pipeline_stages(self) -> list[StageRow]:
        rows = self._session.execute(
            select(Stage.id, Stage.role_id, Role.title, Stage.position, Stage.name)
            .join(Role, Stage.role_id == Role.id)
            .order_by(Role.title, Stage.position)
        )
        return [StageRow(*row) for row in rows]

    def interviews_starting_between(self, start: datetime, end: datetime) -> list[InterviewerRow]:
        rows = self._session.execute(
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

    def feedback_submitted_between(self, start: datetime, end: datetime) -> list[FeedbackRow]:
        """Current feedback versions submitted in [start, end), oldest first."""
        rows = self._session.execute(
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

    def active_placements(self) -> list[tuple[int, datetime]]:
        """(current stage id, entered it at) of every active candidate who has a stage."""
        rows = self._session.execute(
            select(Candidate.current_stage_id, Candidate.stage_entered_at).where(
                Candidate.status == CandidateStatus.ACTIVE, Candidate.current_stage_id.is_not(None)
            )
        )
        return [(stage_id, entered_at) for stage_id, entered_at in rows if stage_id is not None]

    def sessions_starting_between(self, start: datetime, end: datetime) -> list[SessionRow]:
        """Each interviewer of each calendar event of a non-cancelled interview in [start, end)."""
        rows = self._session.execute(
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

    def cohort_by_current_stage(self, start: datetime, end: datetime) -> dict[int, int]:
        """Candidates created in [start, end), counted by their current stage."""
        rows = self._session.execute(
            select(Candidate.current_stage_id, func.count())
            .where(
                Candidate.created_at >= start,
                Candidate.created_at < end,
                Candidate.current_stage_id.is_not(None),
            )
            .group_by(Candidate.current_stage_id)
        )
        return {stage_id: int(count) for stage_id, count in rows if stage_id is not None}

    def last_digest_sent_before(self, day: date) -> datetime | None:
        """When the last digest of an earlier day was delivered (its post, read in the outbox)."""
        return self._session.scalar(
            select(func.max(OutboxMessage.sent_at)).where(
                OutboxMessage.key >= DIGEST_KEY_PREFIX,
                OutboxMessage.key < digest_key(day),
                OutboxMessage.status == OutboxStatus.SENT,
            )
        )

    def overdue_feedback(self, ended_before: datetime, limit: int) -> list[OverdueRow]:
        """Feedback asked for and not given, of interviews that ended before `ended_before`;
        the longest overdue first."""
        rows = self._session.execute(
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

    def awaiting_decision(self, now: datetime, limit: int) -> list[AwaitingRow]:
        """Interviews at an active candidate's current stage with no decision, where the decision
        was asked for or every feedback asked for is in; the longest waiting first."""
        tallies = [
            func.sum(case((Feedback.recommendation == value, 1), else_=0))
            for value in Recommendation
        ]
        last_feedback_at = func.max(Feedback.submitted_at)
        rows = self._session.execute(
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
