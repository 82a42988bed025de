"""The team's use cases: the admins' team modal, who is an admin, enrolling the first admins."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from bot.shared.clock import Clock
from bot.team.members import TeamForm, TeamMember, is_admin, save_team_member, team_form
from bot.team.people import SlackProfile, enrol_admins
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
