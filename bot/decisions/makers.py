"""Who decides on a candidate after an interview: the recruiter and the hiring managers."""

from __future__ import annotations

from models.database import UnitOfWork
from models.hiring import Interview, Person, TeamRole
from models.people_store import people_with_role, person_by_id


def decision_makers(uow: UnitOfWork, interview: Interview) -> list[str]:
    """Slack ids of the recruiter (who scheduled it, else every recruiter) and hiring managers."""
    scheduler = (
        person_by_id(uow.session, interview.scheduled_by_id)
        if interview.scheduled_by_id is not None
        else None
    )
    recruiters: list[Person] = (
        [scheduler]
        if scheduler is not None and scheduler.is_active
        else people_with_role(uow.session, TeamRole.RECRUITER)
    )
    managers = people_with_role(uow.session, TeamRole.HIRING_MANAGER)
    return list(dict.fromkeys(person.slack_id for person in [*recruiters, *managers]))
