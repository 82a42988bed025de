"""Data access for scorecards: interviews with their scorecard, feedback versions and ratings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from models.feedback_store import interviewer_condition
from models.hiring import (
    Candidate,
    Feedback,
    FeedbackRating,
    Interview,
    InterviewEvent,
    InterviewParticipant,
    Person,
    ScorecardItem,
    Stage,
)


def interview_with_scorecard(session: Session, interview_id: int) -> Interview | None:
    return session.scalar(
        select(Interview)
        .where(Interview.id == interview_id)
        .options(
            selectinload(Interview.candidate),
            selectinload(Interview.stage)
            .selectinload(Stage.scorecard)
            .selectinload(ScorecardItem.competency),
        )
        # A decision or a status may have changed since this session first loaded it.
        .execution_options(populate_existing=True)
    )


def interviewer_ids(session: Session, interview_id: int) -> set[int]:
    rows = session.scalars(
        select(InterviewParticipant.person_id)
        .join(InterviewEvent, InterviewParticipant.interview_event_id == InterviewEvent.id)
        .where(InterviewEvent.interview_id == interview_id, *interviewer_condition())
    )
    return {person_id for person_id in rows if person_id is not None}


def feedback_versions(session: Session, interview_id: int, interviewer_id: int) -> list[Feedback]:
    return list(
        session.scalars(
            select(Feedback)
            .where(Feedback.interview_id == interview_id, Feedback.interviewer_id == interviewer_id)
            .options(selectinload(Feedback.ratings).selectinload(FeedbackRating.competency))
            .order_by(Feedback.version)
        )
    )


def add_feedback_version(session: Session, feedback: Feedback, replaces_current: bool) -> None:
    """`feedback` becomes the current version; earlier versions stay, no longer current."""
    if replaces_current:
        _retire_current(session, feedback)
    session.add(feedback)
    session.flush()


def _retire_current(session: Session, feedback: Feedback) -> None:
    session.execute(
        update(Feedback)
        .where(
            Feedback.interview_id == feedback.interview_id,
            Feedback.interviewer_id == feedback.interviewer_id,
            Feedback.is_current.is_(True),
        )
        .values(is_current=False)
        .execution_options(synchronize_session=False)
    )


def current_feedback_on_candidate(
    session: Session, candidate_id: int
) -> list[tuple[Feedback, Interview, Stage, Person]]:
    rows = session.execute(
        select(Feedback, Interview, Stage, Person)
        .join(Interview, Feedback.interview_id == Interview.id)
        .join(Stage, Interview.stage_id == Stage.id)
        .join(Person, Feedback.interviewer_id == Person.id)
        .where(Interview.candidate_id == candidate_id, Feedback.is_current.is_(True))
        .options(selectinload(Feedback.ratings).selectinload(FeedbackRating.competency))
        .order_by(Stage.position, Interview.starts_at, Feedback.submitted_at)
    )
    return [(feedback, interview, stage, person) for feedback, interview, stage, person in rows]


def current_feedback_by(
    session: Session, person_id: int, since: datetime
) -> list[tuple[Feedback, Interview, Candidate, Stage]]:
    rows = session.execute(
        select(Feedback, Interview, Candidate, Stage)
        .join(Interview, Feedback.interview_id == Interview.id)
        .join(Candidate, Interview.candidate_id == Candidate.id)
        .join(Stage, Interview.stage_id == Stage.id)
        .where(
            Feedback.interviewer_id == person_id,
            Feedback.is_current.is_(True),
            Feedback.submitted_at >= since,
        )
        .order_by(Feedback.submitted_at.desc())
    )
    return [
        (feedback, interview, candidate, stage) for feedback, interview, candidate, stage in rows
    ]


def first_submissions(session: Session, person_id: int) -> dict[int, datetime]:
    """When this person first submitted feedback, per interview id."""
    rows = session.execute(
        select(Feedback.interview_id, Feedback.submitted_at).where(
            Feedback.interviewer_id == person_id, Feedback.version == 1
        )
    )
    first: dict[int, datetime] = {}
    for interview_id, submitted_at in rows:
        first[interview_id] = submitted_at
    return first


def stages_with_feedback_by(session: Session, person_id: int, candidate_id: int) -> set[int]:
    rows = session.scalars(
        select(Interview.stage_id)
        .join(Feedback, Feedback.interview_id == Interview.id)
        .where(
            Interview.candidate_id == candidate_id,
            Feedback.interviewer_id == person_id,
            Feedback.is_current.is_(True),
        )
    )
    return set(rows)


def authors_of_current_feedback(session: Session, interview_id: int) -> set[int]:
    rows = session.scalars(
        select(Feedback.interviewer_id).where(
            Feedback.interview_id == interview_id, Feedback.is_current.is_(True)
        )
    )
    return set(rows)
