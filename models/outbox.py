"""The outbox: every message the bot sends on its own, written in the transaction that causes it.

A row is enqueued with a key that makes enqueuing it twice a no-op. The dispatcher claims a due row
with a lease (`status = sending`, `next_attempt_at` = the lease's end), sends it and records where
Slack put it (`slack_channel`, `slack_ts`): the one place every feature reads a message's
reference from. A row whose last attempt may have reached Slack (a timeout, a 5xx, a lease that ran
out) is marked `verify_first`, so the next attempt looks for it before posting again.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer, String, func, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, UTCDateTime, enum_column
from models.database import changed_one_row
from models.idempotent_insert import insert_ignoring_duplicates

MAX_ERROR_LENGTH = 500


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxAction(enum.StrEnum):
    POST = "post"  # chat.postMessage to `recipient`, in the thread of `target_key` if set
    UPDATE = "update"  # chat.update of the message `target_key` was posted as
    UPLOAD = "upload"  # a file into the thread of `target_key`


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(191), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    action: Mapped[OutboxAction] = mapped_column(enum_column(OutboxAction))
    recipient: Mapped[str | None] = mapped_column(String(64), default=None)
    target_key: Mapped[str | None] = mapped_column(String(191), default=None)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    summary: Mapped[str] = mapped_column(String(300), default="")
    notify_slack_id: Mapped[str | None] = mapped_column(String(32), default=None)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    verify_first: Mapped[bool] = mapped_column(Boolean, default=False)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    slack_channel: Mapped[str | None] = mapped_column(String(64), default=None)
    slack_ts: Mapped[str | None] = mapped_column(String(32), default=None)
    last_error: Mapped[str | None] = mapped_column(String(MAX_ERROR_LENGTH), default=None)


@dataclass(frozen=True)
class NewMessage:
    """A message to enqueue. `key` names it for good: the same key twice is one message."""

    key: str
    kind: str
    payload: dict[str, Any]
    recipient: str | None = None
    action: OutboxAction = OutboxAction.POST
    target_key: str | None = None
    summary: str = ""
    notify_slack_id: str | None = None


@dataclass(frozen=True)
class MessageReference:
    channel: str
    ts: str


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def enqueue(self, message: NewMessage, now: datetime) -> None:
        """Add the message unless one with its key exists (then nothing changes)."""
        self.enqueue_all([message], now)

    def enqueue_all(self, messages: list[NewMessage], now: datetime) -> None:
        rows = [
            {
                "key": m.key,
                "kind": m.kind,
                "action": m.action,
                "recipient": m.recipient,
                "target_key": m.target_key,
                "payload": m.payload,
                "summary": m.summary[:300],
                "notify_slack_id": m.notify_slack_id,
                "status": OutboxStatus.PENDING,
                "attempts": 0,
                "verify_first": False,
                "next_attempt_at": now,
                "created_at": now,
            }
            for m in messages
        ]
        insert_ignoring_duplicates(self._session, OutboxMessage, rows)

    def due_ids(self, now: datetime, limit: int) -> list[int]:
        """Rows to send now: pending and due, or sending with a lease that ran out."""
        return list(
            self._session.scalars(
                select(OutboxMessage.id)
                .where(
                    OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
                    OutboxMessage.next_attempt_at <= now,
                )
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                .limit(limit)
            )
        )

    def ids_of(self, keys: list[str]) -> list[int]:
        return list(
            self._session.scalars(
                select(OutboxMessage.id)
                .where(OutboxMessage.key.in_(keys))
                .order_by(OutboxMessage.id)
            )
        )

    def claim(self, message_id: int, now: datetime, lease_until: datetime) -> bool:
        """Take the row for one attempt; False when another worker has it or it is not due.

        A row found `sending` had its lease run out: that attempt may have reached Slack."""
        result = self._session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
                OutboxMessage.next_attempt_at <= now,
            )
            .values(
                verify_first=OutboxMessage.verify_first
                | (OutboxMessage.status == OutboxStatus.SENDING),
                status=OutboxStatus.SENDING,
                attempts=OutboxMessage.attempts + 1,
                next_attempt_at=lease_until,
            )
            .execution_options(synchronize_session=False)
        )
        return changed_one_row(result)

    def get(self, message_id: int) -> OutboxMessage | None:
        return self._session.get(OutboxMessage, message_id, populate_existing=True)

    def by_key(self, key: str) -> OutboxMessage | None:
        return self._session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))

    def reference(self, key: str) -> MessageReference | None:
        """Where Slack put the message sent under `key`, once it was sent."""
        row = self._session.execute(
            select(OutboxMessage.slack_channel, OutboxMessage.slack_ts).where(
                OutboxMessage.key == key, OutboxMessage.status == OutboxStatus.SENT
            )
        ).first()
        if row is None or row[0] is None or row[1] is None:
            return None
        return MessageReference(row[0], row[1])

    def status_of(self, key: str) -> OutboxStatus | None:
        return self._session.scalar(select(OutboxMessage.status).where(OutboxMessage.key == key))

    def mark_sent(self, message_id: int, key: str, channel: str, ts: str, now: datetime) -> None:
        """Record where Slack put message `key`; replies and edits waiting for it fall due now."""
        self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.target_key == key, OutboxMessage.status == OutboxStatus.PENDING)
            .values(next_attempt_at=now)
            .execution_options(synchronize_session=False)
        )
        self._set(
            message_id,
            status=OutboxStatus.SENT,
            slack_channel=channel,
            slack_ts=ts,
            sent_at=now,
            verify_first=False,
            last_error=None,
        )

    def retry_at(self, message_id: int, at: datetime, error: str, verify_first: bool) -> None:
        self._set(
            message_id,
            status=OutboxStatus.PENDING,
            next_attempt_at=at,
            last_error=error[:MAX_ERROR_LENGTH],
            verify_first=verify_first,
        )

    def wait_for_target(self, message_id: int, at: datetime) -> None:
        """The message it threads under or updates is not sent yet: try again, uncounted."""
        self._set(
            message_id,
            status=OutboxStatus.PENDING,
            next_attempt_at=at,
            attempts=OutboxMessage.attempts - 1,
        )

    def mark_failed(self, message_id: int, reason: str) -> None:
        self._set(message_id, status=OutboxStatus.FAILED, last_error=reason[:MAX_ERROR_LENGTH])

    def undelivered(self) -> tuple[int, datetime | None]:
        """How many rows wait to be sent, and when the oldest of them was enqueued."""
        count, oldest = self._session.execute(
            select(func.count(), func.min(OutboxMessage.created_at)).where(
                or_(
                    OutboxMessage.status == OutboxStatus.PENDING,
                    OutboxMessage.status == OutboxStatus.SENDING,
                )
            )
        ).one()
        return int(count), oldest

    def _set(self, message_id: int, **values: object) -> None:
        self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
