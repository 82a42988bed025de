"""Submitting a scorecard: one transaction, once, versioned, audited.

The modal carries the version it was opened on; submitting aims at the next one. The unique
(interview, interviewer, version) row makes a repeat of the same modal (Slack retry, double click)
land on the row already stored, whose view id recognises it as the same submission. The same
transaction enqueues the edit of the interviewer's request DM ("feedback submitted"), under
`feedback-submitted:<request>:<version>`, when there is such a DM.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.feedback.answers import Answers, checked_answers
from bot.feedback.requests import about, request_key, scheduler_slack_id
from bot.feedback.scorecard import (
    Refusal,
    ScorecardRefused,
    amendable_until,
    check_amendable,
    interview_and_interviewer,
    questions_of,
)
from models.database import WriteConflict
from models.feedback_schemas import ScorecardDraft
from models.hiring import Feedback, FeedbackRating, Interview, Person
from models.outbox import NewMessage, OutboxAction, OutboxStatus
from models.unit_of_work import UnitOfWork

SUBMITTED = "feedback.submitted"
AMENDED = "feedback.amended"
SUBMITTED_KIND = "feedback_submitted"
# The request DM can still be edited: it is sent, or on its way.
EDITABLE = (OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.SENT)


@dataclass(frozen=True)
class Submitted:
    interview_id: int
    candidate_id: int
    candidate_name: str
    stage_id: int
    stage_name: str
    starts_at: datetime
    version: int
    repeated: bool
    amend_until: datetime
    message_keys: tuple[str, ...] = ()
    """The outbox messages this submission enqueued (the request DM's edit), to deliver now."""


def submit_scorecard(
    uow: UnitOfWork,
    slack_id: str,
    draft: ScorecardDraft,
    now: datetime,
    compose: Callable[[Submitted], dict[str, Any]],
) -> Submitted:
    """Store the scorecard and enqueue the edit of the request DM (built by `compose`); raises
    ScorecardRefused or answers.InvalidScorecard."""
    interview, person = interview_and_interviewer(uow, slack_id, draft.interview_id, now)
    versions = uow.feedback.feedback_versions(interview.id, person.id)
    target = draft.base_version + 1
    if _stored(uow, interview, person, target):
        return _repeat(uow, interview, person, draft)
    if target != len(versions) + 1:
        raise ScorecardRefused(Refusal.STALE)
    check_amendable(uow, interview, person, versions, now)
    answers = checked_answers(draft, [q.key for q in questions_of(interview)])
    try:
        _store(uow, interview, person, draft, answers, now)
        done = _submitted(uow, interview, person, target, repeated=False)
        done = _enqueue_request_edit(uow, done, interview, person, now, compose)
        uow.commit()
    except WriteConflict:
        # Another request stored this version first (a double click racing this one).
        uow.rollback()
        if not _stored(uow, interview, person, target):
            raise
        return _repeat(uow, interview, person, draft)
    return done


def _enqueue_request_edit(
    uow: UnitOfWork,
    done: Submitted,
    interview: Interview,
    person: Person,
    now: datetime,
    compose: Callable[[Submitted], dict[str, Any]],
) -> Submitted:
    """The request DM now says the feedback is in (if it was sent or is on its way)."""
    request = uow.feedback.request_of(done.interview_id, person.id)
    if request is None or uow.outbox.status_of(request_key(request.id)) not in EDITABLE:
        return done
    key = f"feedback-submitted:{request.id}:{done.version}"
    what = about(done.candidate_name, done.stage_name)
    uow.outbox.enqueue(
        NewMessage(
            key=key,
            kind=SUBMITTED_KIND,
            payload=compose(done),
            recipient=person.slack_id,
            action=OutboxAction.UPDATE,
            target_key=request_key(request.id),
            summary=f"the 'feedback submitted' update for {what}",
            notify_slack_id=scheduler_slack_id(uow, interview),
        ),
        now,
    )
    return replace(done, message_keys=(key,))


def _store(
    uow: UnitOfWork,
    interview: Interview,
    person: Person,
    draft: ScorecardDraft,
    answers: Answers,
    now: datetime,
) -> None:
    competencies = {item.competency.key: item.competency_id for item in interview.stage.scorecard}
    feedback = Feedback(
        interview_id=interview.id,
        interviewer_id=person.id,
        version=draft.base_version + 1,
        is_current=True,
        recommendation=answers.recommendation,
        summary=answers.summary,
        submitted_at=now,
        view_id=draft.view_id,
        ratings=[
            FeedbackRating(
                competency_id=competencies[key], rating=rating, note=answers.notes.get(key, "")
            )
            for key, rating in answers.ratings.items()
        ],
    )
    uow.feedback.add_feedback_version(feedback, replaces_current=feedback.version > 1)
    uow.feedback.complete_request(interview.id, person.id, now)
    uow.audit.record(
        now,
        person.id,
        AMENDED if feedback.version > 1 else SUBMITTED,
        ("feedback", feedback.id),
        {
            "interview_id": interview.id,
            "version": feedback.version,
            "recommendation": answers.recommendation.value,
            "view_id": draft.view_id,
        },
    )


def _stored(uow: UnitOfWork, interview: Interview, person: Person, version: int) -> bool:
    return any(
        v.version == version for v in uow.feedback.feedback_versions(interview.id, person.id)
    )


def _repeat(
    uow: UnitOfWork, interview: Interview, person: Person, draft: ScorecardDraft
) -> Submitted:
    """The target version exists: the same modal again is fine, another modal is stale."""
    target = draft.base_version + 1
    stored = next(
        v for v in uow.feedback.feedback_versions(interview.id, person.id) if v.version == target
    )
    if stored.view_id != draft.view_id:
        raise ScorecardRefused(Refusal.STALE)
    return _submitted(uow, interview, person, target, repeated=True)


def _submitted(
    uow: UnitOfWork, interview: Interview, person: Person, version: int, repeated: bool
) -> Submitted:
    versions = uow.feedback.feedback_versions(interview.id, person.id)
    until = amendable_until(versions)
    assert until is not None
    return Submitted(
        interview_id=interview.id,
        candidate_id=interview.candidate_id,
        candidate_name=interview.candidate.name,
        stage_id=interview.stage_id,
        stage_name=interview.stage.name,
        starts_at=interview.starts_at,
        version=version,
        repeated=repeated,
        amend_until=until,
    )
