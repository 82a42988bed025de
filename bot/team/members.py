"""Who is who: admins set each person's team roles, interviewer pools, weekly cap and hours."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time

from bot.shared.working_time import is_country
from bot.team.accounts import person_for
from bot.team.people import SlackProfile
from models.hiring import WORKDAY_END, WORKDAY_START, Person, TeamRole
from models.schemas import COUNTRY_CODE_MAX, DAILY_CAP_MAX, SLACK_ID_PATTERN, WEEKLY_CAP_MAX
from models.unit_of_work import UnitOfWork

ROLE_LABELS = {
    TeamRole.RECRUITER: "Recruiter",
    TeamRole.HIRING_MANAGER: "Hiring manager",
    TeamRole.INTERVIEWER: "Interviewer",
    TeamRole.HEAD_OF_ENGINEERING: "Head of Engineering",
    TeamRole.ADMIN: "Admin",
}


@dataclass(frozen=True)
class TeamMember:
    slack_id: str | None = None
    roles: frozenset[TeamRole] = frozenset({TeamRole.INTERVIEWER})
    pools: frozenset[str] = frozenset()
    weekly_cap: int | None = None
    work_start: time = WORKDAY_START
    work_end: time = WORKDAY_END
    daily_cap: int | None = None
    # ISO 3166 code: that country's public holidays are their days off (None: the company's only)
    holiday_country: str | None = None


@dataclass(frozen=True)
class TeamForm:
    """The team modal's content: the member shown and the pools to choose from."""

    member: TeamMember
    pool_choices: list[tuple[str, str]] = field(default_factory=list)


class NotAdmin(Exception):
    """Only admins manage the team."""


class TeamErrors(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def is_admin(uow: UnitOfWork, slack_id: str) -> bool:
    person = uow.directory.person(slack_id)
    return person is not None and person.is_active and person.has_role(TeamRole.ADMIN)


def team_form(uow: UnitOfWork, actor_slack_id: str, slack_id: str | None) -> TeamForm:
    if not is_admin(uow, actor_slack_id):
        raise NotAdmin(actor_slack_id)
    if slack_id is not None and not re.fullmatch(SLACK_ID_PATTERN, slack_id):
        slack_id = None
    person = uow.people.person_by_slack_id(slack_id) if slack_id else None
    member = _member(uow, person) if person else TeamMember(slack_id=slack_id)
    return TeamForm(member, [(pool.key, pool.name) for pool in uow.people.pools()])


def _member(uow: UnitOfWork, person: Person) -> TeamMember:
    return TeamMember(
        slack_id=person.slack_id,
        roles=frozenset(entry.role for entry in person.team_roles),
        pools=frozenset(uow.people.pool_keys_of(person.id)),
        weekly_cap=person.weekly_interview_cap,
        work_start=person.work_start,
        work_end=person.work_end,
        daily_cap=person.daily_interview_cap,
        holiday_country=person.holiday_country,
    )


def save_team_member(
    uow: UnitOfWork,
    actor_slack_id: str,
    member: TeamMember,
    profile: SlackProfile | None,
    now: datetime,
    timezone: str,
) -> Person:
    """Store what the admin set; refuses bad values field by field. Someone new starts in the
    time zone Slack gives, else in `timezone` (the company's)."""
    actor = check_team_member(uow, actor_slack_id, member)
    assert member.slack_id is not None
    if profile is not None:
        person = person_for(uow, profile, timezone, now, actor.id)
        person.name = profile.name or person.name
        person.timezone = profile.timezone or person.timezone
    else:
        person = uow.people.ensure_person(member.slack_id, timezone)
    person.set_roles(set(member.roles))
    uow.people.set_pools(person, set(member.pools))
    person.weekly_interview_cap = member.weekly_cap
    person.daily_interview_cap = member.daily_cap
    person.holiday_country = member.holiday_country.upper() if member.holiday_country else None
    person.work_start, person.work_end = member.work_start, member.work_end
    uow.audit.record(
        now,
        actor.id,
        "team.updated",
        ("person", person.id),
        {
            "roles": sorted(member.roles),
            "pools": sorted(member.pools),
            "weekly_cap": member.weekly_cap,
            "daily_cap": member.daily_cap,
            "holiday_country": member.holiday_country,
        },
    )
    uow.flush()
    return person


def check_team_member(uow: UnitOfWork, actor_slack_id: str, member: TeamMember) -> Person:
    """The admin saving `member`, once it is checked: raises NotAdmin, TeamErrors."""
    actor = uow.people.person_by_slack_id(actor_slack_id)
    if actor is None or not actor.is_active or not actor.has_role(TeamRole.ADMIN):
        raise NotAdmin(actor_slack_id)
    _check(member, actor_slack_id)
    return actor


def knows_email_of(uow: UnitOfWork, slack_id: str) -> bool:
    """Whether we have this person's email: saving them needs nothing from Slack."""
    person = uow.people.person_by_slack_id(slack_id)
    return person is not None and bool(person.email)


def _check(member: TeamMember, actor_slack_id: str) -> None:
    errors: dict[str, str] = {}
    if member.slack_id is None or not re.fullmatch(SLACK_ID_PATTERN, member.slack_id):
        errors["person"] = "Pick the person."
    elif member.slack_id == actor_slack_id and TeamRole.ADMIN not in member.roles:
        errors["roles"] = "You cannot remove your own admin role; ask another admin."
    if not member.roles:
        errors["roles"] = "Pick at least one role."
    if member.weekly_cap is not None and not 0 <= member.weekly_cap <= WEEKLY_CAP_MAX:
        errors["weekly_cap"] = (
            f"A weekly cap is between 0 and {WEEKLY_CAP_MAX} interviews (empty: no cap)."
        )
    if member.daily_cap is not None and not 0 <= member.daily_cap <= DAILY_CAP_MAX:
        errors["daily_cap"] = (
            f"A daily cap is between 0 and {DAILY_CAP_MAX} interviews (empty: no cap)."
        )
    elif (
        member.daily_cap and member.weekly_cap is not None and member.daily_cap > member.weekly_cap
    ):
        errors["daily_cap"] = "The daily cap cannot be above the weekly cap."
    if member.holiday_country and (
        len(member.holiday_country) > COUNTRY_CODE_MAX or not is_country(member.holiday_country)
    ):
        errors["holiday_country"] = (
            "Give a two-letter country code such as FR, GB or CA (empty: the company's holidays)."
        )
    if member.work_end <= member.work_start:
        errors["work_end"] = "Working hours must end after they start."
    if errors:
        raise TeamErrors(errors)
