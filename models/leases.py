"""Leases on singleton jobs: the one worker that holds a job's lease runs it, however many run.

Work that is claimed row by row (feedback requests, outbox messages) needs no lease; a job that
reads one shared cursor (the calendar sync's token) does.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import String, or_, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, UTCDateTime
from models.database import changed_one_row
from models.idempotent_insert import insert_ignoring_duplicates

NEVER = datetime(2000, 1, 1, tzinfo=UTC)


class JobLease(Base):
    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(64), default=None)
    leased_until: Mapped[datetime] = mapped_column(UTCDateTime)


class LeaseRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def take(self, name: str, holder: str, now: datetime, until: datetime) -> bool:
        """Hold `name` until `until` unless someone else holds it now; True when we hold it."""
        insert_ignoring_duplicates(
            self._session, JobLease, [{"name": name, "holder": None, "leased_until": NEVER}]
        )
        result = self._session.execute(
            update(JobLease)
            .where(
                JobLease.name == name,
                or_(JobLease.leased_until <= now, JobLease.holder == holder),
            )
            .values(holder=holder, leased_until=until)
            .execution_options(synchronize_session=False)
        )
        return changed_one_row(result)

    def release(self, name: str, holder: str) -> None:
        self._session.execute(
            update(JobLease)
            .where(JobLease.name == name, JobLease.holder == holder)
            .values(holder=None, leased_until=NEVER)
            .execution_options(synchronize_session=False)
        )
