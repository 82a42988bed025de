"""Digest use cases: the digest now for whoever may read it (/hiring-digest), and the morning
digest put in the outbox once per working day (the `daily_digest` job)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from bot.digest.build import build_digest
from bot.digest.delivery import DigestSchedule, Outcome, enqueue_daily_digest
from bot.digest.model import Digest
from bot.digest.ports import DigestComposer
from bot.shared.clock import Clock
from models.hiring import Person, TeamRole
from models.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

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
        composer: DigestComposer,
        schedule: DigestSchedule,
        deliver_now: Callable[[Sequence[str]], object],
    ) -> None:
        """`deliver_now` hands the keys just enqueued to the outbox (OutboxService.deliver), so
        the digest does not wait for the outbox job's next tick."""
        self._new_uow = new_uow
        self._clock = clock
        self._zone = zone
        self._composer = composer
        self._schedule = schedule
        self._deliver_now = deliver_now

    def digest_for_reader(self, reader_slack_id: str) -> Digest:
        """Today's digest as of now; raises NotAllowedToReadDigest for anyone else."""
        with self._new_uow() as uow:
            if not may_read_digest(uow.people.person_by_slack_id(reader_slack_id)):
                raise NotAllowedToReadDigest(reader_slack_id)
            return build_digest(uow, self._clock.now(), self._zone, self._schedule.working_days)

    def send_daily_digest(self) -> Outcome:
        """Enqueue today's digest if it is due and nobody did yet, then deliver it; safe to run
        often and in parallel."""
        run = enqueue_daily_digest(
            self._new_uow, self._clock.now(), self._zone, self._schedule, self._composer
        )
        if run.keys:
            self._deliver(run.keys)
        return run.outcome

    def _deliver(self, keys: Sequence[str]) -> None:
        try:
            self._deliver_now(keys)
        except Exception:  # enqueued for good: the outbox job delivers what this did not
            log.exception("the daily digest is enqueued; the outbox job will deliver it")
