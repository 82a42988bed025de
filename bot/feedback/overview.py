"""What is on an interviewer's plate: upcoming interviews, feedback owed and given, decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.feedback.pending import PendingFeedback, pending_feedback
from bot.feedback.scorecard import AMEND_WINDOW
from bot.feedback.visibility import (
    OwnFeedback,
    own_feedback_since,
    shared_stages,
    viewer_sees_everything,
)
from models.unit_of_work import UnitOfWork

UPCOMING_WINDOW = timedelta(days=14)
RECENT_WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class InterviewLine:
    interview_id: int
    candidate_name: str
    stage_name: str
    at: datetime


@dataclass(frozen=True)
class FeedbackOverview:
    upcoming: tuple[InterviewLine, ...]
    pending: tuple[PendingFeedback, ...]
    submitted: tuple[OwnFeedback, ...]
    amendable: frozenset[int]
    """Interview ids whose feedback the viewer may still amend."""
    awaiting_decision: tuple[InterviewLine, ...] | None
    """None for people who do not decide."""


@dataclass(frozen=True)
class HomeOverview:
    """The App Home tab: the overview, and whether the viewer also manages the team."""

    overview: FeedbackOverview
    viewer_is_admin: bool


def feedback_overview(uow: UnitOfWork, slack_id: str, now: datetime) -> FeedbackOverview:
    person = uow.people.person_by_slack_id(slack_id)
    if person is None:
        return FeedbackOverview((), (), (), frozenset(), None)
    upcoming = uow.interviews.upcoming_interviews_of(person.id, now, now + UPCOMING_WINDOW)
    submitted = own_feedback_since(uow, slack_id, now - RECENT_WINDOW)
    return FeedbackOverview(
        upcoming=tuple(InterviewLine(i.id, c.name, s.name, i.starts_at) for i, c, s in upcoming),
        pending=tuple(pending_feedback(uow, slack_id)),
        submitted=tuple(submitted),
        amendable=_amendable(uow, person.id, submitted, now),
        awaiting_decision=_awaiting(uow) if viewer_sees_everything(person) else None,
    )


def _amendable(
    uow: UnitOfWork, person_id: int, submitted: list[OwnFeedback], now: datetime
) -> frozenset[int]:
    """Feedback first given less than AMEND_WINDOW ago, on a stage no colleague's is in yet."""
    shared = {c: shared_stages(uow, person_id, c) for c in {f.candidate_id for f in submitted}}
    return frozenset(
        f.interview_id
        for f in submitted
        if now < f.first_submitted_at + AMEND_WINDOW and f.stage_id not in shared[f.candidate_id]
    )


def _awaiting(uow: UnitOfWork) -> tuple[InterviewLine, ...]:
    return tuple(
        InterviewLine(
            interview.id,
            candidate.name,
            stage.name,
            interview.decision_requested_at or interview.ends_at,
        )
        for interview, candidate, stage in uow.interviews.interviews_waiting_for_decision()
    )
