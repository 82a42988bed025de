"""Data access for people and their team roles."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.hiring import Person, PersonTeamRole, Pool, PoolMember, TeamRole


def person_by_slack_id(session: Session, slack_id: str) -> Person | None:
    return session.scalar(
        select(Person).where(Person.slack_id == slack_id).options(selectinload(Person.team_roles))
    )


def ensure_person(session: Session, slack_id: str) -> Person:
    person = person_by_slack_id(session, slack_id)
    if person is None:
        person = Person(slack_id=slack_id)
        session.add(person)
        session.flush()
    return person


def grant(person: Person, *roles: TeamRole) -> None:
    held = {entry.role for entry in person.team_roles}
    for role in roles:
        if role not in held:
            person.team_roles.append(PersonTeamRole(role=role))


def people_with_email(session: Session, slack_ids: list[str]) -> list[Person]:
    return list(
        session.scalars(
            select(Person).where(Person.slack_id.in_(slack_ids), Person.email.is_not(None))
        )
    )


def people_by_slack_ids(session: Session, slack_ids: Sequence[str]) -> dict[str, Person]:
    rows = session.scalars(select(Person).where(Person.slack_id.in_(list(slack_ids))))
    return {person.slack_id: person for person in rows}


def people_by_ids(session: Session, ids: Sequence[int]) -> dict[int, Person]:
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(list(ids))))}


def people_with_role(session: Session, role: TeamRole) -> list[Person]:
    """Active people holding `role`, by name."""
    return list(
        session.scalars(
            select(Person)
            .join(PersonTeamRole, PersonTeamRole.person_id == Person.id)
            .where(PersonTeamRole.role == role, Person.is_active.is_(True))
            .options(selectinload(Person.team_roles))
            .order_by(Person.name, Person.id)
        )
    )


def person_by_id(session: Session, person_id: int) -> Person | None:
    return session.get(Person, person_id, options=[selectinload(Person.team_roles)])


def set_roles(person: Person, roles: set[TeamRole]) -> None:
    """Make the person hold exactly these team roles."""
    person.team_roles[:] = [entry for entry in person.team_roles if entry.role in roles]
    grant(person, *sorted(roles - {entry.role for entry in person.team_roles}))


def pools(session: Session) -> list[Pool]:
    return list(session.scalars(select(Pool).order_by(Pool.name)))


def pool_keys_of(session: Session, person_id: int) -> set[str]:
    return set(
        session.scalars(
            select(Pool.key)
            .join(PoolMember, PoolMember.pool_id == Pool.id)
            .where(PoolMember.person_id == person_id)
        )
    )


def set_pools(session: Session, person: Person, keys: set[str]) -> None:
    """Make the person a member of exactly these pools."""
    for pool in pools(session):
        member = session.get(PoolMember, (pool.id, person.id))
        if pool.key in keys and member is None:
            session.add(PoolMember(pool_id=pool.id, person_id=person.id))
        elif pool.key not in keys and member is not None:
            session.delete(member)
