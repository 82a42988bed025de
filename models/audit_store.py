"""The audit log: who did what, when; read back where a later step needs what was recorded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.hiring import AuditEntry


def record(
    session: Session,
    at: datetime,
    actor_id: int | None,
    action: str,
    subject: tuple[str, int],
    detail: dict[str, object],
) -> None:
    subject_type, subject_id = subject
    session.add(
        AuditEntry(
            at=at,
            actor_id=actor_id,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            detail=detail,
        )
    )


def entries(session: Session, action: str, subject: tuple[str, int]) -> list[AuditEntry]:
    subject_type, subject_id = subject
    return list(
        session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.action == action,
                AuditEntry.subject_type == subject_type,
                AuditEntry.subject_id == subject_id,
            )
            .order_by(AuditEntry.id)
        )
    )
