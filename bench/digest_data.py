"""A synthetic hiring history for the digest benchmark, bulk-inserted with Core executemany.

Two years of candidates through the default pipeline (HR screening, hiring manager, technical
test, onsite): 10,000 candidates, 50,000 interviews, 150,000 feedback at full scale. Rows carry
their primary keys so that child rows can point at them without reading anything back.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, insert, select
from sqlalchemy.orm import Session

from models import (
    Candidate,
    CandidateStatus,
    DigestDelivery,
    Feedback,
    FeedbackRequest,
    Interview,
    InterviewEvent,
    InterviewParticipant,
    InterviewStatus,
    ParticipantKind,
    Person,
    Recommendation,
    Stage,
)

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # Tuesday, 09:00 in Paris
HISTORY_DAYS = 730
INTERVIEWERS = 80
CHUNK = 5_000
# Share of candidates whose furthest stage is HR screening, hiring manager, technical, onsite.
FURTHEST_STAGE = (0.35, 0.30, 0.20, 0.15)
RECOMMENDATIONS = list(Recommendation)


@dataclass(frozen=True)
class Scale:
    candidates: int
    interviews: int
    feedback: int


FULL = Scale(candidates=10_000, interviews=50_000, feedback=150_000)
QUICK = Scale(candidates=1_000, interviews=5_000, feedback=15_000)


@dataclass
class Rows:
    people: list[dict[str, Any]] = field(default_factory=list)
    candidates: list[dict[str, Any]] = field(default_factory=list)
    interviews: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    participants: list[dict[str, Any]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    feedback: list[dict[str, Any]] = field(default_factory=list)

    def tables(self) -> Iterator[tuple[Table, list[dict[str, Any]]]]:
        yield _table(Person), self.people
        yield _table(Candidate), self.candidates
        yield _table(Interview), self.interviews
        yield _table(InterviewEvent), self.events
        yield _table(InterviewParticipant), self.participants
        yield _table(FeedbackRequest), self.requests
        yield _table(Feedback), self.feedback


def _table(model: type[Any]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def stage_ids(session: Session) -> list[int]:
    return list(session.scalars(select(Stage.id).order_by(Stage.role_id, Stage.position)))


def generate(scale: Scale, stages: list[int], seed: int = 5) -> Rows:
    rng = random.Random(seed)
    rows = Rows()
    rows.people = [_person(n) for n in range(1, INTERVIEWERS + 1)]
    furthest = rng.choices(range(len(stages)), weights=FURTHEST_STAGE, k=scale.candidates)
    for number, reached in enumerate(furthest, start=1):
        rows.candidates.append(_candidate(rng, number, stages, reached))
    plan = [(c, k) for c, r in zip(rows.candidates, furthest, strict=True) for k in range(r + 1)]
    while len(plan) < scale.interviews:  # second sessions and reschedules
        candidate = rng.choice(rows.candidates)
        plan.append((candidate, stages.index(candidate["current_stage_id"])))
    for number, (candidate, position) in enumerate(plan[: scale.interviews], start=1):
        _add_interview(rng, rows, number, candidate, stages[position], position)
    _amend_to(rng, rows, scale.feedback)
    return rows


def _person(number: int) -> dict[str, Any]:
    return {
        "id": number,
        "slack_id": f"U{number:06d}",
        "email": f"interviewer{number}@example.com",
        "name": f"Interviewer {number}",
        "timezone": "Europe/Paris",
        "weekly_interview_cap": 6 if number % 3 == 0 else None,
        "is_active": True,
    }


def _candidate(rng: random.Random, number: int, stages: list[int], reached: int) -> dict[str, Any]:
    created = NOW - timedelta(days=rng.uniform(0, HISTORY_DAYS))
    entered = min(created + timedelta(days=7 * reached + rng.uniform(0, 3)), NOW)
    settled = NOW - entered > timedelta(days=21)
    status = CandidateStatus.ACTIVE
    if settled:
        status = (
            CandidateStatus.HIRED
            if reached == 3 and rng.random() < 0.3
            else (CandidateStatus.REJECTED)
        )
    return {
        "id": number,
        "role_id": 1,
        "name": f"Candidate {number}",
        "email": f"candidate{number}@example.com",
        "current_stage_id": stages[reached],
        "status": status,
        "stage_entered_at": entered,
        "created_at": created,
    }


def _add_interview(
    rng: random.Random,
    rows: Rows,
    number: int,
    candidate: dict[str, Any],
    stage_id: int,
    position: int,
) -> None:
    day = candidate["created_at"] + timedelta(days=7 * position + rng.uniform(0, 6))
    starts = day.replace(hour=rng.randint(8, 15), minute=rng.choice((0, 30)), second=0)
    starts = starts.replace(microsecond=0)
    ends = starts + timedelta(minutes=45 * (3 if position == 3 else 1))
    cancelled = rng.random() < 0.08
    done = not cancelled and ends < NOW
    status = (
        InterviewStatus.CANCELLED
        if cancelled
        else InterviewStatus.COMPLETED
        if done
        else InterviewStatus.SCHEDULED
    )
    old = NOW - ends > timedelta(days=7)
    rows.interviews.append(
        {
            "id": number,
            "uid": f"bench{number:08d}",
            "candidate_id": candidate["id"],
            "stage_id": stage_id,
            "status": status,
            "starts_at": starts,
            "ends_at": ends,
            "decision": rng.choice(("advance", "reject")) if done and old else None,
            "decision_requested_at": ends + timedelta(hours=30) if done and old else None,
            "created_at": starts - timedelta(days=3),
            "updated_at": starts - timedelta(days=3),
        }
    )
    panel = rng.sample(range(1, INTERVIEWERS + 1), 3)
    _add_events(rows, number, starts, panel, loop=position == 3)
    if done:
        _add_feedback(rng, rows, number, ends, panel)


def _add_events(
    rows: Rows, interview_id: int, starts: datetime, panel: list[int], loop: bool
) -> None:
    sessions = [[person] for person in panel] if loop else [panel]
    for index, people in enumerate(sessions):
        event_id = len(rows.events) + 1
        begin = starts + timedelta(minutes=55 * index)
        length = timedelta(minutes=45 if loop else 60)
        rows.events.append(
            {
                "id": event_id,
                "interview_id": interview_id,
                "calendar_event_id": f"bench{interview_id}x{index}",
                "starts_at": begin,
                "ends_at": begin + length,
            }
        )
        for person in people:
            rows.participants.append(_participant(event_id, person))
        rows.participants.append(
            {
                "interview_event_id": event_id,
                "person_id": None,
                "email": f"candidate-of-{interview_id}@example.com",
                "kind": ParticipantKind.CANDIDATE,
                "response_status": "accepted",
            }
        )


def _participant(event_id: int, person: int) -> dict[str, Any]:
    return {
        "interview_event_id": event_id,
        "person_id": person,
        "email": f"interviewer{person}@example.com",
        "kind": ParticipantKind.INTERVIEWER,
        "response_status": "accepted",
    }


def _add_feedback(
    rng: random.Random, rows: Rows, interview_id: int, ends: datetime, panel: list[int]
) -> None:
    for person in panel:
        late = NOW - ends < timedelta(days=10) and rng.random() < 0.15
        submitted = ends + timedelta(hours=rng.uniform(1, 40))
        given = not late and submitted < NOW
        rows.requests.append(
            {
                "interview_id": interview_id,
                "interviewer_id": person,
                "due_at": ends + timedelta(minutes=10),
                "sent_at": ends + timedelta(minutes=10),
                "completed_at": submitted if given else None,
            }
        )
        if given:
            rows.feedback.append(_feedback(rng, interview_id, person, submitted, 1))


def _feedback(
    rng: random.Random, interview_id: int, person: int, at: datetime, version: int
) -> dict[str, Any]:
    return {
        "id": None,
        "interview_id": interview_id,
        "interviewer_id": person,
        "version": version,
        "is_current": True,
        "recommendation": rng.choice(RECOMMENDATIONS),
        "summary": "Solid on architecture; less so on event flows.",
        "submitted_at": at,
    }


def _amend_to(rng: random.Random, rows: Rows, total: int) -> None:
    """Amended scorecards (a second version, the first kept) until `total` feedback rows."""
    originals = list(rows.feedback)
    del rows.feedback[total:]
    rng.shuffle(originals)
    for original in originals[: max(total - len(rows.feedback), 0)]:
        original["is_current"] = False
        amended = dict(original, version=2, is_current=True)
        amended["submitted_at"] = min(original["submitted_at"] + timedelta(hours=2), NOW)
        rows.feedback.append(amended)
    for number, row in enumerate(rows.feedback, start=1):
        row["id"] = number


def insert_all(connection: Connection, rows: Rows) -> dict[str, int]:
    counts = {}
    for table, data in rows.tables():
        for chunk in _chunks(data, CHUNK):
            connection.execute(insert(table), chunk)
        counts[table.name] = len(data)
    connection.execute(
        insert(_table(DigestDelivery)),
        [
            {
                "digest_date": date(2026, 11, 23),
                "recipient": "U000001",
                "claimed_at": NOW - timedelta(days=1),
                "sent_at": NOW - timedelta(days=1),
            }
        ],
    )
    return counts


def _chunks(data: list[dict[str, Any]], size: int) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(data), size):
        yield data[start : start + size]
