"""Who may do what, and how people we did not know yet join: configured admins, interviewers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from models.directory import PersonEntry
from models.hiring import Person, TeamRole
from models.unit_of_work import UnitOfWork

SCHEDULERS = (TeamRole.RECRUITER, TeamRole.HIRING_MANAGER, TeamRole.ADMIN)
# A refusal that tells nothing: the same whether the thing asked for exists or not.
NOT_AVAILABLE = "This isn't available to you."


def enrol_admins(uow: UnitOfWork, slack_ids: Iterable[str], timezone: str) -> None:
    """The configured admins are admins and recruiters; enrolling twice changes nothing.

    Someone new starts in `timezone`, the company's."""
    for slack_id in slack_ids:
        uow.people.ensure_person(slack_id, timezone).grant(TeamRole.ADMIN, TeamRole.RECRUITER)


def may_schedule(person: Person | PersonEntry | None) -> bool:
    return person is not None and person.is_active and person.has_role(*SCHEDULERS)


def scheduler_or_none(uow: UnitOfWork, slack_id: str) -> PersonEntry | None:
    """The caller, when they may schedule (read from the directory: no query of its own)."""
    person = uow.directory.person(slack_id)
    return person if may_schedule(person) else None


@dataclass(frozen=True)
class SlackProfile:
    """What Slack's users.info tells about someone we do not know yet."""

    slack_id: str
    name: str
    email: str | None
    timezone: str | None


def unknown_slack_ids(uow: UnitOfWork, slack_ids: Iterable[str]) -> list[str]:
    """Those of these Slack users we have no person with an email for."""
    wanted = list(dict.fromkeys(slack_ids))
    known = {p.slack_id for p in uow.people.people_with_email(wanted)}
    return [slack_id for slack_id in wanted if slack_id not in known]
