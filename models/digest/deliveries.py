"""Digest deliveries: the one row per day whose claim makes the digest go once."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.database import changed_one_row
from models.hiring import DigestDelivery

MAX_ERROR_LENGTH = 2000


class DigestDeliveries:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, entity: object) -> None:
        """Stage a new row; it gets its id at the next flush."""
        self._session.add(entity)

    def delivery_on(self, day: date) -> DigestDelivery | None:
        return self._session.scalar(select(DigestDelivery).where(DigestDelivery.digest_date == day))

    def insert_claim(self, day: date, recipient: str, now: datetime) -> bool:
        """Claim the day by inserting its row; False when another run has the row already.

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
        """Take over an unsent claim that failed, or that was abandoned before `stale_before`.

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

    def record_post(self, day: date, channel: str, ts: str) -> None:
        self._session.execute(
            update(DigestDelivery)
            .where(DigestDelivery.digest_date == day)
            .values(slack_channel=channel, slack_ts=ts)
            .execution_options(synchronize_session=False)
        )

    def record_sent(self, day: date, now: datetime) -> None:
        self._session.execute(
            update(DigestDelivery)
            .where(DigestDelivery.digest_date == day)
            .values(sent_at=now, last_error=None)
            .execution_options(synchronize_session=False)
        )

    def record_failure(self, day: date, error: str) -> None:
        self._session.execute(
            update(DigestDelivery)
            .where(DigestDelivery.digest_date == day)
            .values(last_error=error[:MAX_ERROR_LENGTH] or "failed")
            .execution_options(synchronize_session=False)
        )
