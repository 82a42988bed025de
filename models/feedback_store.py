"""Data access for feedback requests: what is owed, what is due, claims and what was sent.

Claims are conditional UPDATEs: the worker whose UPDATE changed the row owns the next step.
`next_reminder_at` is "not before": the next nudge for a sent request, the claim's lease for an
unsent one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, select, update
from sqlalchemy.orm import Session, aliased

from models.database import changed_one_row
from models.hiring import (
    Candidate,
    FeedbackRequest,
    Interview,
    InterviewEvent,
    InterviewParticipant,
    InterviewStatus,
    ParticipantKind,
    Person,
    Stage,
)
from models.idempotent_insert import insert_ignoring_duplicates

DECLINED = "declined"

RequestContext = tuple[FeedbackRequest, Interview, Candidate, Stage, Person]


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


def interviewer_condition() -> list[ColumnElement[bool]]:
    """An interview's interviewers: interviewer participants we know, who did not decline."""
    return [
        InterviewParticipant.kind == ParticipantKind.INTERVIEWER,
        InterviewParticipant.person_id.is_not(None),
        InterviewParticipant.response_status != DECLINED,
    ]


def missing_requests(
    session: Session, ended_before: datetime, ended_after: datetime
) -> list[tuple[int, int, datetime]]:
    """(interview id, interviewer id, end) of ended interviews with no request row yet."""
    request = aliased(FeedbackRequest)
    no_request = ~exists().where(
        request.interview_id == Interview.id,
        request.interviewer_id == InterviewParticipant.person_id,
    )
    rows = session.execute(
        select(Interview.id, InterviewParticipant.person_id, Interview.ends_at)
        .join(InterviewEvent, InterviewEvent.interview_id == Interview.id)
        .join(InterviewParticipant, InterviewParticipant.interview_event_id == InterviewEvent.id)
        .where(
            Interview.status != InterviewStatus.CANCELLED,
            Interview.ends_at <= ended_before,
            Interview.ends_at >= ended_after,
            *interviewer_condition(),
            no_request,
        )
        .distinct()
        .order_by(Interview.id, InterviewParticipant.person_id)
    )
    return [
        (interview_id, person_id, ends_at)
        for interview_id, person_id, ends_at in rows
        if person_id is not None
    ]


def add_requests(session: Session, rows: list[tuple[int, int, datetime]]) -> None:
    """Request rows for (interview, interviewer, due); rows that already exist stay as they are."""
    insert_ignoring_duplicates(
        session,
        FeedbackRequest,
        [
            {"interview_id": interview_id, "interviewer_id": person_id, "due_at": due_at}
            for interview_id, person_id, due_at in rows
        ],
    )


def unsent_due_request_ids(session: Session, now: datetime, ended_before: datetime) -> list[int]:
    return list(
        session.scalars(
            select(FeedbackRequest.id)
            .join(Interview, FeedbackRequest.interview_id == Interview.id)
            .where(
                FeedbackRequest.sent_at.is_(None),
                FeedbackRequest.completed_at.is_(None),
                FeedbackRequest.due_at <= now,
                _not_leased(now),
                Interview.status != InterviewStatus.CANCELLED,
                Interview.ends_at <= ended_before,
            )
            .order_by(FeedbackRequest.id)
        )
    )


def claim_unsent_request(session: Session, request_id: int, now: datetime, until: datetime) -> bool:
    result = session.execute(
        update(FeedbackRequest)
        .where(
            FeedbackRequest.id == request_id,
            FeedbackRequest.sent_at.is_(None),
            FeedbackRequest.completed_at.is_(None),
            _not_leased(now),
        )
        .values(next_reminder_at=until)
        .execution_options(synchronize_session=False)
    )
    return changed_one_row(result)


def request_context(session: Session, request_id: int) -> RequestContext:
    row = session.execute(
        select(FeedbackRequest, Interview, Candidate, Stage, Person)
        .join(Interview, FeedbackRequest.interview_id == Interview.id)
        .join(Candidate, Interview.candidate_id == Candidate.id)
        .join(Stage, Interview.stage_id == Stage.id)
        .join(Person, FeedbackRequest.interviewer_id == Person.id)
        .where(FeedbackRequest.id == request_id)
        # Claims change these rows with bulk UPDATEs: always read what the database holds.
        .execution_options(populate_existing=True)
    ).one()
    return row[0], row[1], row[2], row[3], row[4]


def set_request_fields(session: Session, request_id: int, **values: object) -> None:
    session.execute(
        update(FeedbackRequest)
        .where(FeedbackRequest.id == request_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def due_reminder_ids(session: Session, now: datetime) -> list[int]:
    return list(
        session.scalars(
            select(FeedbackRequest.id)
            .join(Interview, FeedbackRequest.interview_id == Interview.id)
            .where(
                FeedbackRequest.sent_at.is_not(None),
                FeedbackRequest.completed_at.is_(None),
                FeedbackRequest.next_reminder_at <= now,
                Interview.status != InterviewStatus.CANCELLED,
            )
            .order_by(FeedbackRequest.id)
        )
    )


def claim_reminder(session: Session, request_id: int, now: datetime, until: datetime) -> bool:
    result = session.execute(
        update(FeedbackRequest)
        .where(
            FeedbackRequest.id == request_id,
            FeedbackRequest.sent_at.is_not(None),
            FeedbackRequest.completed_at.is_(None),
            FeedbackRequest.next_reminder_at <= now,
        )
        .values(next_reminder_at=until)
        .execution_options(synchronize_session=False)
    )
    return changed_one_row(result)


def record_reminder(
    session: Session, request_id: int, now: datetime, next_at: datetime | None
) -> None:
    session.execute(
        update(FeedbackRequest)
        .where(FeedbackRequest.id == request_id)
        .values(
            reminder_count=FeedbackRequest.reminder_count + 1,
            last_reminded_at=now,
            next_reminder_at=next_at,
        )
        .execution_options(synchronize_session=False)
    )


def late_requests(session: Session, ended_before: datetime) -> list[tuple[int, int]]:
    """(interview id, request id) of requests still open for interviews that ended long ago."""
    rows = session.execute(
        select(Interview.id, FeedbackRequest.id)
        .join(Interview, FeedbackRequest.interview_id == Interview.id)
        .where(
            FeedbackRequest.completed_at.is_(None),
            FeedbackRequest.escalated_at.is_(None),
            Interview.status != InterviewStatus.CANCELLED,
            Interview.ends_at <= ended_before,
        )
        .order_by(Interview.id, FeedbackRequest.id)
    )
    return [(interview_id, request_id) for interview_id, request_id in rows]


def claim_escalation(session: Session, request_id: int, now: datetime) -> bool:
    result = session.execute(
        update(FeedbackRequest)
        .where(
            FeedbackRequest.id == request_id,
            FeedbackRequest.completed_at.is_(None),
            FeedbackRequest.escalated_at.is_(None),
        )
        .values(escalated_at=now)
        .execution_options(synchronize_session=False)
    )
    return changed_one_row(result)


def release_escalations(session: Session, request_ids: list[int]) -> None:
    session.execute(
        update(FeedbackRequest)
        .where(FeedbackRequest.id.in_(request_ids))
        .values(escalated_at=None)
        .execution_options(synchronize_session=False)
    )


def complete_request(
    session: Session, interview_id: int, interviewer_id: int, now: datetime
) -> None:
    """The interviewer's feedback is in: no DM (if not sent yet), no reminder, no escalation."""
    add_requests(session, [(interview_id, interviewer_id, now)])
    session.execute(
        update(FeedbackRequest)
        .where(
            FeedbackRequest.interview_id == interview_id,
            FeedbackRequest.interviewer_id == interviewer_id,
            FeedbackRequest.completed_at.is_(None),
        )
        .values(completed_at=now)
        .execution_options(synchronize_session=False)
    )


def request_of(session: Session, interview_id: int, interviewer_id: int) -> FeedbackRequest | None:
    return session.scalar(
        select(FeedbackRequest).where(
            and_(
                FeedbackRequest.interview_id == interview_id,
                FeedbackRequest.interviewer_id == interviewer_id,
            )
        )
    )


def _not_leased(now: datetime) -> ColumnElement[bool]:
    return (FeedbackRequest.next_reminder_at.is_(None)) | (FeedbackRequest.next_reminder_at <= now)
