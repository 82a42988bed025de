"""Hiring decisions on interviews: which are ready, claims, the decision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import Session

from models.database import changed_one_row
from models.hiring import Feedback, Interview, InterviewStatus

HOLD = "hold"


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

    def release_decision_request(self, interview_id: int) -> None:
        self._session.execute(
            update(Interview)
            .where(Interview.id == interview_id)
            .values(decision_requested_at=None)
            .execution_options(synchronize_session=False)
        )

    def claim_decision(self, interview_id: int, decision: str, now: datetime) -> bool:
        """Record the decision unless one was made already (a hold can still be turned into one)."""
        result = self._session.execute(
            update(Interview)
            .where(
                Interview.id == interview_id,
                or_(Interview.decision.is_(None), Interview.decision == HOLD),
            )
            .values(decision=decision, decided_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return changed_one_row(result)
