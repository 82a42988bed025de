"""Interviews and their bookings: scheduling requests, events, participants."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, bindparam, or_, select, update
from sqlalchemy.orm import Session, selectinload

from models.database import changed_one_row
from models.hiring import (
    CalendarSyncState,
    Candidate,
    CandidateStatus,
    Decision,
    Interview,
    InterviewEvent,
    InterviewParticipant,
    InterviewStatus,
    ParticipantKind,
    Person,
    SchedulingRequest,
    SchedulingStatus,
    ScorecardItem,
    Stage,
)

InterviewRow = tuple[Interview, Candidate, Stage]


DECLINED = "declined"
# An interview whose times are held: booked, or being booked or moved.
HOLDING_TIME = (InterviewStatus.PENDING, InterviewStatus.SCHEDULED)


class BookedEvent(NamedTuple):
    """An event of an interview holding its time: whose it is (`person_id` None for the
    candidate's own events) and when."""

    interview_id: int
    person_id: int | None
    starts_at: datetime
    ends_at: datetime


class InterviewerBooking(NamedTuple):
    """An interviewer's part in one event of a pending or scheduled interview, and when the
    interview was booked."""

    person_id: int
    interview_id: int
    starts_at: datetime
    ends_at: datetime
    booked_at: datetime


def interviewer_condition() -> list[ColumnElement[bool]]:
    """An interview's interviewers: interviewer participants we know, who did not decline."""
    return [
        InterviewParticipant.kind == ParticipantKind.INTERVIEWER,
        InterviewParticipant.person_id.is_not(None),
        InterviewParticipant.response_status != DECLINED,
    ]


_INTERVIEWER_BOOKINGS = (
    select(
        InterviewParticipant.person_id,
        Interview.id,
        InterviewEvent.starts_at,
        InterviewEvent.ends_at,
        Interview.created_at,
    )
    .join(InterviewEvent, InterviewEvent.interview_id == Interview.id)
    .join(InterviewParticipant, InterviewParticipant.interview_event_id == InterviewEvent.id)
    .where(
        InterviewParticipant.person_id.in_(bindparam("people", expanding=True)),
        *interviewer_condition(),
        Interview.status.in_(HOLDING_TIME),
        InterviewEvent.starts_at < bindparam("end"),
        InterviewEvent.ends_at > bindparam("start"),
    )
)


class InterviewRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, entity: object) -> None:
        """Stage a new row; it gets its id at the next flush."""
        self._session.add(entity)

    def remove(self, entity: object) -> None:
        """Delete a row (an interview goes with its events and participants)."""
        self._session.delete(entity)

    def interview_by_id(self, interview_id: int) -> Interview | None:
        return self._session.get(Interview, interview_id)

    def sync_state(self, calendar_key: str) -> CalendarSyncState | None:
        """Where the calendar sync left off for this calendar (its sync token)."""
        return self._session.get(CalendarSyncState, calendar_key)

    def request_by_view(self, view_id: str) -> SchedulingRequest | None:
        return self._session.scalar(
            select(SchedulingRequest).where(SchedulingRequest.view_id == view_id)
        )

    def request_by_uid(self, uid: str) -> SchedulingRequest | None:
        return self._session.scalar(select(SchedulingRequest).where(SchedulingRequest.uid == uid))

    def claim_request(self, uid: str, now: datetime, stale_before: datetime) -> bool:
        """Move a request to BOOKING unless someone else holds it; True when we got it."""
        claimable = (
            SchedulingRequest.status.in_([SchedulingStatus.PROPOSED, SchedulingStatus.FAILED])
        ) | (
            (SchedulingRequest.status == SchedulingStatus.BOOKING)
            & (SchedulingRequest.updated_at < stale_before)
        )
        result = self._session.execute(
            update(SchedulingRequest)
            .where(SchedulingRequest.uid == uid, claimable)
            .values(status=SchedulingStatus.BOOKING, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return changed_one_row(result)

    def hold_for_move(self, interview_id: int, request_uid: str, now: datetime) -> bool:
        """Mark a booked interview PENDING for the request moving it (or keep it pending for that
        same request); False when it is cancelled or another request is moving it."""
        result = self._session.execute(
            update(Interview)
            .where(
                Interview.id == interview_id,
                (Interview.status == InterviewStatus.SCHEDULED)
                | ((Interview.status == InterviewStatus.PENDING) & (Interview.uid == request_uid)),
            )
            .values(status=InterviewStatus.PENDING, uid=request_uid, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return changed_one_row(result)

    def settle(
        self, interview_id: int, status: InterviewStatus, now: datetime, was: InterviewStatus
    ) -> bool:
        """Move an interview from `was` to `status`; False when it is no longer `was` (someone
        else settled it first). Load the interview after this call, not before."""
        result = self._session.execute(
            update(Interview)
            .where(Interview.id == interview_id, Interview.status == was)
            .values(status=status, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return changed_one_row(result)

    def stale_pending_bookings(self, stale_before: datetime) -> list[str]:
        """The uids of requests whose booking (or move) was left pending: their interview is
        PENDING and their claim older than `stale_before` (or given up: FAILED)."""
        return list(
            self._session.scalars(
                select(SchedulingRequest.uid)
                .join(Interview, Interview.uid == SchedulingRequest.uid)
                .where(
                    Interview.status == InterviewStatus.PENDING,
                    SchedulingRequest.status.in_(
                        [SchedulingStatus.BOOKING, SchedulingStatus.FAILED]
                    ),
                    SchedulingRequest.updated_at < stale_before,
                )
                .order_by(SchedulingRequest.updated_at)
            )
        )

    def take_over_request(self, uid: str, now: datetime, stale_before: datetime) -> bool:
        """Claim a request whose booking was left (BOOKING for too long, or FAILED before
        `stale_before`): the conditional UPDATE lets one caller only have it."""
        result = self._session.execute(
            update(SchedulingRequest)
            .where(
                SchedulingRequest.uid == uid,
                SchedulingRequest.status.in_([SchedulingStatus.BOOKING, SchedulingStatus.FAILED]),
                SchedulingRequest.updated_at < stale_before,
            )
            .values(status=SchedulingStatus.BOOKING, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return changed_one_row(result)

    def interviewer_bookings(
        self, person_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[InterviewerBooking]:
        """Every interviewer part these people (unless they declined) have in events of pending
        or scheduled interviews touching [start, end): one query for all of them."""
        if not person_ids:
            return []
        # Plain rows on the connection, from a statement built once (every form reads this).
        rows = self._session.connection().execute(
            _INTERVIEWER_BOOKINGS, {"people": list(person_ids), "start": start, "end": end}
        )
        return [
            InterviewerBooking(person_id, interview_id, starts_at, ends_at, booked_at)
            for person_id, interview_id, starts_at, ends_at, booked_at in rows
            if person_id is not None
        ]

    def lock_participants(self, person_ids: Sequence[int], candidate_id: int) -> None:
        """Lock the people's rows, then the candidate's, until the transaction ends (SELECT ...
        FOR UPDATE; SQLite serialises writers already). Every booking locks in this order (people
        by id, then the candidate), so two bookings sharing someone wait for each other instead
        of deadlocking."""
        self._session.execute(
            select(Person.id)
            .where(Person.id.in_(sorted(set(person_ids))))
            .order_by(Person.id)
            .with_for_update()
        ).all()
        self._session.execute(
            select(Candidate.id).where(Candidate.id == candidate_id).with_for_update()
        ).all()

    def booked_events(
        self,
        person_ids: Sequence[int],
        candidate_id: int,
        start: datetime,
        end: datetime,
        exclude_interview_id: int | None = None,
    ) -> list[BookedEvent]:
        """The events of pending or scheduled interviews touching [start, end) that these people
        interview in (unless they declined) or that are the candidate's, except those of
        `exclude_interview_id` (the interview being booked or moved)."""
        touching = [
            Interview.status.in_(HOLDING_TIME),
            InterviewEvent.starts_at < end,
            InterviewEvent.ends_at > start,
        ]
        if exclude_interview_id is not None:
            touching.append(Interview.id != exclude_interview_id)
        interviewers = self._session.execute(
            select(
                Interview.id,
                InterviewParticipant.person_id,
                InterviewEvent.starts_at,
                InterviewEvent.ends_at,
            )
            .join(InterviewEvent, InterviewEvent.interview_id == Interview.id)
            .join(
                InterviewParticipant, InterviewParticipant.interview_event_id == InterviewEvent.id
            )
            .where(
                InterviewParticipant.person_id.in_(list(person_ids)),
                *interviewer_condition(),
                *touching,
            )
        )
        candidate = self._session.execute(
            select(Interview.id, InterviewEvent.starts_at, InterviewEvent.ends_at)
            .join(InterviewEvent, InterviewEvent.interview_id == Interview.id)
            .where(Interview.candidate_id == candidate_id, *touching)
        )
        return [
            *(BookedEvent(i, p, s, e) for i, p, s, e in interviewers),
            *(BookedEvent(i, None, s, e) for i, s, e in candidate),
        ]

    def interview_with_events(self, interview_id: int) -> Interview | None:
        return self._session.scalar(
            select(Interview)
            .where(Interview.id == interview_id)
            .options(
                selectinload(Interview.events)
                .selectinload(InterviewEvent.participants)
                .selectinload(InterviewParticipant.person),
                selectinload(Interview.candidate),
                selectinload(Interview.stage).selectinload(Stage.sessions),
                selectinload(Interview.stage)
                .selectinload(Stage.scorecard)
                .selectinload(ScorecardItem.competency),
            )
        )

    def interview_by_uid(self, uid: str) -> Interview | None:
        """The interview booked (or being booked, or last moved) by the request `uid`."""
        interview_id = self._session.scalar(select(Interview.id).where(Interview.uid == uid))
        return self.interview_with_events(interview_id) if interview_id is not None else None

    def interview_event_by_calendar_id(self, event_id: str) -> InterviewEvent | None:
        return self._session.scalar(
            select(InterviewEvent)
            .where(InterviewEvent.calendar_event_id == event_id)
            .options(selectinload(InterviewEvent.participants))
        )

    def active_interview(self, candidate_id: int, stage_id: int) -> Interview | None:
        """The candidate's interview for this stage that is booked or being booked, if any."""
        return self._session.scalars(
            select(Interview)
            .where(
                Interview.candidate_id == candidate_id,
                Interview.stage_id == stage_id,
                Interview.status.in_(HOLDING_TIME),
            )
            .order_by(Interview.id)
            .limit(1)
        ).first()

    def upcoming_interviews(self, candidate_id: int, now: datetime) -> list[Interview]:
        return list(
            self._session.scalars(
                select(Interview)
                .options(selectinload(Interview.stage))
                .where(
                    Interview.candidate_id == candidate_id,
                    Interview.status == InterviewStatus.SCHEDULED,
                    Interview.ends_at > now,
                )
                .order_by(Interview.starts_at)
            )
        )

    def upcoming_interviews_of(
        self, person_id: int, now: datetime, until: datetime
    ) -> list[InterviewRow]:
        interviewing = (
            select(InterviewEvent.interview_id)
            .join(
                InterviewParticipant, InterviewParticipant.interview_event_id == InterviewEvent.id
            )
            .where(InterviewParticipant.person_id == person_id, *interviewer_condition())
        )
        rows = self._session.execute(
            select(Interview, Candidate, Stage)
            .join(Candidate, Interview.candidate_id == Candidate.id)
            .join(Stage, Interview.stage_id == Stage.id)
            .where(
                Interview.id.in_(interviewing),
                Interview.status == InterviewStatus.SCHEDULED,
                Interview.ends_at > now,
                Interview.starts_at < until,
            )
            .order_by(Interview.starts_at)
        )
        return [(interview, candidate, stage) for interview, candidate, stage in rows]

    def interviews_waiting_for_decision(self, limit: int = 20) -> list[InterviewRow]:
        rows = self._session.execute(
            select(Interview, Candidate, Stage)
            .join(Candidate, Interview.candidate_id == Candidate.id)
            .join(Stage, Interview.stage_id == Stage.id)
            .where(
                Interview.status != InterviewStatus.CANCELLED,
                Interview.decision_requested_at.is_not(None),
                or_(Interview.decision.is_(None), Interview.decision == Decision.HOLD),
                Candidate.status.in_([CandidateStatus.ACTIVE, CandidateStatus.ON_HOLD]),
            )
            .order_by(Interview.decision_requested_at)
            .limit(limit)
        )
        return [(interview, candidate, stage) for interview, candidate, stage in rows]

    def interview_with_scorecard(self, interview_id: int) -> Interview | None:
        return self._session.scalar(
            select(Interview)
            .where(Interview.id == interview_id)
            .options(
                selectinload(Interview.candidate),
                selectinload(Interview.stage)
                .selectinload(Stage.scorecard)
                .selectinload(ScorecardItem.competency),
            )
            # A decision or a status may have changed since this self._session first loaded it.
            .execution_options(populate_existing=True)
        )

    def interviewer_ids(self, interview_id: int) -> set[int]:
        rows = self._session.scalars(
            select(InterviewParticipant.person_id)
            .join(InterviewEvent, InterviewParticipant.interview_event_id == InterviewEvent.id)
            .where(InterviewEvent.interview_id == interview_id, *interviewer_condition())
        )
        return {person_id for person_id in rows if person_id is not None}
