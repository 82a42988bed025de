"""Decisions after an interview: asking once every scorecard is in, and recording the choice.

The decision makers are asked once: claiming `interviews.decision_requested_at` with a conditional
UPDATE decides which worker posts. Where the request went is kept in the audit log, so every copy
of the message can be updated in place. A decision is recorded once (a hold can still be turned
into advance or reject) and moves the candidate: advance to the next stage (hire after the last),
reject, or hold.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.decisions.summary import DecisionSummary, summarize
from bot.feedback.scorecard import questions_of
from bot.feedback.visibility import feedback_on_candidate
from bot.team.decision_makers import decision_makers
from models.hiring import Interview
from models.unit_of_work import UnitOfWork

DECISION_HORIZON = timedelta(days=30)
REQUESTED = "decision.requested"
DECIDED = "decision.made"


class Choice(enum.StrEnum):
    ADVANCE = "advance"
    HIRE = "hire"
    REJECT = "reject"
    HOLD = "hold"


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
    decision: Choice | None
    decided_at: datetime | None
    decided_by_slack_id: str | None

    @property
    def open(self) -> bool:
        return self.decision in (None, Choice.HOLD)


@dataclass(frozen=True)
class PostedCard:
    channel: str
    ts: str
    card: DecisionCard


def interviews_ready_for_decision(uow: UnitOfWork, now: datetime) -> list[int]:
    candidates = uow.decisions.interviews_without_decision_request(now, now - DECISION_HORIZON)
    return [interview_id for interview_id in candidates if all_feedback_in(uow, interview_id)]


def all_feedback_in(uow: UnitOfWork, interview_id: int) -> bool:
    expected = uow.interviews.interviewer_ids(interview_id)
    return bool(expected) and expected <= uow.feedback.authors_of_current_feedback(interview_id)


def claim_decision_cards(
    uow: UnitOfWork, interview_id: int, now: datetime
) -> list[tuple[str, DecisionCard]]:
    """(recipient, card) to post, when every scorecard is in and nobody asked yet; else []."""
    if not all_feedback_in(uow, interview_id):
        return []
    if not uow.decisions.claim_decision_request(interview_id, now):
        uow.rollback()
        return []
    uow.commit()
    interview = _interview(uow, interview_id)
    return [(who, card_for(uow, interview, who)) for who in decision_makers(uow, interview)]


def record_decision_request(
    uow: UnitOfWork, interview_id: int, posted: list[tuple[str, str, str]], now: datetime
) -> None:
    """Where the cards went: (recipient, channel, ts); none posted means ask again next run."""
    if not posted:
        uow.decisions.release_decision_request(interview_id)
    else:
        messages = [{"recipient": r, "channel": c, "ts": t} for r, c, t in posted]
        uow.audit.record(now, None, REQUESTED, ("interview", interview_id), {"messages": messages})
    uow.commit()


def posted_cards(uow: UnitOfWork, interview_id: int) -> list[PostedCard]:
    """Every decision message about this interview, rendered as it should read now."""
    interview = _interview(uow, interview_id)
    posted = []
    for entry in uow.audit.entries(REQUESTED, ("interview", interview_id)):
        for message in _messages(entry.detail):
            card = card_for(uow, interview, message["recipient"])
            posted.append(PostedCard(message["channel"], message["ts"], card))
    return posted


def card_for(uow: UnitOfWork, interview: Interview, viewer_slack_id: str) -> DecisionCard:
    """The card as `viewer_slack_id` may read it (the independent-opinions rule applies)."""
    feedback = feedback_on_candidate(
        uow, viewer_slack_id, interview.candidate_id, stage_id=interview.stage_id
    )
    following = uow.candidates.next_stage(interview.stage)
    decided = uow.audit.entries(DECIDED, ("interview", interview.id))
    return DecisionCard(
        interview_id=interview.id,
        candidate_id=interview.candidate_id,
        candidate_name=interview.candidate.name,
        stage_name=interview.stage.name,
        starts_at=interview.starts_at,
        next_stage_name=following.name if following else None,
        summary=summarize(feedback.for_interview(interview.id), questions_of(interview)),
        hidden_count=feedback.hidden_count,
        decision=Choice(interview.decision) if interview.decision else None,
        decided_at=interview.decided_at,
        decided_by_slack_id=str(decided[-1].detail.get("by")) if decided else None,
    )


def _interview(uow: UnitOfWork, interview_id: int) -> Interview:
    interview = uow.interviews.interview_with_scorecard(interview_id)
    if interview is None:
        raise LookupError(f"interview {interview_id}")
    return interview


def _messages(detail: dict[str, object]) -> list[dict[str, str]]:
    messages = detail.get("messages")
    if not isinstance(messages, list):
        return []
    return [
        {key: str(message[key]) for key in ("recipient", "channel", "ts")}
        for message in messages
        if isinstance(message, dict)
    ]
