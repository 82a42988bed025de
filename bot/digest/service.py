"""Digest use cases: the digest now for whoever may read it (/hiring-digest), and the morning
digest sent once per working day (the `daily_digest` job)."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from bot.digest.build import build_digest
from bot.digest.delivery import DigestSchedule, Outcome, deliver_daily_digest
from bot.digest.model import Digest
from bot.digest.ports import DigestOutbox
from bot.shared.clock import Clock
from models.hiring import Person, TeamRole
from models.unit_of_work import UnitOfWork

DIGEST_READERS = (TeamRole.HEAD_OF_ENGINEERING, TeamRole.RECRUITER, TeamRole.ADMIN)


class NotAllowedToReadDigest(Exception):
    """Only the Head of Engineering, recruiters and admins read the digest."""


def may_read_digest(person: Person | None) -> bool:
    return person is not None and person.is_active and person.has_role(*DIGEST_READERS)


class DigestService:
    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        clock: Clock,
        zone: ZoneInfo,
        outbox: DigestOutbox,
        schedule: DigestSchedule,
    ) -> None:
        self._new_uow = new_uow
        self._clock = clock
        self._zone = zone
        self._outbox = outbox
        self._schedule = schedule

    def digest_for_reader(self, reader_slack_id: str) -> Digest:
        """Today's digest as of now; raises NotAllowedToReadDigest for anyone else."""
        with self._new_uow() as uow:
            if not may_read_digest(uow.people.person_by_slack_id(reader_slack_id)):
                raise NotAllowedToReadDigest(reader_slack_id)
            return build_digest(uow, self._clock.now(), self._zone)

    def send_daily_digest(self) -> Outcome:
        """Send today's digest if it is due and not sent yet; safe to run often and in parallel."""
        return deliver_daily_digest(
            self._new_uow, self._clock.now(), self._zone, self._schedule, self._outbox
        )
