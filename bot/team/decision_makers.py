"""Who decides on a candidate after an interview: the recruiter and the hiring managers."""

from __future__ import annotations

from models.hiring import Interview, Person, TeamRole
from models.unit_of_work import UnitOfWork


def scheduler_of(uow: UnitOfWork, interview: Interview) -> Person | None:
    """The recruiter who booked the interview, while they are still on the team."""
    scheduler = (
        uow.people.person_by_id(interview.scheduled_by_id)
        if interview.scheduled_by_id is not None
        else None
    )
    return scheduler if scheduler is not None and scheduler.is_active else None


def decision_makers(uow: UnitOfWork, interview: Interview) -> list[str]:
    """Slack ids of the recruiter (who scheduled it, else every recruiter) and hiring managers."""
    scheduler = scheduler_of(uow, interview)
    recruiters: list[Person] = (
        [scheduler] if scheduler is not None else uow.people.people_with_role(TeamRole.RECRUITER)
    )
    managers = uow.people.people_with_role(TeamRole.HIRING_MANAGER)
    return list(dict.fromkeys(person.slack_id for person in [*recruiters, *managers]))
