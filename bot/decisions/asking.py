"""Asking the decision makers once every scorecard of an interview is in, and their cards.

The decision makers are asked once: claiming `interviews.decision_requested_at` with a conditional
UPDATE decides which worker posts. Where each copy of the request went is kept in
`decision_messages`, so every copy can be updated in place once someone decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.decisions.summary import DecisionSummary, scorecards_side_by_side
from bot.feedback.scorecard import questions_of
from bot.feedback.visibility import feedback_on_candidate
from bot.shared.delivery import PostedMessage
from bot.team.decision_makers import decision_makers
from models.hiring import Decision, Interview
from models.unit_of_work import UnitOfWork

DECISION_HORIZON = timedelta(days=30)
REQUESTED = "decision.requested"
DECIDED = "decision.made"

# The decision makers' choice is the stored decision. The old name stays for callers that still
# import it from here (tests/unit/test_feedback_views.py); use models.hiring.Decision.


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


@dataclass(frozen=True)
class CardToPost:
    recipient_slack_id: str
    card: DecisionCard


@dataclass(frozen=True)
class PostedDecisionRequest:
    recipient_slack_id: str
    message: PostedMessage


@dataclass(frozen=True)
class PostedCard:
    """A decision message already posted, and the card it should show now."""

    message: PostedMessage
    card: DecisionCard


def interviews_ready_for_decision(uow: UnitOfWork, now: datetime) -> list[int]:
    candidates = uow.decisions.interviews_without_decision_request(now, now - DECISION_HORIZON)
    return [interview_id for interview_id in candidates if all_feedback_in(uow, interview_id)]


def all_feedback_in(uow: UnitOfWork, interview_id: int) -> bool:
    expected = uow.interviews.interviewer_ids(interview_id)
    return bool(expected) and expected <= uow.feedback.authors_of_current_feedback(interview_id)


def claim_decision_cards(uow: UnitOfWork, interview_id: int, now: datetime) -> list[CardToPost]:
    """The cards to post, when every scorecard is in and nobody asked yet; else []."""
    if not all_feedback_in(uow, interview_id):
        return []
    if not uow.decisions.claim_decision_request(interview_id, now):
        uow.rollback()
        return []
    uow.commit()
    interview = _interview(uow, interview_id)
    return [
        CardToPost(who, card_for(uow, interview, who)) for who in decision_makers(uow, interview)
    ]


def record_decision_request(
    uow: UnitOfWork, interview_id: int, posted: list[PostedDecisionRequest], now: datetime
) -> None:
    """Where the cards went; none posted releases the claim, so the next run asks again."""
    if not posted:
        uow.decisions.release_decision_request(interview_id)
        uow.commit()
        return
    for request in posted:
        where = request.message
        uow.decisions.record_decision_message(
            interview_id, request.recipient_slack_id, where.channel, where.ts, now
        )
    messages = [
        {"recipient": r.recipient_slack_id, "channel": r.message.channel, "ts": r.message.ts}
        for r in posted
    ]
    uow.audit.record(now, None, REQUESTED, ("interview", interview_id), {"messages": messages})
    uow.commit()


def posted_cards(uow: UnitOfWork, interview_id: int) -> list[PostedCard]:
    """Every decision message about this interview, rendered as it should read now."""
    interview = _interview(uow, interview_id)
    return [
        PostedCard(
            PostedMessage(message.slack_channel, message.slack_ts),
            card_for(uow, interview, message.recipient_slack_id),
        )
        for message in uow.decisions.decision_messages(interview_id)
    ]


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
