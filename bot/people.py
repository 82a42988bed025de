"""Who may do what: the first admins from configuration, and permission rules."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from models.hiring import Person, TeamRole
from models.people_store import ensure_person, grant, person_by_slack_id

SCHEDULERS = (TeamRole.RECRUITER, TeamRole.HIRING_MANAGER, TeamRole.ADMIN)


def enrol_admins(session: Session, slack_ids: Iterable[str]) -> None:
    """The configured admins are admins and recruiters; enrolling twice changes nothing."""
    for slack_id in slack_ids:
        grant(ensure_person(session, slack_id), TeamRole.ADMIN, TeamRole.RECRUITER)


def may_schedule(person: Person | None) -> bool:
    return person is not None and person.is_active and person.has_role(*SCHEDULERS)


def scheduler_or_none(session: Session, slack_id: str) -> Person | None:
    person = person_by_slack_id(session, slack_id)
    return person if may_schedule(person) else None
