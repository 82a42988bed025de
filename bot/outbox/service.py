"""The one dispatcher of the outbox: claims a due message, sends it, records where it went.

Errors are sorted by kind. A temporary one (429, 5xx, timeout, connection) is tried again with
backoff up to MAX_ATTEMPTS; a permanent one (or the last attempt) marks the message failed and, in
the same transaction, enqueues one notice to whoever can act (the message's `notify_slack_id`,
else the admins). A failing message never holds up the others. Nothing else retries a post: an
attempt whose outcome is unknown is looked for in Slack before the message is posted again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.outbox.backoff import gives_up, next_attempt_at
from bot.outbox.ports import FailureNotices, MessageSender, PermanentFailure, TemporaryFailure
from bot.shared.clock import Clock
from bot.shared.delivery import PostedMessage
from bot.shared.metrics import record_delivery
from models.hiring import TeamRole
from models.outbox import MessageReference, NewMessage, OutboxAction, OutboxMessage, OutboxStatus
from models.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
TARGET_WAIT = timedelta(seconds=10)
BATCH = 50
NOTICE_KIND = "undelivered_notice"


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(
            self.sent + other.sent, self.retried + other.retried, self.failed + other.failed
        )


SENT = DeliveryReport(sent=1)
RETRIED = DeliveryReport(retried=1)
FAILED = DeliveryReport(failed=1)
NOTHING = DeliveryReport()


@dataclass(frozen=True)
class _Attempt:
    """A claimed row, read once after the claim."""

    id: int
    key: str
    kind: str
    action: OutboxAction
    recipient: str | None
    target_key: str | None
    payload: dict[str, object]
    summary: str
    notify_slack_id: str | None
    attempts: int
    verify_first: bool
    created_at: datetime

    @classmethod
    def of(cls, row: OutboxMessage) -> _Attempt:
        return cls(
            row.id,
            row.key,
            row.kind,
            row.action,
            row.recipient,
            row.target_key,
            dict(row.payload),
            row.summary,
            row.notify_slack_id,
            row.attempts,
            row.verify_first,
            row.created_at,
        )


class OutboxService:
    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        clock: Clock,
        sender: MessageSender,
        notices: FailureNotices,
    ) -> None:
        self._new_uow = new_uow
        self._clock = clock
        self._sender = sender
        self._notices = notices

    def deliver_due(self, limit: int = BATCH) -> DeliveryReport:
        """The job: send every message that is due (a batch at a time)."""
        with self._new_uow() as uow:
            ids = uow.outbox.due_ids(self._clock.now(), limit)
        return self._deliver_ids(ids)

    def deliver(self, keys: Sequence[str]) -> DeliveryReport:
        """Send these messages now if they are due (right after the request that enqueued them);
        whatever is not sent here the job sends later."""
        if not keys:
            return NOTHING
        with self._new_uow() as uow:
            ids = uow.outbox.ids_of(list(keys))
        return self._deliver_ids(ids)

    def undelivered(self) -> tuple[int, float | None]:
        """How many messages wait, and how long (seconds) the oldest has waited."""
        with self._new_uow() as uow:
            count, oldest = uow.outbox.undelivered()
        age = (self._clock.now() - oldest).total_seconds() if oldest is not None else None
        return count, age

    def _deliver_ids(self, ids: Sequence[int]) -> DeliveryReport:
        report = NOTHING
        for message_id in ids:
            outcome = self._deliver_one(message_id)
            if outcome.sent:
                record_delivery("sent")
            if outcome.retried:
                record_delivery("retried")
            if outcome.failed:
                record_delivery("failed")
            report += outcome
        return report

    def _deliver_one(self, message_id: int) -> DeliveryReport:
        attempt = self._claim(message_id)
        if attempt is None:
            return NOTHING
        target: PostedMessage | None = None
        if attempt.target_key is not None:
            target = self._target(attempt)
            if target is None:
                return NOTHING if self._target_pending(attempt) else FAILED
        try:
            posted = self._send(attempt, target)
        except TemporaryFailure as failure:
            return self._after_temporary(attempt, failure)
        except PermanentFailure as failure:
            self._fail(attempt, failure.reason)
            return FAILED
        with self._new_uow() as uow:
            uow.outbox.mark_sent(
                attempt.id, attempt.key, posted.channel, posted.ts, self._clock.now()
            )
            uow.commit()
        return SENT

    def _claim(self, message_id: int) -> _Attempt | None:
        now = self._clock.now()
        with self._new_uow() as uow:
            if not uow.outbox.claim(message_id, now, now + LEASE):
                uow.rollback()
                return None
            uow.commit()
            row = uow.outbox.get(message_id)
            return _Attempt.of(row) if row is not None else None

    def _send(self, attempt: _Attempt, target: PostedMessage | None) -> PostedMessage:
        payload = attempt.payload
        if attempt.action == OutboxAction.UPDATE:
            assert target is not None
            self._sender.update(target, payload)
            return target
        if attempt.action == OutboxAction.UPLOAD:
            assert target is not None
            self._sender.upload(target, payload)
            return target
        if attempt.recipient is None:
            raise PermanentFailure("no recipient")
        if attempt.verify_first:
            found = self._sender.find(attempt.recipient, attempt.key, target)
            if found is not None:
                log.info("outbox %s was delivered by an earlier attempt", attempt.key)
                return found
        return self._sender.post(attempt.recipient, payload, attempt.key, target)

    def _target(self, attempt: _Attempt) -> PostedMessage | None:
        assert attempt.target_key is not None
        with self._new_uow() as uow:
            reference: MessageReference | None = uow.outbox.reference(attempt.target_key)
        return PostedMessage(reference.channel, reference.ts) if reference else None

    def _target_pending(self, attempt: _Attempt) -> bool:
        """The message this one threads under or updates is not sent: wait for it, or fail
        (uncounted, without a notice: that message's own failure was told)."""
        assert attempt.target_key is not None
        with self._new_uow() as uow:
            status = uow.outbox.status_of(attempt.target_key)
            if status in (OutboxStatus.PENDING, OutboxStatus.SENDING):
                uow.outbox.wait_for_target(attempt.id, self._clock.now() + TARGET_WAIT)
                uow.commit()
                return True
            uow.outbox.mark_failed(attempt.id, "the message it belongs to was never delivered")
            uow.commit()
        return False

    def _after_temporary(self, attempt: _Attempt, failure: TemporaryFailure) -> DeliveryReport:
        if gives_up(attempt.attempts):
            self._fail(attempt, f"gave up after {attempt.attempts} attempts: {failure.reason}")
            return FAILED
        now = self._clock.now()
        at = next_attempt_at(now, attempt.attempts, failure.retry_after)
        log.warning("outbox %s: %s; trying again at %s", attempt.key, failure.reason, at)
        with self._new_uow() as uow:
            verify = attempt.verify_first or failure.maybe_sent
            uow.outbox.retry_at(attempt.id, at, failure.reason, verify_first=verify)
            uow.commit()
        return RETRIED

    def _fail(self, attempt: _Attempt, reason: str) -> None:
        log.warning("outbox %s failed for good: %s", attempt.key, reason)
        now = self._clock.now()
        with self._new_uow() as uow:
            uow.outbox.mark_failed(attempt.id, reason)
            if attempt.kind != NOTICE_KIND:
                uow.outbox.enqueue_all(self._notices_for(uow, attempt, reason), now)
            uow.commit()

    def _notices_for(self, uow: UnitOfWork, attempt: _Attempt, reason: str) -> list[NewMessage]:
        if attempt.notify_slack_id and attempt.notify_slack_id != attempt.recipient:
            told = [attempt.notify_slack_id]
        else:
            told = [p.slack_id for p in uow.people.people_with_role(TeamRole.ADMIN)]
        payload = self._notices.undelivered(attempt.summary, attempt.recipient, reason)
        return [
            NewMessage(
                key=f"undelivered:{attempt.id}:{slack_id}",
                kind=NOTICE_KIND,
                payload=payload,
                recipient=slack_id,
                summary=f"notice: {attempt.summary}"[:300],
            )
            for slack_id in told
            if slack_id != attempt.recipient
        ]
