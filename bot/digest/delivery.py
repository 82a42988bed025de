"""The morning digest, sent once per working day however often, late or in parallel the job runs.

Each run is given the time DigestService read from its clock. On a working day at or after
DIGEST_TIME it claims the day by inserting the day's `digest_deliveries` row (unique
`digest_date`): the run whose insert succeeds sends, any other finds the row and stops. A claim
whose send failed (`last_error` set, not sent) is taken over by the next run with a
compare-and-set update, as is a claim left unsent for ABANDONED_AFTER by a run that died. The
message's channel and ts are recorded as soon as it is posted, so a retry after a failed chart
upload only uploads the chart.
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
from bot.digest.ports import DigestOutbox
from bot.digest.schedule import digest_day_due
from bot.shared.delivery import PostedMessage
from models.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

# Far longer than a send takes (Slack calls time out after 10 s, with a few retries).
ABANDONED_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class DigestSchedule:
    """When (local time, in the company's time zone) and to whom the morning digest goes."""

    at: time
    recipient: str | None


class Outcome(enum.StrEnum):
    NOT_DUE = "not_due"
    NO_RECIPIENT = "no_recipient"
    HANDLED = "handled"  # sent already, or being sent by another run
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True)
class _Claim:
    day: date
    recipient: str
    posted: PostedMessage | None


def deliver_daily_digest(
    new_uow: Callable[[], UnitOfWork],
    now: datetime,
    zone: ZoneInfo,
    schedule: DigestSchedule,
    outbox: DigestOutbox,
) -> Outcome:
    day = digest_day_due(now, zone, schedule.at)
    if day is None:
        return Outcome.NOT_DUE
    if not schedule.recipient:
        _warn_no_recipient()
        return Outcome.NO_RECIPIENT
    claim = _claim(new_uow, day, schedule.recipient, now)
    if claim is None:
        return Outcome.HANDLED
    try:
        _send(new_uow, claim, zone, now, outbox)
    except Exception as exc:  # whatever failed, the claim is released for the next run
        log.exception("daily digest for %s not delivered; the next run retries", day)
        with new_uow() as uow:
            uow.digest_deliveries.record_failure(day, f"{type(exc).__name__}: {exc}")
            uow.commit()
        return Outcome.FAILED
    log.info("daily digest for %s sent to %s", day, schedule.recipient)
    return Outcome.SENT


@functools.cache
def _warn_no_recipient() -> None:
    log.warning("DIGEST_RECIPIENT is not set: the daily digest is not sent")


def _claim(
    new_uow: Callable[[], UnitOfWork], day: date, recipient: str, now: datetime
) -> _Claim | None:
    with new_uow() as uow:
        existing = uow.digest_deliveries.delivery_on(day)
        if existing is not None and existing.sent_at is not None:
            return None
    if existing is None:
        with new_uow() as uow:
            if not uow.digest_deliveries.insert_claim(day, recipient, now):
                return None
            uow.commit()
        return _Claim(day, recipient, None)
    with new_uow() as uow:
        if not uow.digest_deliveries.retake_claim(day, recipient, now, now - ABANDONED_AFTER):
            return None
        # Read after our update, so a post recorded by the failed run is seen.
        row = uow.digest_deliveries.delivery_on(day)
        uow.commit()
    posted = None
    if row is not None and row.slack_channel and row.slack_ts:
        posted = PostedMessage(row.slack_channel, row.slack_ts)
    return _Claim(day, recipient, posted)


def _send(
    new_uow: Callable[[], UnitOfWork],
    claim: _Claim,
    zone: ZoneInfo,
    now: datetime,
    outbox: DigestOutbox,
) -> None:
    with new_uow() as uow:
        digest = build_digest(uow, now, zone)
    posted = claim.posted
    if posted is None:
        posted = outbox.post(claim.recipient, digest)
        with new_uow() as uow:
            uow.digest_deliveries.record_post(claim.day, posted.channel, posted.ts)
            uow.commit()
    if digest.has_chart:
        outbox.attach_chart(posted, digest)
    with new_uow() as uow:
        uow.digest_deliveries.record_sent(claim.day, now)
        uow.commit()
