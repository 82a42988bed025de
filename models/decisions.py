"""Hiring decisions on interviews: which are ready, claims, the decision, where it was asked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import Session

from models.database import changed_one_row
from models.hiring import Decision, DecisionMessage, Feedback, Interview, InterviewStatus


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

    def record_decision_message(
        self, interview_id: int, recipient_slack_id: str, channel: str, ts: str, now: datetime
    ) -> None:
        """Where one decision maker's copy of the decision message went."""
        self._session.add(
            DecisionMessage(
                interview_id=interview_id,
                recipient_slack_id=recipient_slack_id,
                slack_channel=channel,
                slack_ts=ts,
                posted_at=now,
            )
        )

    def decision_messages(self, interview_id: int) -> list[DecisionMessage]:
        return list(
            self._session.scalars(
                select(DecisionMessage)
                .where(DecisionMessage.interview_id == interview_id)
                .order_by(DecisionMessage.id)
            )
        )

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
