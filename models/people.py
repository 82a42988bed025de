"""People, their team roles and the interviewer pools."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from models.hiring import (
    Person,
    PersonTeamRole,
    Pool,
    PoolMember,
    TeamRole,
)


class PeopleRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, entity: object) -> None:
        """Stage a new row; it gets its id at the next flush."""
        self._session.add(entity)

    def person_by_slack_id(self, slack_id: str) -> Person | None:
        return self._session.scalar(
            select(Person)
            .where(Person.slack_id == slack_id)
            .options(selectinload(Person.team_roles))
        )

    def person_by_email(self, email: str) -> Person | None:
        """The person holding `email`, whatever its case (MariaDB's unique key ignores case)."""
        return self._session.scalars(
            select(Person)
            .where(func.lower(Person.email) == email.strip().lower())
            .options(selectinload(Person.team_roles))
            .order_by(Person.id)
            .limit(1)
        ).first()

    def ensure_person(self, slack_id: str, timezone: str) -> Person:
        """The person with this Slack id; someone new is created in `timezone` (IANA name)."""
        person = self.person_by_slack_id(slack_id)
        if person is None:
            person = Person(slack_id=slack_id, timezone=timezone)
            self._session.add(person)
            self._session.flush()
        return person

    def people_with_email(self, slack_ids: list[str]) -> list[Person]:
        return list(
            self._session.scalars(
                select(Person).where(Person.slack_id.in_(slack_ids), Person.email.is_not(None))
            )
        )

    def people_by_slack_ids(self, slack_ids: Sequence[str]) -> dict[str, Person]:
        rows = self._session.scalars(select(Person).where(Person.slack_id.in_(list(slack_ids))))
        return {person.slack_id: person for person in rows}

    def people_by_ids(self, ids: Sequence[int]) -> dict[int, Person]:
        return {
            p.id: p for p in self._session.scalars(select(Person).where(Person.id.in_(list(ids))))
        }

    def people_with_role(self, role: TeamRole) -> list[Person]:
        """Active people holding `role`, by name."""
        return list(
            self._session.scalars(
                select(Person)
                .join(PersonTeamRole, PersonTeamRole.person_id == Person.id)
                .where(PersonTeamRole.role == role, Person.is_active.is_(True))
                .options(selectinload(Person.team_roles))
                .order_by(Person.name, Person.id)
            )
        )

    def person_by_id(self, person_id: int) -> Person | None:
        return self._session.get(Person, person_id, options=[selectinload(Person.team_roles)])

    def pools(self) -> list[Pool]:
        return list(self._session.scalars(select(Pool).order_by(Pool.name)))

    def pool_keys_of(self, person_id: int) -> set[str]:
        return set(
            self._session.scalars(
                select(Pool.key)
                .join(PoolMember, PoolMember.pool_id == Pool.id)
                .where(PoolMember.person_id == person_id)
            )
        )

    def set_pools(self, person: Person, keys: set[str]) -> None:
        """Make the person a member of exactly these pools."""
        for pool in self.pools():
            member = self._session.get(PoolMember, (pool.id, person.id))
            if pool.key in keys and member is None:
                self._session.add(PoolMember(pool_id=pool.id, person_id=person.id))
            elif pool.key not in keys and member is not None:
                self._session.delete(member)

    def pool_members(self, pool_keys: list[str]) -> dict[str, list[Person]]:
        rows = self._session.execute(
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
