"""Feedback: the requests sent to interviewers and the scorecards they submit."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, exists, select, update
from sqlalchemy.orm import Session, aliased, selectinload

from models.database import changed_one_row, conflicts_reported
from models.hiring import (
    Candidate,
    Feedback,
    FeedbackRating,
    FeedbackRequest,
    Interview,
    InterviewEvent,
    InterviewParticipant,
    InterviewStatus,
    Person,
    Stage,
)
from models.idempotent_insert import insert_ignoring_duplicates
from models.interviews import interviewer_condition


class RequestContext(NamedTuple):
    """A feedback request with the interview, candidate, stage and interviewer it is about."""

    request: FeedbackRequest
    interview: Interview
    candidate: Candidate
    stage: Stage
    interviewer: Person


class FeedbackRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, entity: object) -> None:
        """Stage a new row; it gets its id at the next flush."""
        self._session.add(entity)

    def pending_requests_of(
        self, slack_id: str
    ) -> list[tuple[FeedbackRequest, Interview, Candidate, Stage]]:
        """Feedback asked of this person (request sent) and not given yet, oldest first."""
        rows = self._session.execute(
            select(FeedbackRequest, Interview, Candidate, Stage)
            .join(Interview, FeedbackRequest.interview_id == Interview.id)
            .join(Candidate, Interview.candidate_id == Candidate.id)
            .join(Stage, Interview.stage_id == Stage.id)
            .join(Person, FeedbackRequest.interviewer_id == Person.id)
            .where(
                Person.slack_id == slack_id,
                FeedbackRequest.sent_at.is_not(None),
                FeedbackRequest.completed_at.is_(None),
                Interview.status != InterviewStatus.CANCELLED,
            )
            .order_by(Interview.ends_at)
        )
        return [
            (request, interview, candidate, stage) for request, interview, candidate, stage in rows
        ]

    def missing_requests(
        self, ended_before: datetime, ended_after: datetime
    ) -> list[tuple[int, int, datetime]]:
        """(interview id, interviewer id, end) of ended interviews with no request row yet."""
        request = aliased(FeedbackRequest)
        no_request = ~exists().where(
            request.interview_id == Interview.id,
            request.interviewer_id == InterviewParticipant.person_id,
        )
        rows = self._session.execute(
            select(Interview.id, InterviewParticipant.person_id, Interview.ends_at)
            .join(InterviewEvent, InterviewEvent.interview_id == Interview.id)
            .join(
                InterviewParticipant, InterviewParticipant.interview_event_id == InterviewEvent.id
            )
            .where(
                Interview.status != InterviewStatus.CANCELLED,
                Interview.ends_at <= ended_before,
                Interview.ends_at >= ended_after,
                *interviewer_condition(),
                no_request,
            )
            .distinct()
            .order_by(Interview.id, InterviewParticipant.person_id)
        )
        return [
            (interview_id, person_id, ends_at)
            for interview_id, person_id, ends_at in rows
            if person_id is not None
        ]

    def add_requests(self, rows: list[tuple[int, int, datetime]]) -> None:
        """Request rows for (interview, interviewer, due); existing rows stay as they are."""
        insert_ignoring_duplicates(
            self._session,
            FeedbackRequest,
            [
                {"interview_id": interview_id, "interviewer_id": person_id, "due_at": due_at}
                for interview_id, person_id, due_at in rows
            ],
        )

    def unsent_due_request_ids(self, now: datetime, ended_before: datetime) -> list[int]:
        return list(
            self._session.scalars(
                select(FeedbackRequest.id)
                .join(Interview, FeedbackRequest.interview_id == Interview.id)
                .where(
                    FeedbackRequest.sent_at.is_(None),
                    FeedbackRequest.completed_at.is_(None),
                    FeedbackRequest.due_at <= now,
                    Interview.status != InterviewStatus.CANCELLED,
                    Interview.ends_at <= ended_before,
                )
                .order_by(FeedbackRequest.id)
            )
        )

    def mark_request_sent(self, request_id: int, now: datetime, next_reminder_at: datetime) -> bool:
        """Mark the request sent (its DM is enqueued in the same transaction) unless another
        worker did, or the feedback came in first."""
        result = self._session.execute(
            update(FeedbackRequest)
            .where(
                FeedbackRequest.id == request_id,
                FeedbackRequest.sent_at.is_(None),
                FeedbackRequest.completed_at.is_(None),
            )
            .values(sent_at=now, next_reminder_at=next_reminder_at)
            .execution_options(synchronize_session=False)
        )
        return changed_one_row(result)

    def request_context(self, request_id: int) -> RequestContext:
        row = self._session.execute(
            select(FeedbackRequest, Interview, Candidate, Stage, Person)
            .join(Interview, FeedbackRequest.interview_id == Interview.id)
            .join(Candidate, Interview.candidate_id == Candidate.id)
            .join(Stage, Interview.stage_id == Stage.id)
            .join(Person, FeedbackRequest.interviewer_id == Person.id)
            .where(FeedbackRequest.id == request_id)
            # Claims change these rows with bulk UPDATEs: always read what the database holds.
            .execution_options(populate_existing=True)
        ).one()
        request, interview, candidate, stage, interviewer = row
        return RequestContext(request, interview, candidate, stage, interviewer)

    def set_request_fields(self, request_id: int, **values: object) -> None:
        self._session.execute(
            update(FeedbackRequest)
            .where(FeedbackRequest.id == request_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    def due_reminder_ids(self, now: datetime) -> list[int]:
        return list(
            self._session.scalars(
                select(FeedbackRequest.id)
                .join(Interview, FeedbackRequest.interview_id == Interview.id)
                .where(
                    FeedbackRequest.sent_at.is_not(None),
                    FeedbackRequest.completed_at.is_(None),
                    FeedbackRequest.next_reminder_at <= now,
                    Interview.status != InterviewStatus.CANCELLED,
                    # Moved to a later time after its request went out: not over yet.
                    Interview.ends_at <= now,
                )
                .order_by(FeedbackRequest.id)
            )
        )

    def record_reminder(
        self, request_id: int, number: int, now: datetime, next_at: datetime | None
    ) -> bool:
        """Count the `number`-th reminder as sent (it is enqueued in the same transaction) unless
        another worker did, or the feedback came in first."""
        result = self._session.execute(
            update(FeedbackRequest)
            .where(
                FeedbackRequest.id == request_id,
                FeedbackRequest.sent_at.is_not(None),
                FeedbackRequest.completed_at.is_(None),
                FeedbackRequest.next_reminder_at <= now,
                FeedbackRequest.reminder_count == number - 1,
            )
            .values(reminder_count=number, last_reminded_at=now, next_reminder_at=next_at)
            .execution_options(synchronize_session=False)
        )
        return changed_one_row(result)

    def late_requests(self, ended_before: datetime) -> list[tuple[int, int]]:
        """(interview id, request id) of requests still open for interviews that ended long ago."""
        rows = self._session.execute(
            select(Interview.id, FeedbackRequest.id)
            .join(Interview, FeedbackRequest.interview_id == Interview.id)
            .where(
                FeedbackRequest.completed_at.is_(None),
                FeedbackRequest.escalated_at.is_(None),
                Interview.status != InterviewStatus.CANCELLED,
                Interview.ends_at <= ended_before,
            )
            .order_by(Interview.id, FeedbackRequest.id)
        )
        return [(interview_id, request_id) for interview_id, request_id in rows]

    def claim_escalation(self, request_id: int, now: datetime) -> bool:
        result = self._session.execute(
            update(FeedbackRequest)
            .where(
                FeedbackRequest.id == request_id,
                FeedbackRequest.completed_at.is_(None),
                FeedbackRequest.escalated_at.is_(None),
            )
            .values(escalated_at=now)
            .execution_options(synchronize_session=False)
        )
        return changed_one_row(result)

    def complete_request(self, interview_id: int, interviewer_id: int, now: datetime) -> None:
        """The interviewer's feedback is in: no DM (if not sent yet), no reminder, no escalation."""
        self.add_requests([(interview_id, interviewer_id, now)])
        self._session.execute(
            update(FeedbackRequest)
            .where(
                FeedbackRequest.interview_id == interview_id,
                FeedbackRequest.interviewer_id == interviewer_id,
                FeedbackRequest.completed_at.is_(None),
            )
            .values(completed_at=now)
            .execution_options(synchronize_session=False)
        )

    def request_of(self, interview_id: int, interviewer_id: int) -> FeedbackRequest | None:
        return self._session.scalar(
            select(FeedbackRequest).where(
                and_(
                    FeedbackRequest.interview_id == interview_id,
                    FeedbackRequest.interviewer_id == interviewer_id,
                )
            )
        )

    def feedback_versions(self, interview_id: int, interviewer_id: int) -> list[Feedback]:
        return list(
            self._session.scalars(
                select(Feedback)
                .where(
                    Feedback.interview_id == interview_id, Feedback.interviewer_id == interviewer_id
                )
                .options(selectinload(Feedback.ratings).selectinload(FeedbackRating.competency))
                .order_by(Feedback.version)
            )
        )

    def add_feedback_version(self, feedback: Feedback, replaces_current: bool) -> None:
        """`feedback` becomes the current version; earlier versions stay, no longer current.

        Raises WriteConflict when another request stored this version first."""
        with conflicts_reported(self._session):
            if replaces_current:
                self._retire_current(feedback)
            self._session.add(feedback)
            self._session.flush()

    def _retire_current(self, feedback: Feedback) -> None:
        self._session.execute(
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
        self, candidate_id: int
    ) -> list[tuple[Feedback, Interview, Stage, Person]]:
        rows = self._session.execute(
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
        self, person_id: int, since: datetime
    ) -> list[tuple[Feedback, Interview, Candidate, Stage]]:
        rows = self._session.execute(
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
            (feedback, interview, candidate, stage)
            for feedback, interview, candidate, stage in rows
        ]

    def first_submissions(self, person_id: int) -> dict[int, datetime]:
        """When this person first submitted feedback, per interview id."""
        rows = self._session.execute(
            select(Feedback.interview_id, Feedback.submitted_at).where(
                Feedback.interviewer_id == person_id, Feedback.version == 1
            )
        )
        first: dict[int, datetime] = {}
        for interview_id, submitted_at in rows:
            first[interview_id] = submitted_at
        return first

    def stages_with_feedback_by(self, person_id: int, candidate_id: int) -> set[int]:
        rows = self._session.scalars(
            select(Interview.stage_id)
            .join(Feedback, Feedback.interview_id == Interview.id)
            .where(
                Interview.candidate_id == candidate_id,
                Feedback.interviewer_id == person_id,
                Feedback.is_current.is_(True),
            )
        )
        return set(rows)

    def panel_stages_of(self, person_id: int, candidate_id: int) -> set[int]:
        """The stages of this candidate whose (not cancelled) interviews have this person on
        their panel."""
        rows = self._session.scalars(
            select(Interview.stage_id)
            .join(InterviewEvent, InterviewEvent.interview_id == Interview.id)
            .join(
                InterviewParticipant, InterviewParticipant.interview_event_id == InterviewEvent.id
            )
            .where(
                Interview.candidate_id == candidate_id,
                Interview.status != InterviewStatus.CANCELLED,
                InterviewParticipant.person_id == person_id,
                *interviewer_condition(),
            )
        )
        return set(rows)

    def authors_of_current_feedback(self, interview_id: int) -> set[int]:
        rows = self._session.scalars(
            select(Feedback.interviewer_id).where(
                Feedback.interview_id == interview_id, Feedback.is_current.is_(True)
            )
        )
        return set(rows)
