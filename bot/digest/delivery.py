"""The morning digest, enqueued once per working day however often, late or in parallel it runs.

Each run is given the time DigestService read from its clock. On a working day at or after
DIGEST_TIME it claims the day by inserting the day's `digest_deliveries` row (unique
`digest_date`) in the same transaction that puts the digest in the outbox: its post
(`digest:{date}`, to DIGEST_RECIPIENT) and, when there is a chart, the chart's upload into the
post's thread (`digest-chart:{date}`). The run whose insert succeeds enqueues; any other finds the
row and stops. Delivering, retrying and recording where the digest went is the outbox's work; the
digest is sent once its post is. As the keys name the day's messages for good, a digest whose post
went out but whose recording failed is looked for in Slack, never posted a second time.
"""

from __future__ import annotations

import enum
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.digest.build import build_digest
from bot.digest.model import Digest
from bot.digest.ports import DigestComposer
from bot.digest.schedule import digest_day_due
from bot.shared.working_time import WorkingDays
from models.digest.deliveries import digest_chart_key, digest_key
from models.outbox import NewMessage, OutboxAction
from models.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

# A day claimed without its messages in the outbox was claimed by a run of the version before the
# outbox (claim first, send after); past this age that run is taken as dead.
ABANDONED_AFTER = timedelta(minutes=15)
DIGEST_KIND = "digest"
CHART_KIND = "digest_chart"


@dataclass(frozen=True)
class DigestSchedule:
    """When (local time, in the company's time zone, on which days) and to whom the morning
    digest goes."""

    at: time
    recipient: str | None
    working_days: WorkingDays


class Outcome(enum.StrEnum):
    NOT_DUE = "not_due"
    NO_RECIPIENT = "no_recipient"
    HANDLED = "handled"  # enqueued already, by this worker or another
    ENQUEUED = "enqueued"  # this run claimed the day and put the digest in the outbox


@dataclass(frozen=True)
class DigestRun:
    """What a run of the job did, and the outbox keys it enqueued (to deliver right away)."""

    outcome: Outcome
    keys: tuple[str, ...] = ()


def enqueue_daily_digest(
    new_uow: Callable[[], UnitOfWork],
    now: datetime,
    zone: ZoneInfo,
    schedule: DigestSchedule,
    composer: DigestComposer,
) -> DigestRun:
    day = digest_day_due(now, zone, schedule.at, schedule.working_days)
    if day is None:
        return DigestRun(Outcome.NOT_DUE)
    if not schedule.recipient:
        _warn_no_recipient()
        return DigestRun(Outcome.NO_RECIPIENT)
    if _enqueued_already(new_uow, day):
        return DigestRun(Outcome.HANDLED)
    # Built and drawn before the claim's transaction, which then only writes.
    with new_uow() as uow:
        digest = build_digest(uow, now, zone, schedule.working_days)
    messages = digest_messages(digest, schedule.recipient, composer)
    with new_uow() as uow:
        if not _claim(uow, day, schedule.recipient, now):
            return DigestRun(Outcome.HANDLED)
        uow.outbox.enqueue_all(messages, now)
        uow.commit()
    log.info("daily digest for %s enqueued for %s", day, schedule.recipient)
    return DigestRun(Outcome.ENQUEUED, tuple(message.key for message in messages))


def digest_messages(digest: Digest, recipient: str, composer: DigestComposer) -> list[NewMessage]:
    """The day's post, and the chart's upload into its thread when there is a chart."""
    title = f"the hiring digest of {digest.day:%A %d %B}"
    post = NewMessage(
        key=digest_key(digest.day),
        kind=DIGEST_KIND,
        payload=composer.message(digest),
        recipient=recipient,
        summary=title,
    )
    if not digest.has_chart:
        return [post]
    chart = NewMessage(
        key=digest_chart_key(digest.day),
        kind=CHART_KIND,
        payload=composer.chart(digest),
        action=OutboxAction.UPLOAD,
        target_key=post.key,
        summary=f"the funnel chart of {title}",
    )
    return [post, chart]


@functools.cache
def _warn_no_recipient() -> None:
    log.warning("DIGEST_RECIPIENT is not set: the daily digest is not sent")


def _enqueued_already(new_uow: Callable[[], UnitOfWork], day: date) -> bool:
    with new_uow() as uow:
        return uow.outbox.status_of(digest_key(day)) is not None


def _claim(uow: UnitOfWork, day: date, recipient: str, now: datetime) -> bool:
    """Take the day in this transaction; False when another run has it."""
    existing = uow.digest_deliveries.delivery_on(day)
    if existing is None:
        return uow.digest_deliveries.insert_claim(day, recipient, now)
    if uow.outbox.status_of(digest_key(day)) is not None:
        return False
    return uow.digest_deliveries.retake_claim(day, recipient, now, now - ABANDONED_AFTER)
