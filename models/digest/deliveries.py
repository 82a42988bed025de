"""Digest deliveries: the one row per day whose claim makes the digest go once.

The day's row is inserted in the transaction that puts the digest in the outbox, so a day is
either claimed with its messages enqueued, or not at all. Whether and when the digest went out is
read from the outbox (its post, `digest_key(day)`), the one place that records deliveries: the
row's `sent_at`, `last_error`, `slack_channel` and `slack_ts` are no longer read or written.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.database import changed_one_row
from models.hiring import DigestDelivery

DIGEST_KEY_PREFIX = "digest:"


def digest_key(day: date) -> str:
    """The outbox key of the day's digest message (ISO dates sort as the days do)."""
    return f"{DIGEST_KEY_PREFIX}{day.isoformat()}"


def digest_chart_key(day: date) -> str:
    """The outbox key of the day's funnel chart, uploaded into the digest's thread."""
    return f"digest-chart:{day.isoformat()}"


class DigestDeliveries:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, entity: object) -> None:
        """Stage a new row; it gets its id at the next flush."""
        self._session.add(entity)

    def delivery_on(self, day: date) -> DigestDelivery | None:
        return self._session.scalar(select(DigestDelivery).where(DigestDelivery.digest_date == day))

    def insert_claim(self, day: date, recipient: str, now: datetime) -> bool:
        """Claim the day by inserting its row; False (rolled back) when another run has it.

        The unique `digest_date` decides between concurrent runs: the loser's insert fails.
        """
        self._session.add(DigestDelivery(digest_date=day, recipient=recipient, claimed_at=now))
        try:
            self._session.flush()
        except IntegrityError:
            self._session.rollback()
            return False
        return True

    def retake_claim(
        self, day: date, recipient: str, now: datetime, stale_before: datetime
    ) -> bool:
        """Take over a claim that failed, or that was abandoned before `stale_before` (a claim
        made by a run of the version before the outbox, which claimed first and sent after).

        A compare-and-set: of concurrent runs, only the first update matches the row.
        """
        result = self._session.connection().execute(
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
