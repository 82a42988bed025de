"""The audit log: who did what, when. It records; nothing reads it to decide.

What the application needs to know again (where a message went, who decided, which view
submitted) is stored with the thing it is about, not read back from here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from models.hiring import AuditEntry


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
        subject: tuple[str, int],
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
