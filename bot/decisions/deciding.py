"""Recording a decision maker's choice: the interview's decision, the candidate's stage/status.

A decision is recorded once (a hold can still be turned into advance or reject), with who made
it, and moves the candidate: advance to the next stage (hire after the last), reject, or hold.
The same transaction enqueues the in-place update of every decision card that was asked, under
`decision-update:<interview>:<decision>:<time>:<recipient>`, so each copy shows the decision.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.decisions.asking import DECIDED, DecisionCard, card_for, cards_key_prefix
from bot.feedback.visibility import viewer_sees_everything
from bot.scheduling.form import (
    FormRequest,
    NotAllowed,
    ScheduleForm,
    candidate_choice,
    schedule_form,
)
from bot.shared.working_time import WorkingDays
from bot.team.decision_makers import scheduler_of
from models.hiring import Candidate, CandidateStatus, Decision, Interview, InterviewStatus, Stage
from models.outbox import NewMessage, OutboxAction
from models.unit_of_work import UnitOfWork

UPDATE_KIND = "decision_update"

STATUS_AFTER = {
    Decision.HIRE: CandidateStatus.HIRED,
    Decision.REJECT: CandidateStatus.REJECTED,
    Decision.HOLD: CandidateStatus.ON_HOLD,
}


class DecisionRefusal(enum.StrEnum):
    NOT_ALLOWED = "not_allowed"
    NOT_FOUND = "not_found"
    STALE = "stale"
    """The card is not current any more: `why` says what changed."""


class DecisionRefused(Exception):
    def __init__(self, reason: DecisionRefusal, why: str = "") -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.why = why


# Who is still in the process: a hold can be turned into a decision.
STILL_IN_PROCESS = (CandidateStatus.ACTIVE, CandidateStatus.ON_HOLD)
DECIDABLE = (InterviewStatus.SCHEDULED, InterviewStatus.COMPLETED)


@dataclass(frozen=True)
class DecisionOutcome:
    interview_id: int
    candidate_id: int
    choice: Decision
    applied: bool
    """False when the interview had been decided already (`choice` is that decision)."""
    next_stage_id: int | None
    message_keys: tuple[str, ...] = ()
    """The card updates this decision enqueued, to deliver now."""


def decide(
    uow: UnitOfWork,
    slack_id: str,
    interview_id: int,
    choice: Decision,
    now: datetime,
    compose: Callable[[DecisionCard], dict[str, Any]] | None = None,
) -> DecisionOutcome:
    """Record the decision and, when `compose` builds the cards' words, enqueue their updates
    (without it no card is touched: the rules' unit tests); raises DecisionRefused."""
    person = uow.people.person_by_slack_id(slack_id)
    if not viewer_sees_everything(person):
        raise DecisionRefused(DecisionRefusal.NOT_ALLOWED)
    assert person is not None
    interview = uow.interviews.interview_with_scorecard(interview_id)
    if interview is None:
        raise DecisionRefused(DecisionRefusal.NOT_FOUND)
    if interview.decision not in (None, Decision.HOLD):
        return DecisionOutcome(
            interview.id, interview.candidate_id, interview.decision, False, None
        )
    why = stale_because(interview, now)
    if why:
        raise DecisionRefused(DecisionRefusal.STALE, why)
    following = uow.candidates.next_stage(interview.stage)
    if choice == Decision.ADVANCE and following is None:
        choice = Decision.HIRE
    if not uow.decisions.claim_decision(interview.id, choice, person.id, now):
        uow.rollback()
        current = uow.interviews.interview_with_scorecard(interview_id)
        decided = current.decision if current and current.decision else choice
        return DecisionOutcome(interview.id, interview.candidate_id, decided, False, None)
    moved_to = _apply(interview.candidate, choice, following, now)
    uow.audit.record(
        now,
        person.id,
        DECIDED,
        ("interview", interview.id),
        {
            "decision": choice.value,
            "by": slack_id,
            "candidate_id": interview.candidate_id,
            "from_stage_id": interview.stage_id,
            "to_stage_id": moved_to,
        },
    )
    keys = _enqueue_card_updates(uow, interview.id, choice, now, compose) if compose else []
    uow.commit()
    return DecisionOutcome(
        interview.id, interview.candidate_id, choice, True, moved_to, tuple(keys)
    )


def stale_because(interview: Interview, now: datetime) -> str:
    """Why a decision on this interview would not be about where the candidate is now ("" when
    it would): only the current stage of a candidate still in the process, once it took place."""
    candidate = interview.candidate
    if interview.status == InterviewStatus.CANCELLED:
        return "this interview was cancelled"
    if interview.status not in DECIDABLE or now < interview.ends_at:
        return "this interview has not taken place yet"
    if candidate.status not in STILL_IN_PROCESS:
        return f"{candidate.name} is no longer in the process ({candidate.status.value})"
    if candidate.current_stage_id != interview.stage_id:
        return f"{candidate.name} is no longer at the {interview.stage.name} stage"
    return ""


def next_stage_form(
    uow: UnitOfWork,
    slack_id: str,
    candidate_id: int,
    now: datetime,
    zone: ZoneInfo,
    working_days: WorkingDays,
) -> ScheduleForm | None:
    """The scheduling modal's content for the candidate's (new) stage; None if not allowed."""
    candidate = uow.candidates.candidate_by_id(candidate_id)
    if candidate is None:
        return None
    try:
        asked = FormRequest(slack_id, stage_id=candidate.current_stage_id)
        form = schedule_form(uow, asked, now, zone, working_days)
    except NotAllowed:
        return None
    return replace(
        form,
        candidate=candidate_choice(candidate),
        selected_role_id=candidate.role_id,
        selected_stage_id=candidate.current_stage_id,
        new_candidate_name="",
    )


def _enqueue_card_updates(
    uow: UnitOfWork,
    interview_id: int,
    choice: Decision,
    now: datetime,
    compose: Callable[[DecisionCard], dict[str, Any]],
) -> list[str]:
    """Every card asked about this interview is to show the decision; returns the updates' keys.

    A hold and the decision that follows it are two updates (the key names the decision and its
    time); each card reads as its recipient may see it."""
    cards = uow.decisions.card_messages(cards_key_prefix(interview_id))
    interview = uow.interviews.interview_with_scorecard(interview_id)  # as the decision left it
    if not cards or interview is None:
        return []
    scheduler = scheduler_of(uow, interview)
    stamp = f"{choice.value}:{now:%Y%m%dT%H%M%S%f}"
    updates = [
        NewMessage(
            key=f"decision-update:{interview_id}:{stamp}:{card.recipient_slack_id}",
            kind=UPDATE_KIND,
            payload=compose(card_for(uow, interview, card.recipient_slack_id)),
            recipient=card.recipient_slack_id,
            action=OutboxAction.UPDATE,
            target_key=card.key,
            summary=f"the decision update for {interview.candidate.name} · {interview.stage.name}",
            notify_slack_id=scheduler.slack_id if scheduler is not None else None,
        )
        for card in cards
    ]
    uow.outbox.enqueue_all(updates, now)
    return [update.key for update in updates]


def _apply(
    candidate: Candidate, choice: Decision, following: Stage | None, now: datetime
) -> int | None:
    """Moves the candidate; returns the stage id they moved to, if any."""
    if choice != Decision.ADVANCE:
        candidate.status = STATUS_AFTER[choice]
        return None
    assert following is not None
    candidate.status = CandidateStatus.ACTIVE
    current = candidate.current_stage
    if current is not None and current.position >= following.position:
        return None  # moved on meanwhile by another decision: never move a candidate back
    candidate.current_stage_id = following.id
    candidate.stage_entered_at = now
    return following.id
