"""The audit log: who did what, when. It records; nothing reads it to decide.

What the application needs to know again (where a message went, who decided, which view
submitted) is stored with the thing it is about, not read back from here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from models.hiring import AuditEntry, Person


class AuditRow(NamedTuple):
    """One entry as the admins' CSV export shows it."""

    at: datetime
    actor_slack_id: str | None
    actor_name: str | None
    action: str
    subject_type: str
    subject_id: int | None
    detail: dict[str, object]


class AuditLog:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, entity: object) -> None:
        """Stage a new row; it gets its id at the next flush."""
        self._session.add(entity)

    def record(
        self,
        at: datetime,
        actor_id: int | None,
        action: str,
        subject: tuple[str, int | None],
        detail: dict[str, object],
    ) -> None:
        subject_type, subject_id = subject
        self._session.add(
            AuditEntry(
                at=at,
                actor_id=actor_id,
                action=action,
                subject_type=subject_type,
                subject_id=subject_id,
                detail=detail,
            )
        )

    def rows(self, batch: int = 500) -> Iterator[AuditRow]:
        """Every entry, oldest first, with who did it; read in batches."""
        actor = aliased(Person)
        query = (
            select(
                AuditEntry.at,
                actor.slack_id,
                actor.name,
                AuditEntry.action,
                AuditEntry.subject_type,
                AuditEntry.subject_id,
                AuditEntry.detail,
            )
            .outerjoin(actor, actor.id == AuditEntry.actor_id)
            .order_by(AuditEntry.at, AuditEntry.id)
            .execution_options(yield_per=batch)
        )
        for row in self._session.execute(query):
            yield AuditRow(*row)
