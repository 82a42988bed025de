"""The scorecard an interviewer fills in: who may, what it asks, what it starts with."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from models.hiring import Feedback, Interview, InterviewStatus, Person, Recommendation
from models.unit_of_work import UnitOfWork

AMEND_WINDOW = timedelta(hours=24)


class Refusal(enum.StrEnum):
    NOT_FOUND = "not_found"
    CANCELLED = "cancelled"
    NOT_INTERVIEWER = "not_interviewer"
    AMEND_CLOSED = "amend_closed"
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
    """The modal's content; refused to anyone but the interview's interviewers."""
    interview, person = interview_and_interviewer(uow, slack_id, interview_id)
    versions = uow.feedback.feedback_versions(interview.id, person.id)
    amend_until = amendable_until(versions)
    if amend_until is not None and now >= amend_until:
        raise ScorecardRefused(Refusal.AMEND_CLOSED)
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
    uow: UnitOfWork, slack_id: str, interview_id: int
) -> tuple[Interview, Person]:
    interview = uow.interviews.interview_with_scorecard(interview_id)
    if interview is None:
        raise ScorecardRefused(Refusal.NOT_FOUND)
    if interview.status == InterviewStatus.CANCELLED:
        raise ScorecardRefused(Refusal.CANCELLED)
    person = uow.people.person_by_slack_id(slack_id)
    if person is None or person.id not in uow.interviews.interviewer_ids(interview.id):
        raise ScorecardRefused(Refusal.NOT_INTERVIEWER)
    return interview, person


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
