"""Data access for roles, stages, pools and candidates as the scheduling form needs them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from models.hiring import (
    Candidate,
    Interview,
    InterviewStatus,
    Person,
    Pool,
    PoolMember,
    Role,
    Stage,
)


def open_roles(session: Session) -> list[Role]:
    return list(
        session.scalars(
            select(Role)
            .where(Role.is_open.is_(True))
            .options(selectinload(Role.stages).selectinload(Stage.sessions))
            .order_by(Role.title)
        )
    )


def pool_members(session: Session, pool_keys: list[str]) -> dict[str, list[Person]]:
    rows = session.execute(
        select(Pool.key, Person)
        .join(PoolMember, PoolMember.pool_id == Pool.id)
        .join(Person, PoolMember.person_id == Person.id)
        .where(Pool.key.in_(pool_keys), Person.is_active.is_(True))
        .order_by(Person.name)
    )
    members: dict[str, list[Person]] = {key: [] for key in pool_keys}
    for key, person in rows:
        members[key].append(person)
    return members


def search_candidates(session: Session, query: str, limit: int = 20) -> list[Candidate]:
    pattern = f"%{query.strip().lower()}%"
    return list(
        session.scalars(
            select(Candidate)
            .options(selectinload(Candidate.current_stage))
            .where(or_(Candidate.name.ilike(pattern), Candidate.email.ilike(pattern)))
            .order_by(Candidate.name)
            .limit(limit)
        )
    )


def candidate_by_id(session: Session, candidate_id: int) -> Candidate | None:
    return session.get(Candidate, candidate_id)


def upcoming_interviews(session: Session, candidate_id: int, now: datetime) -> list[Interview]:
    return list(
        session.scalars(
            select(Interview)
            .options(selectinload(Interview.stage))
            .where(
                Interview.candidate_id == candidate_id,
                Interview.status == InterviewStatus.SCHEDULED,
                Interview.ends_at > now,
            )
            .order_by(Interview.starts_at)
        )
    )
