"""A unit of work without a database, for unit tests of the services' rules.

`FakeUnitOfWork` has in-memory repositories implementing only the methods the booking, visibility
and decision rules call; the query-heavy reads (the digest) are tested on the real databases.
Its rows are plain ORM objects of models/hiring.py held in `HiringData`, which also builds them:

    fake = FakeUnitOfWork()
    grace = fake.data.person("U_GRACE", "Grace", TeamRole.INTERVIEWER)
    service = SchedulingService(fake.new_uow, clock, zone, calendar)
    ...
    assert fake.committed == 1

Every unit opened (`with fake.new_uow() as uow:`) works on the same data, and changes are seen
at once: `commit()`, `rollback()` and `flush()` are counted, not transactional (rollback keeps
changes already made to the objects; the services roll back only after a lost claim, when they
changed nothing). Reads wire relationships from foreign keys as loading them would
(`interview.candidate` from `interview.candidate_id`), so a service that sets an id sees the
matching object next time it reads. Claims behave like the real conditional UPDATEs: the first
wins, the next loses. `uow.outbox` keeps the messages enqueued by committed units
(`fake.outbox.messages`, by key; enqueuing a key twice keeps the first).
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from types import TracebackType
from typing import cast

from models.directory import Directory, directory_of
from models.hiring import (
    WORKDAY_END,
    WORKDAY_START,
    AuditEntry,
    Candidate,
    CandidateStatus,
    Decision,
    Feedback,
    Interview,
    InterviewEvent,
    InterviewParticipant,
    InterviewStatus,
    ParticipantKind,
    Person,
    Pool,
    Recommendation,
    Role,
    SchedulingRequest,
    SchedulingStatus,
    Stage,
    StageFormat,
    StageSession,
    TeamRole,
)
from models.interviews import HOLDING_TIME, BookedEvent, InterviewerBooking
from models.outbox import MessageReference, NewMessage, OutboxStatus
from models.unit_of_work import UnitOfWork


class HiringData:
    """The rows, by id, and builders that add them (ids are set here, relationships wired)."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self.people: dict[int, Person] = {}
        self.roles: dict[int, Role] = {}
        self.stages: dict[int, Stage] = {}
        self.candidates: dict[int, Candidate] = {}
        self.interviews: dict[int, Interview] = {}
        self.requests: dict[str, SchedulingRequest] = {}
        self.feedback: list[Feedback] = []
        self.audit: list[AuditEntry] = []
        # Interviewer pools: key -> (name, member person ids)
        self.pools: dict[str, tuple[str, list[int]]] = {}

    def next_id(self) -> int:
        return next(self._ids)

    # -- builders ------------------------------------------------------------------------------

    def person(
        self,
        slack_id: str,
        name: str,
        *roles: TeamRole,
        email: str | None = None,
        timezone: str = "Europe/Paris",
        active: bool = True,
    ) -> Person:
        person = Person(
            id=self.next_id(),
            slack_id=slack_id,
            name=name,
            email=email or f"{slack_id.lower()}@example.com",
            timezone=timezone,
            work_start=WORKDAY_START,
            work_end=WORKDAY_END,
            weekly_interview_cap=None,
            is_active=active,
        )
        person.grant(*roles)
        self.people[person.id] = person
        return person

    def role(
        self,
        title: str,
        stage_names: Sequence[str],
        stage_format: StageFormat = StageFormat.VIDEO,
        minutes: int = 45,
        sessions: int = 1,
    ) -> Role:
        """A role whose pipeline is these stages, in order, each `sessions` of `minutes`."""
        role = Role(id=self.next_id(), key=_key(title), title=title, location="", is_open=True)
        for position, name in enumerate(stage_names, start=1):
            stage = Stage(
                id=self.next_id(),
                role_id=role.id,
                position=position,
                key=_key(name),
                name=name,
                format=stage_format,
                location=None,
                gap_minutes=0,
                take_home_days=None,
                buffer_minutes=10,
                notice_hours=24,
                grid_minutes=15,
                window_days=10,
            )
            for session in range(1, sessions + 1):
                stage.sessions.append(
                    StageSession(
                        id=self.next_id(),
                        stage_id=stage.id,
                        position=session,
                        name=name if sessions == 1 else f"{name} {session}",
                        duration_minutes=minutes,
                        pool_key="engineers",
                        interviewer_count=1,
                    )
                )
            role.stages.append(stage)
            self.stages[stage.id] = stage
        self.roles[role.id] = role
        return role

    def candidate(self, name: str, stage: Stage, now: datetime) -> Candidate:
        candidate = Candidate(
            id=self.next_id(),
            role_id=stage.role_id,
            name=name,
            email=f"{_key(name)}@candidates.example.com",
            current_stage_id=stage.id,
            status=CandidateStatus.ACTIVE,
            stage_entered_at=now,
            created_at=now,
            created_by_id=None,
        )
        self.candidates[candidate.id] = candidate
        return self.loaded_candidate(candidate)

    def interview(
        self,
        candidate: Candidate,
        stage: Stage,
        starts_at: datetime,
        interviewers: Iterable[Person],
        minutes: int = 45,
    ) -> Interview:
        """A scheduled interview of one event, the interviewers and the candidate invited."""
        interview = Interview(
            uid=uuid.uuid4().hex,
            candidate_id=candidate.id,
            stage_id=stage.id,
            status=InterviewStatus.SCHEDULED,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            scheduled_by_id=None,
            decision=None,
            decided_at=None,
            decided_by_id=None,
            decision_requested_at=None,
            created_at=starts_at,
            updated_at=starts_at,
        )
        event = InterviewEvent(
            stage_session_id=stage.sessions[0].id if stage.sessions else None,
            calendar_event_id=f"ib{interview.uid}s1",
            starts_at=interview.starts_at,
            ends_at=interview.ends_at,
        )
        for person in interviewers:
            event.participants.append(
                InterviewParticipant(
                    person_id=person.id,
                    email=person.email or "",
                    kind=ParticipantKind.INTERVIEWER,
                    response_status="accepted",
                )
            )
        event.participants.append(
            InterviewParticipant(
                email=candidate.email, kind=ParticipantKind.CANDIDATE, response_status="accepted"
            )
        )
        interview.events.append(event)
        self.store(interview)
        return self.loaded_interview(interview)

    def feedback_on(
        self,
        interview: Interview,
        author: Person,
        summary: str,
        at: datetime,
        recommendation: Recommendation = Recommendation.YES,
    ) -> Feedback:
        feedback = Feedback(
            id=self.next_id(),
            interview_id=interview.id,
            interviewer_id=author.id,
            version=1,
            is_current=True,
            recommendation=recommendation,
            summary=summary,
            submitted_at=at,
            view_id=None,
            ratings=[],
        )
        self.feedback.append(feedback)
        return feedback

    def scheduling_request(
        self,
        candidate: Candidate,
        stage: Stage,
        requested_by: Person,
        panel: dict[int, list[Person]],
        window: tuple[datetime, datetime],
        now: datetime,
        status: SchedulingStatus = SchedulingStatus.PROPOSED,
    ) -> SchedulingRequest:
        """A request to book `stage`: the interviewers per session position, the window."""
        request = SchedulingRequest(
            id=self.next_id(),
            uid=uuid.uuid4().hex,
            candidate_id=candidate.id,
            stage_id=stage.id,
            requested_by_id=requested_by.id,
            interview_id=None,
            panel={str(position): [p.id for p in people] for position, people in panel.items()},
            window_start=window[0],
            window_end=window[1],
            view_id=None,
            status=status,
            last_error=None,
            created_at=now,
            updated_at=now,
        )
        self.requests[request.uid] = request
        return self.loaded_request(request)

    # -- storing and loading -------------------------------------------------------------------

    def store(self, entity: object) -> None:
        """Give a new row (and the events and participants it holds) its id, and keep it."""
        if isinstance(entity, Interview):
            entity.id = entity.id or self.next_id()
            for event in entity.events:
                event.id = event.id or self.next_id()
                event.interview_id = entity.id
                for participant in event.participants:
                    participant.id = participant.id or self.next_id()
                    participant.interview_event_id = event.id
            self.interviews[entity.id] = entity
        elif isinstance(entity, SchedulingRequest):
            entity.id = entity.id or self.next_id()
            self.requests[entity.uid] = entity
        elif isinstance(entity, Feedback):
            entity.id = entity.id or self.next_id()
            self.feedback.append(entity)
        elif isinstance(entity, AuditEntry):
            entity.id = entity.id or self.next_id()
            self.audit.append(entity)
        else:
            raise TypeError(f"the fake unit of work does not store {type(entity).__name__}")

    def loaded_candidate(self, candidate: Candidate) -> Candidate:
        candidate.role = self.roles[candidate.role_id]
        stage_id = candidate.current_stage_id
        candidate.current_stage = self.stages[stage_id] if stage_id is not None else None
        return candidate

    def loaded_interview(self, interview: Interview) -> Interview:
        interview.candidate = self.loaded_candidate(self.candidates[interview.candidate_id])
        interview.stage = self.stages[interview.stage_id]
        for event in interview.events:
            for participant in event.participants:
                person_id = participant.person_id
                participant.person = self.people.get(person_id) if person_id else None
        return interview

    def loaded_request(self, request: SchedulingRequest) -> SchedulingRequest:
        request.candidate = self.loaded_candidate(self.candidates[request.candidate_id])
        request.stage = self.stages[request.stage_id]
        return request

    def audit_actions(self) -> list[str]:
        return [entry.action for entry in self.audit]


class _Repository:
    def __init__(self, data: HiringData, pending: list[object]) -> None:
        self._data = data
        self._pending = pending

    def add(self, entity: object) -> None:
        """Stage a new row; it gets its id at the next flush."""
        self._pending.append(entity)


class FakePeople(_Repository):
    def person_by_slack_id(self, slack_id: str) -> Person | None:
        return next((p for p in self._data.people.values() if p.slack_id == slack_id), None)

    def person_by_id(self, person_id: int) -> Person | None:
        return self._data.people.get(person_id)

    def people_by_ids(self, ids: Sequence[int]) -> dict[int, Person]:
        return {i: self._data.people[i] for i in ids if i in self._data.people}

    def pools(self) -> list[Pool]:
        return [Pool(key=key, name=name) for key, (name, _) in sorted(self._data.pools.items())]

    def pool_members(self, pool_keys: list[str]) -> dict[str, list[Person]]:
        members = {key: self._data.pools.get(key, ("", []))[1] for key in pool_keys}
        return {
            key: sorted(
                (self._data.people[i] for i in ids if self._data.people[i].is_active is not False),
                key=lambda person: person.name,
            )
            for key, ids in members.items()
        }


class FakeCandidates(_Repository):
    def candidate_by_id(self, candidate_id: int) -> Candidate | None:
        candidate = self._data.candidates.get(candidate_id)
        return self._data.loaded_candidate(candidate) if candidate is not None else None

    def stage_with_sessions(self, stage_id: int) -> Stage | None:
        return self._data.stages.get(stage_id)

    def next_stage(self, stage: Stage) -> Stage | None:
        later = [
            s
            for s in self._data.stages.values()
            if s.role_id == stage.role_id and s.position > stage.position
        ]
        return min(later, key=lambda s: s.position, default=None)


class FakeInterviews(_Repository):
    def remove(self, entity: object) -> None:
        if isinstance(entity, Interview):
            self._data.interviews.pop(entity.id, None)

    def interview_by_id(self, interview_id: int) -> Interview | None:
        interview = self._data.interviews.get(interview_id)
        return self._data.loaded_interview(interview) if interview is not None else None

    def interview_by_uid(self, uid: str) -> Interview | None:
        found = next((i for i in self._data.interviews.values() if i.uid == uid), None)
        return self._data.loaded_interview(found) if found is not None else None

    def hold_for_move(self, interview_id: int, request_uid: str, now: datetime) -> bool:
        interview = self._data.interviews.get(interview_id)
        if interview is None or not (
            interview.status == InterviewStatus.SCHEDULED
            or (interview.status == InterviewStatus.PENDING and interview.uid == request_uid)
        ):
            return False
        interview.status, interview.uid, interview.updated_at = (
            InterviewStatus.PENDING,
            request_uid,
            now,
        )
        return True

    def settle(
        self, interview_id: int, status: InterviewStatus, now: datetime, was: InterviewStatus
    ) -> bool:
        interview = self._data.interviews.get(interview_id)
        if interview is None or interview.status != was:
            return False
        interview.status, interview.updated_at = status, now
        return True

    def stale_pending_bookings(self, stale_before: datetime) -> list[str]:
        pending = {
            i.uid for i in self._data.interviews.values() if i.status == InterviewStatus.PENDING
        }
        return [
            r.uid
            for r in sorted(self._data.requests.values(), key=lambda r: r.updated_at)
            if r.uid in pending
            and r.status in (SchedulingStatus.BOOKING, SchedulingStatus.FAILED)
            and r.updated_at < stale_before
        ]

    def take_over_request(self, uid: str, now: datetime, stale_before: datetime) -> bool:
        request = self._data.requests.get(uid)
        if request is None or not (
            request.status in (SchedulingStatus.BOOKING, SchedulingStatus.FAILED)
            and request.updated_at < stale_before
        ):
            return False
        request.status, request.updated_at = SchedulingStatus.BOOKING, now
        return True

    def interview_with_events(self, interview_id: int) -> Interview | None:
        return self.interview_by_id(interview_id)

    def interview_with_scorecard(self, interview_id: int) -> Interview | None:
        return self.interview_by_id(interview_id)

    def request_by_uid(self, uid: str) -> SchedulingRequest | None:
        request = self._data.requests.get(uid)
        return self._data.loaded_request(request) if request is not None else None

    def claim_request(self, uid: str, now: datetime, stale_before: datetime) -> bool:
        """Move a request to BOOKING unless someone else holds it; True when we got it."""
        request = self._data.requests.get(uid)
        if request is None:
            return False
        claimable = request.status in (SchedulingStatus.PROPOSED, SchedulingStatus.FAILED) or (
            request.status == SchedulingStatus.BOOKING and request.updated_at < stale_before
        )
        if claimable:
            before = request.status, request.updated_at
            self.undo_on_rollback.append(lambda: _restore_claim(request, *before))
            request.status, request.updated_at = SchedulingStatus.BOOKING, now
        return claimable

    # Changes made in place that a rollback (or closing without commit) takes back, as the
    # database would; the other fakes' changes are only ever committed.
    undo_on_rollback: list[Callable[[], None]]

    def lock_participants(self, person_ids: Sequence[int], candidate_id: int) -> None:
        """One thread at a time uses the fake: nothing to lock."""

    def booked_events(
        self,
        person_ids: Sequence[int],
        candidate_id: int,
        start: datetime,
        end: datetime,
        exclude_interview_id: int | None = None,
    ) -> list[BookedEvent]:
        found: list[BookedEvent] = []
        for interview in self._data.interviews.values():
            if interview.status not in HOLDING_TIME or interview.id == exclude_interview_id:
                continue
            for event in interview.events:
                if not (event.starts_at < end and event.ends_at > start):
                    continue
                span = (event.starts_at, event.ends_at)
                if interview.candidate_id == candidate_id:
                    found.append(BookedEvent(interview.id, None, *span))
                found.extend(
                    BookedEvent(interview.id, p.person_id, *span)
                    for p in event.participants
                    if p.kind == ParticipantKind.INTERVIEWER
                    and p.person_id in person_ids
                    and p.response_status != "declined"
                )
        return found

    def active_interview(self, candidate_id: int, stage_id: int) -> Interview | None:
        return next(
            (
                i
                for i in sorted(self._data.interviews.values(), key=lambda i: i.id)
                if i.candidate_id == candidate_id
                and i.stage_id == stage_id
                and i.status in HOLDING_TIME
            ),
            None,
        )

    def interviewer_bookings(
        self, person_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[InterviewerBooking]:
        return [
            InterviewerBooking(
                p.person_id, interview.id, event.starts_at, event.ends_at, interview.created_at
            )
            for interview in self._data.interviews.values()
            if interview.status in HOLDING_TIME
            for event in interview.events
            if event.starts_at < end and event.ends_at > start
            for p in event.participants
            if p.kind == ParticipantKind.INTERVIEWER
            and p.person_id in person_ids
            and p.response_status != "declined"
        ]


class FakeFeedback(_Repository):
    def current_feedback_on_candidate(
        self, candidate_id: int
    ) -> list[tuple[Feedback, Interview, Stage, Person]]:
        rows = [
            (feedback, interview, self._data.stages[interview.stage_id], author)
            for feedback, interview, author in self._current()
            if interview.candidate_id == candidate_id
        ]
        return sorted(rows, key=lambda r: (r[2].position, r[1].starts_at, r[0].submitted_at))

    def stages_with_feedback_by(self, person_id: int, candidate_id: int) -> set[int]:
        return {
            interview.stage_id
            for feedback, interview, _ in self._current()
            if interview.candidate_id == candidate_id and feedback.interviewer_id == person_id
        }

    def panel_stages_of(self, person_id: int, candidate_id: int) -> set[int]:
        return {
            interview.stage_id
            for interview in self._data.interviews.values()
            if interview.candidate_id == candidate_id
            and interview.status != InterviewStatus.CANCELLED
            and any(
                p.person_id == person_id
                and p.kind == ParticipantKind.INTERVIEWER
                and p.response_status != "declined"
                for event in interview.events
                for p in event.participants
            )
        }

    def _current(self) -> list[tuple[Feedback, Interview, Person]]:
        return [
            (
                feedback,
                self._data.interviews[feedback.interview_id],
                self._data.people[feedback.interviewer_id],
            )
            for feedback in self._data.feedback
            if feedback.is_current
        ]


class FakeDecisions(_Repository):
    def claim_decision(
        self, interview_id: int, decision: Decision, decided_by_id: int, now: datetime
    ) -> bool:
        """Record the decision unless one was made already (a hold can still be turned into one)."""
        interview = self._data.interviews.get(interview_id)
        if interview is None or interview.decision not in (None, Decision.HOLD):
            return False
        interview.decision, interview.decided_at = decision, now
        interview.decided_by_id, interview.updated_at = decided_by_id, now
        return True


class FakeAudit(_Repository):
    def record(
        self,
        at: datetime,
        actor_id: int | None,
        action: str,
        subject: tuple[str, int],
        detail: dict[str, object],
    ) -> None:
        subject_type, subject_id = subject
        self._pending.append(
            AuditEntry(
                at=at,
                actor_id=actor_id,
                action=action,
                subject_type=subject_type,
                subject_id=subject_id,
                detail=detail,
            )
        )


class FakeOutbox:
    """The outbox's enqueueing side: messages by key, the first enqueued under a key kept; what a
    unit enqueued is kept when it commits."""

    def __init__(self) -> None:
        self.messages: dict[str, NewMessage] = {}
        self.sent: dict[str, MessageReference] = {}
        self.staged: list[NewMessage] = []

    def enqueue(self, message: NewMessage, now: datetime) -> None:
        self.enqueue_all([message], now)

    def enqueue_all(self, messages: list[NewMessage], now: datetime) -> None:
        self.staged.extend(messages)

    def keep_staged(self) -> None:
        for message in self.staged:
            self.messages.setdefault(message.key, message)
        self.staged.clear()

    def status_of(self, key: str) -> OutboxStatus | None:
        if key in self.sent:
            return OutboxStatus.SENT
        return OutboxStatus.PENDING if key in self.messages else None

    def reference(self, key: str) -> MessageReference | None:
        return self.sent.get(key)

    def keys(self, kind: str | None = None) -> list[str]:
        return [k for k, m in self.messages.items() if kind is None or m.kind == kind]


class FakeUnitOfWork:
    """Stands in for models.unit_of_work.UnitOfWork; `new_uow` stands in for its factory."""

    def __init__(self, data: HiringData | None = None) -> None:
        self.data = data or HiringData()
        self._pending: list[object] = []
        self.people = FakePeople(self.data, self._pending)
        self.candidates = FakeCandidates(self.data, self._pending)
        self.interviews = FakeInterviews(self.data, self._pending)
        self.interviews.undo_on_rollback = []
        self.feedback = FakeFeedback(self.data, self._pending)
        self.decisions = FakeDecisions(self.data, self._pending)
        self.audit = FakeAudit(self.data, self._pending)
        self.outbox = FakeOutbox()
        self.opened = 0
        self.committed = 0
        self.rolled_back = 0
        self.flushed = 0
        self._open = 0

    @property
    def directory(self) -> Directory:
        """The directory of the data as it is now (the fake keeps no copy)."""
        pools = [(key, name, ids) for key, (name, ids) in self.data.pools.items()]
        return directory_of(0, self.data.people.values(), self.data.roles.values(), pools)

    def new_uow(self) -> UnitOfWork:
        """What services are given as `new_uow`: every unit opened shares this fake's data."""
        # UnitOfWork is a concrete class; the fake offers the part of it the services use.
        return cast(UnitOfWork, self)

    def __enter__(self) -> FakeUnitOfWork:
        self.opened += 1
        self._open += 1
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._open -= 1
        self._pending.clear()  # what was added and never flushed is lost, as on a real close
        self.outbox.staged.clear()
        self._take_back()

    def commit(self) -> None:
        self._require_open("commit")
        self._store_pending()
        self.outbox.keep_staged()
        self.interviews.undo_on_rollback.clear()
        self.committed += 1

    def rollback(self) -> None:
        self._require_open("rollback")
        self._pending.clear()
        self.outbox.staged.clear()
        self._take_back()
        self.rolled_back += 1

    def _take_back(self) -> None:
        undo = self.interviews.undo_on_rollback
        while undo:
            undo.pop()()

    def flush(self) -> None:
        self._require_open("flush")
        self._store_pending()
        self.flushed += 1

    def _store_pending(self) -> None:
        for entity in self._pending:
            self.data.store(entity)
        self._pending.clear()

    def _require_open(self, what: str) -> None:
        if self._open <= 0:
            raise RuntimeError(f"{what}() outside the unit of work's `with` block")


def _key(name: str) -> str:
    return "-".join(name.lower().split())


def _restore_claim(request: SchedulingRequest, status: SchedulingStatus, at: datetime) -> None:
    request.status, request.updated_at = status, at
