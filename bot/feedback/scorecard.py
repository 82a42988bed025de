"""The scorecard an interviewer fills in: who may, what it asks, what it starts with."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.feedback.visibility import shared_stages
from models.hiring import Feedback, Interview, InterviewStatus, Person, Recommendation
from models.unit_of_work import UnitOfWork

AMEND_WINDOW = timedelta(hours=24)


class Refusal(enum.StrEnum):
    # Unknown interview and someone else's alike: a refusal never tells whether it exists.
    NOT_AVAILABLE = "not_available"
    CANCELLED = "cancelled"
    NOT_ENDED = "not_ended"
    AMEND_CLOSED = "amend_closed"
    OPINIONS_SHARED = "opinions_shared"
    STALE = "stale"


class ScorecardRefused(Exception):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class Question:
    key: str
    name: str
    description: str


@dataclass(frozen=True)
class PreviousAnswers:
    ratings: dict[str, int]
    notes: dict[str, str]
    recommendation: Recommendation
    summary: str


@dataclass(frozen=True)
class ScorecardForm:
    interview_id: int
    candidate_name: str
    stage_name: str
    starts_at: datetime
    questions: tuple[Question, ...]
    base_version: int
    previous: PreviousAnswers | None
    amend_until: datetime | None


def scorecard_form(
    uow: UnitOfWork, slack_id: str, interview_id: int, now: datetime
) -> ScorecardForm:
    """The modal's content; refused to anyone but the interview's interviewers, and before
    the interview has ended."""
    interview, person = interview_and_interviewer(uow, slack_id, interview_id, now)
    versions = uow.feedback.feedback_versions(interview.id, person.id)
    amend_until = check_amendable(uow, interview, person, versions, now)
    current = versions[-1] if versions else None
    return ScorecardForm(
        interview_id=interview.id,
        candidate_name=interview.candidate.name,
        stage_name=interview.stage.name,
        starts_at=interview.starts_at,
        questions=questions_of(interview),
        base_version=current.version if current else 0,
        previous=_previous(current) if current else None,
        amend_until=amend_until,
    )


def interview_and_interviewer(
    uow: UnitOfWork, slack_id: str, interview_id: int, now: datetime
) -> tuple[Interview, Person]:
    """The interview and the panel member asking, once it has taken place; raises
    ScorecardRefused (the same NOT_AVAILABLE for an unknown interview and someone else's)."""
    interview = uow.interviews.interview_with_scorecard(interview_id)
    person = uow.people.person_by_slack_id(slack_id)
    if (
        interview is None
        or person is None
        or person.id not in uow.interviews.interviewer_ids(interview.id)
    ):
        raise ScorecardRefused(Refusal.NOT_AVAILABLE)
    if interview.status == InterviewStatus.CANCELLED:
        raise ScorecardRefused(Refusal.CANCELLED)
    if interview.status == InterviewStatus.PENDING or now < interview.ends_at:
        raise ScorecardRefused(Refusal.NOT_ENDED)
    return interview, person


def check_amendable(
    uow: UnitOfWork, interview: Interview, person: Person, versions: list[Feedback], now: datetime
) -> datetime | None:
    """Until when the person's feedback may be amended (None: not given yet); raises
    ScorecardRefused once that time is over, or once a colleague's scorecard on the stage is in:
    the person may read it, so a change could no longer be their own opinion."""
    until = amendable_until(versions)
    if until is None:
        return None
    if now >= until:
        raise ScorecardRefused(Refusal.AMEND_CLOSED)
    if colleagues_have_given_feedback(uow, interview, person):
        raise ScorecardRefused(Refusal.OPINIONS_SHARED)
    return until


def colleagues_have_given_feedback(uow: UnitOfWork, interview: Interview, person: Person) -> bool:
    """Someone else's scorecard on this candidate's stage is in."""
    return interview.stage_id in shared_stages(uow, person.id, interview.candidate_id)


def questions_of(interview: Interview) -> tuple[Question, ...]:
    return tuple(
        Question(item.competency.key, item.competency.name, item.competency.description)
        for item in interview.stage.scorecard
    )


def amendable_until(versions: list[Feedback]) -> datetime | None:
    """Feedback may be amended for 24 h after it was first submitted."""
    return versions[0].submitted_at + AMEND_WINDOW if versions else None


def _previous(feedback: Feedback) -> PreviousAnswers:
    return PreviousAnswers(
        ratings={r.competency.key: r.rating for r in feedback.ratings},
        notes={r.competency.key: r.note for r in feedback.ratings},
        recommendation=feedback.recommendation,
        summary=feedback.summary,
    )
