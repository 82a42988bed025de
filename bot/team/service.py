"""The team's use cases: the admins' team modal, who is an admin, enrolling the first admins."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from zoneinfo import ZoneInfo

from bot.shared.clock import Clock
from bot.team.accounts import enrol_interviewers
from bot.team.members import (
    TeamForm,
    TeamMember,
    check_team_member,
    is_admin,
    knows_email_of,
    save_team_member,
    team_form,
)
from bot.team.people import SlackProfile, enrol_admins, scheduler_or_none
from models.unit_of_work import UnitOfWork


class TeamService:
    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        clock: Clock,
        zone: ZoneInfo,
        admin_slack_ids: Sequence[str],
    ) -> None:
        self._new_uow = new_uow
        self._clock = clock
        self._zone = zone
        self._admin_slack_ids = tuple(admin_slack_ids)

    def enrol_admins(self) -> None:
        """The admins named in the configuration (ADMIN_SLACK_IDS) are admins and recruiters."""
        with self._new_uow() as uow:
            enrol_admins(uow, self._admin_slack_ids, self._zone.key)
            uow.commit()

    def is_admin(self, slack_id: str) -> bool:
        with self._new_uow() as uow:
            return is_admin(uow, slack_id)

    def may_schedule(self, slack_id: str) -> bool:
        with self._new_uow() as uow:
            return scheduler_or_none(uow, slack_id) is not None

    def enrol_interviewers(self, actor_slack_id: str, profiles: Iterable[SlackProfile]) -> None:
        """Remember the interviewers `actor_slack_id` picked, as Slack describes them (a known
        email on a new Slack account moves that person to it). Raises MayNotEnrol."""
        profiles = list(profiles)
        now = self._clock.now()
        with self._new_uow() as uow:
            enrol_interviewers(uow, actor_slack_id, profiles, self._zone.key, now)
            uow.commit()

    def check(self, actor_slack_id: str, member: TeamMember) -> None:
        """What `save` would refuse, found without writing: raises NotAdmin, TeamErrors."""
        with self._new_uow() as uow:
            check_team_member(uow, actor_slack_id, member)

    def knows_email_of(self, slack_id: str) -> bool:
        with self._new_uow() as uow:
            return knows_email_of(uow, slack_id)

    def form(self, actor_slack_id: str, slack_id: str | None = None) -> TeamForm:
        """The team modal for an admin, showing `slack_id`'s settings; raises NotAdmin."""
        with self._new_uow() as uow:
            return team_form(uow, actor_slack_id, slack_id)

    def save(self, actor_slack_id: str, member: TeamMember, profile: SlackProfile | None) -> str:
        """Store what the admin set; returns the Slack id saved. Raises NotAdmin, TeamErrors."""
        now = self._clock.now()
        with self._new_uow() as uow:
            person = save_team_member(uow, actor_slack_id, member, profile, now, self._zone.key)
            uow.commit()
            return person.slack_id
