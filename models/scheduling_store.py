"""Data access for scheduling: requests, interviewer load, interviews and their events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from models.database import changed_one_row
from models.hiring import (
    Candidate,
    Interview,
    InterviewEvent,
    InterviewParticipant,
    InterviewStatus,
    ParticipantKind,
    SchedulingRequest,
    SchedulingStatus,
    ScorecardItem,
    Stage,
)


def stage_with_sessions(session: Session, stage_id: int) -> Stage | None:
    return session.scalar(
        select(Stage)
        .where(Stage.id == stage_id)
        .options(selectinload(Stage.sessions), selectinload(Stage.role))
    )


def candidate_by_email(session: Session, role_id: int, email: str) -> Candidate | None:
    return session.scalar(
        select(Candidate).where(
            Candidate.role_id == role_id, func.lower(Candidate.email) == email.lower()
        )
    )


def request_by_view(session: Session, view_id: str) -> SchedulingRequest | None:
    return session.scalar(select(SchedulingRequest).where(SchedulingRequest.view_id == view_id))


def request_by_uid(session: Session, uid: str) -> SchedulingRequest | None:
    return session.scalar(select(SchedulingRequest).where(SchedulingRequest.uid == uid))


def claim_request(session: Session, uid: str, now: datetime, stale_before: datetime) -> bool:
    """Move a request to BOOKING unless someone else holds it; True when we got it."""
    claimable = (
        SchedulingRequest.status.in_([SchedulingStatus.PROPOSED, SchedulingStatus.FAILED])
    ) | (
        (SchedulingRequest.status == SchedulingStatus.BOOKING)
        & (SchedulingRequest.updated_at < stale_before)
    )
    result = session.execute(
        update(SchedulingRequest)
        .where(SchedulingRequest.uid == uid, claimable)
        .values(status=SchedulingStatus.BOOKING, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return changed_one_row(result)


def interviews_per_person(
    session: Session, person_ids: Sequence[int], start: datetime, end: datetime
) -> list[tuple[int, datetime]]:
    """(person id, interview start) for every scheduled interview event in the span."""
    rows = session.execute(
        select(InterviewParticipant.person_id, InterviewEvent.starts_at)
        .join(InterviewEvent, InterviewParticipant.interview_event_id == InterviewEvent.id)
        .join(Interview, InterviewEvent.interview_id == Interview.id)
        .where(
            InterviewParticipant.person_id.in_(list(person_ids)),
            InterviewParticipant.kind == ParticipantKind.INTERVIEWER,
            Interview.status == InterviewStatus.SCHEDULED,
            InterviewEvent.starts_at >= start,
            InterviewEvent.starts_at < end,
        )
    )
    return [(person_id, starts_at) for person_id, starts_at in rows if person_id is not None]


def interview_with_events(session: Session, interview_id: int) -> Interview | None:
    return session.scalar(
        select(Interview)
        .where(Interview.id == interview_id)
        .options(
            selectinload(Interview.events)
            .selectinload(InterviewEvent.participants)
            .selectinload(InterviewParticipant.person),
            selectinload(Interview.candidate),
            selectinload(Interview.stage).selectinload(Stage.sessions),
            selectinload(Interview.stage)
            .selectinload(Stage.scorecard)
            .selectinload(ScorecardItem.competency),
        )
    )


def interview_event_by_calendar_id(session: Session, event_id: str) -> InterviewEvent | None:
    return session.scalar(
        select(InterviewEvent)
        .where(InterviewEvent.calendar_event_id == event_id)
        .options(selectinload(InterviewEvent.participants))
    )
