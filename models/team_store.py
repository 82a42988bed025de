"""Data access for who holds which team role."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.hiring import Person, PersonTeamRole, TeamRole


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
