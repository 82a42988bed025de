"""Small builders that put hiring data in the database for a test."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    Candidate,
    FeedbackRequest,
    Interview,
    InterviewEvent,
    InterviewParticipant,
    ParticipantKind,
    Person,
    Pool,
    PoolMember,
    Role,
    Stage,
    TeamRole,
)
from models.people import PeopleRepository


def person(
    session: Session,
    slack_id: str,
    name: str,
    *roles: TeamRole,
    pools: tuple[str, ...] = (),
    timezone: str = "Europe/Paris",
    email: str | None = None,
) -> Person:
    someone = PeopleRepository(session).ensure_person(slack_id, timezone)
    someone.name = name
    someone.email = email or f"{slack_id.lower()}@example.com"
    someone.timezone = timezone
    someone.grant(*roles)
    for key in pools:
        pool = session.scalars(select(Pool).where(Pool.key == key)).one()
        session.add(PoolMember(pool_id=pool.id, person_id=someone.id))
    session.flush()
    return someone


def stage(session: Session, key: str) -> Stage:
    return session.scalars(select(Stage).where(Stage.key == key)).one()


def candidate(session: Session, name: str, email: str, now: datetime, stage_key: str) -> Candidate:
    current = stage(session, stage_key)
    role = session.scalars(select(Role).where(Role.id == current.role_id)).one()
    row = Candidate(
        role_id=role.id,
        name=name,
        email=email,
        current_stage_id=current.id,
        stage_entered_at=now,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def interview(
    session: Session,
    who: Candidate,
    stage_key: str,
    starts_at: datetime,
    interviewers: list[Person],
    minutes: int = 30,
) -> Interview:
    row = Interview(
        uid=uuid.uuid4().hex,
        candidate_id=who.id,
        stage_id=stage(session, stage_key).id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        created_at=starts_at,
        updated_at=starts_at,
    )
    event = InterviewEvent(
        calendar_event_id=f"ib{row.uid}", starts_at=row.starts_at, ends_at=row.ends_at
    )
    event.participants = [
        InterviewParticipant(person_id=p.id, email=p.email or "", kind=ParticipantKind.INTERVIEWER)
        for p in interviewers
    ] + [InterviewParticipant(email=who.email, kind=ParticipantKind.CANDIDATE)]
    row.events = [event]
    session.add(row)
    session.flush()
    return row


def feedback_request(
    session: Session, about: Interview, interviewer: Person, sent_at: datetime | None
) -> FeedbackRequest:
    row = FeedbackRequest(
        interview_id=about.id, interviewer_id=interviewer.id, due_at=about.ends_at, sent_at=sent_at
    )
    session.add(row)
    session.flush()
    return row
