"""Asking the decision makers once every scorecard of an interview is in, and their cards.

The decision makers are asked once: claiming `interviews.decision_requested_at` with a conditional
UPDATE decides which worker enqueues, and in the same transaction each decision maker's card is
enqueued in the outbox under `decision-card:<interview>:<recipient>`. Each card is delivered (and
retried) on its own; those keys are also the list of who was asked, so every copy can be updated
in place once someone decides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.decisions.summary import DecisionSummary, scorecards_side_by_side
from bot.feedback.scorecard import questions_of
from bot.feedback.visibility import feedback_on_candidate
from bot.team.decision_makers import decision_makers, scheduler_of
from models.hiring import Decision, Interview
from models.outbox import NewMessage
from models.unit_of_work import UnitOfWork

DECISION_HORIZON = timedelta(days=30)
REQUESTED = "decision.requested"
DECIDED = "decision.made"
CARD_KIND = "decision_card"


@dataclass(frozen=True)
class DecisionCard:
    """What one decision maker's message shows, before and after the decision."""

    interview_id: int
    candidate_id: int
    candidate_name: str
    stage_name: str
    starts_at: datetime
    next_stage_name: str | None
    summary: DecisionSummary
    hidden_count: int
    decision: Decision | None
    decided_at: datetime | None
    decided_by_slack_id: str | None

    @property
    def open(self) -> bool:
        return self.decision in (None, Decision.HOLD)


def card_key(interview_id: int, recipient_slack_id: str) -> str:
    """The outbox key of one decision maker's card about an interview."""
    return f"{cards_key_prefix(interview_id)}{recipient_slack_id}"


def cards_key_prefix(interview_id: int) -> str:
    return f"decision-card:{interview_id}:"


def interviews_ready_for_decision(uow: UnitOfWork, now: datetime) -> list[int]:
    candidates = uow.decisions.interviews_without_decision_request(now, now - DECISION_HORIZON)
    return [interview_id for interview_id in candidates if all_feedback_in(uow, interview_id)]


def all_feedback_in(uow: UnitOfWork, interview_id: int) -> bool:
    expected = uow.interviews.interviewer_ids(interview_id)
    return bool(expected) and expected <= uow.feedback.authors_of_current_feedback(interview_id)


def ask_decision_makers(
    uow: UnitOfWork,
    interview_id: int,
    now: datetime,
    compose: Callable[[DecisionCard], dict[str, Any]],
) -> list[str]:
    """Claim the decision request and enqueue one card per decision maker, in one transaction;
    returns the cards' outbox keys ([] when feedback is missing or they were asked already)."""
    if not all_feedback_in(uow, interview_id):
        return []
    interview = _interview(uow, interview_id)
    recipients = decision_makers(uow, interview)
    if not recipients:  # nobody to ask yet: a later run asks once someone has the role
        return []
    if not uow.decisions.claim_decision_request(interview_id, now):
        uow.rollback()
        return []
    cards = [
        _card_message(uow, interview, who, compose(card_for(uow, interview, who)))
        for who in recipients
    ]
    uow.outbox.enqueue_all(cards, now)
    uow.audit.record(now, None, REQUESTED, ("interview", interview_id), {"recipients": recipients})
    uow.commit()
    return [card.key for card in cards]


def _card_message(
    uow: UnitOfWork, interview: Interview, recipient_slack_id: str, payload: dict[str, Any]
) -> NewMessage:
    """One decision maker's card, as the outbox posts it."""
    scheduler = scheduler_of(uow, interview)
    return NewMessage(
        key=card_key(interview.id, recipient_slack_id),
        kind=CARD_KIND,
        payload=payload,
        recipient=recipient_slack_id,
        summary=f"the decision request for {_about(interview)}",
        notify_slack_id=scheduler.slack_id if scheduler is not None else None,
    )


def _about(interview: Interview) -> str:
    """The interview a message is about, as a failure notice names it."""
    return f"{interview.candidate.name} · {interview.stage.name}"


def card_for(uow: UnitOfWork, interview: Interview, viewer_slack_id: str) -> DecisionCard:
    """The card as `viewer_slack_id` may read it (the independent-opinions rule applies)."""
    feedback = feedback_on_candidate(
        uow, viewer_slack_id, interview.candidate_id, stage_id=interview.stage_id
    )
    following = uow.candidates.next_stage(interview.stage)
    decider = (
        uow.people.person_by_id(interview.decided_by_id)
        if interview.decided_by_id is not None
        else None
    )
    return DecisionCard(
        interview_id=interview.id,
        candidate_id=interview.candidate_id,
        candidate_name=interview.candidate.name,
        stage_name=interview.stage.name,
        starts_at=interview.starts_at,
        next_stage_name=following.name if following else None,
        summary=scorecards_side_by_side(
            feedback.for_interview(interview.id), questions_of(interview)
        ),
        hidden_count=feedback.hidden_count,
        decision=interview.decision,
        decided_at=interview.decided_at,
        decided_by_slack_id=decider.slack_id if decider else None,
    )


def _interview(uow: UnitOfWork, interview_id: int) -> Interview:
    interview = uow.interviews.interview_with_scorecard(interview_id)
    if interview is None:
        raise LookupError(f"interview {interview_id}")
    return interview
