"""Data access for digest deliveries: the one row per day whose claim makes the digest go once."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.database import changed_one_row
from models.hiring import DigestDelivery

MAX_ERROR_LENGTH = 2000


def delivery_on(session: Session, day: date) -> DigestDelivery | None:
    return session.scalar(select(DigestDelivery).where(DigestDelivery.digest_date == day))


def insert_claim(session: Session, day: date, recipient: str, now: datetime) -> bool:
    """Claim the day by inserting its row; False when another run has the row already.

    The unique `digest_date` decides between concurrent runs: the loser's insert fails.
    """
    session.add(DigestDelivery(digest_date=day, recipient=recipient, claimed_at=now))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        return False
    return True


def retake_claim(
    session: Session, day: date, recipient: str, now: datetime, stale_before: datetime
) -> bool:
    """Take over an unsent claim that failed, or that was abandoned before `stale_before`.

    A compare-and-set: of concurrent runs, only the first update matches the row.
    """
    result = session.connection().execute(
        update(DigestDelivery)
        .where(
            DigestDelivery.digest_date == day,
            DigestDelivery.sent_at.is_(None),
            or_(
                DigestDelivery.last_error.is_not(None),
                DigestDelivery.claimed_at < stale_before,
            ),
        )
        .values(claimed_at=now, recipient=recipient, last_error=None)
    )
    return changed_one_row(result)


def record_post(session: Session, day: date, channel: str, ts: str) -> None:
    session.execute(
        update(DigestDelivery)
        .where(DigestDelivery.digest_date == day)
        .values(slack_channel=channel, slack_ts=ts)
        .execution_options(synchronize_session=False)
    )


def record_sent(session: Session, day: date, now: datetime) -> None:
    session.execute(
        update(DigestDelivery)
        .where(DigestDelivery.digest_date == day)
        .values(sent_at=now, last_error=None)
        .execution_options(synchronize_session=False)
    )


def record_failure(session: Session, day: date, error: str) -> None:
    session.execute(
        update(DigestDelivery)
        .where(DigestDelivery.digest_date == day)
        .values(last_error=error[:MAX_ERROR_LENGTH] or "failed")
        .execution_options(synchronize_session=False)
    )
