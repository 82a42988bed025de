"""People as Slack describes them, matched to the people we know. A re-created Slack account
(a new Slack id, an email we know) is the same person: they keep their roles and history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.team.people import SlackProfile, scheduler_or_none
from models.hiring import Person, TeamRole
from models.unit_of_work import UnitOfWork


class MayNotEnrol(Exception):
    """Only people who may schedule name new interviewers."""


def person_for(
    uow: UnitOfWork, profile: SlackProfile, timezone: str, now: datetime, actor_id: int | None
) -> Person:
    """The person `profile` describes: theirs by Slack id; else the one with its email, moved to
    the new Slack id; else someone new (in the time zone Slack gives, else `timezone`). An email
    held by someone else stays theirs."""
    person = uow.people.person_by_slack_id(profile.slack_id)
    owner = uow.people.person_by_email(profile.email) if profile.email else None
    if person is None and owner is not None:
        uow.audit.record(
            now,
            actor_id,
            "person.slack_account_changed",
            ("person", owner.id),
            {"from": owner.slack_id, "to": profile.slack_id},
        )
        owner.slack_id = profile.slack_id
        return owner
    if person is None:
        person = uow.people.ensure_person(profile.slack_id, profile.timezone or timezone)
    if owner is None:
        person.email = person.email or profile.email
    return person


def enrol_interviewers(
    uow: UnitOfWork,
    actor_slack_id: str,
    profiles: Iterable[SlackProfile],
    timezone: str,
    now: datetime,
) -> None:
    """Remember the interviewers a scheduler picked, as Slack describes them; the role is
    checked before anything is written."""
    actor = scheduler_or_none(uow, actor_slack_id)
    if actor is None:
        raise MayNotEnrol(actor_slack_id)
    for profile in profiles:
        person = person_for(uow, profile, timezone, now, actor.id)
        person.name = person.name or profile.name
        if profile.timezone:
            person.timezone = profile.timezone
        person.grant(TeamRole.INTERVIEWER)
    uow.flush()
