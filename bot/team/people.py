"""Who may do what: the first admins from configuration, and permission rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from models.hiring import Person, TeamRole
from models.people_store import ensure_person, grant, people_with_email, person_by_slack_id

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


@dataclass(frozen=True)
class SlackProfile:
    """What Slack's users.info tells about someone we do not know yet."""

    slack_id: str
    name: str
    email: str | None
    timezone: str | None


def unknown_slack_ids(session: Session, slack_ids: Iterable[str]) -> list[str]:
    """Those of these Slack users we have no person with an email for."""
    wanted = list(dict.fromkeys(slack_ids))
    known = {p.slack_id for p in people_with_email(session, wanted)}
    return [slack_id for slack_id in wanted if slack_id not in known]


def enrol_interviewers(session: Session, profiles: Iterable[SlackProfile]) -> None:
    """Remember people picked as interviewers, with the email and time zone Slack has."""
    for profile in profiles:
        person = ensure_person(session, profile.slack_id)
        person.name = person.name or profile.name
        person.email = person.email or profile.email
        if profile.timezone:
            person.timezone = profile.timezone
        grant(person, TeamRole.INTERVIEWER)
