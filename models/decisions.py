"""Hiring decisions on interviews: which are ready, claims, the decision, whom it was asked of.

Whom the decision was asked of is read from the outbox: each decision maker's card is one outbox
message, under a key of the interview's (the `decision_messages` table is no longer written).
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import Session

from models.database import changed_one_row
from models.hiring import Decision, Feedback, Interview, InterviewStatus
from models.outbox import OutboxAction, OutboxMessage, OutboxStatus


class CardMessage(NamedTuple):
    """One decision maker's card in the outbox: its key, and whom it is addressed to."""

    key: str
    recipient_slack_id: str


class DecisionRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, entity: object) -> None:
        """Stage a new row; it gets its id at the next flush."""
        self._session.add(entity)

    def interviews_without_decision_request(
        self, ended_before: datetime, ended_after: datetime
    ) -> list[int]:
        """Ended interviews with some feedback in, whose decision makers were not asked yet."""
        has_feedback = exists().where(
            Feedback.interview_id == Interview.id, Feedback.is_current.is_(True)
        )
        return list(
            self._session.scalars(
                select(Interview.id)
                .where(
                    Interview.status != InterviewStatus.CANCELLED,
                    Interview.decision_requested_at.is_(None),
                    Interview.ends_at <= ended_before,
                    Interview.ends_at >= ended_after,
                    has_feedback,
                )
                .order_by(Interview.id)
            )
        )

    def claim_decision_request(self, interview_id: int, now: datetime) -> bool:
        result = self._session.execute(
            update(Interview)
            .where(Interview.id == interview_id, Interview.decision_requested_at.is_(None))
            .values(decision_requested_at=now)
            .execution_options(synchronize_session=False)
        )
        return changed_one_row(result)

    def card_messages(self, key_prefix: str) -> list[CardMessage]:
        """The cards posted (or to be posted) under keys starting with `key_prefix`, oldest
        first; a card that could never be delivered is left out."""
        rows = self._session.execute(
            select(OutboxMessage.key, OutboxMessage.recipient)
            .where(
                OutboxMessage.key.startswith(key_prefix, autoescape=True),
                OutboxMessage.action == OutboxAction.POST,
                OutboxMessage.status != OutboxStatus.FAILED,
            )
            .order_by(OutboxMessage.id)
        )
        return [CardMessage(key, recipient) for key, recipient in rows if recipient is not None]

    def claim_decision(
        self, interview_id: int, decision: Decision, decided_by_id: int, now: datetime
    ) -> bool:
        """Record the decision unless one was made already (a hold can still be turned into one)."""
        result = self._session.execute(
            update(Interview)
            .where(
                Interview.id == interview_id,
                or_(Interview.decision.is_(None), Interview.decision == Decision.HOLD),
            )
            .values(decision=decision, decided_at=now, decided_by_id=decided_by_id, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return changed_one_row(result)
