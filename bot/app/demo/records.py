"""What the database holds about the demo's candidate: the facts the story and summary tell."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from bot.container import Container
from models import Candidate, Feedback, Interview, InterviewEvent, Person, Role, Stage


@dataclass(frozen=True)
class StageInfo:
    key: str
    name: str


@dataclass(frozen=True)
class Booked:
    interview_id: int
    stage: StageInfo
    starts_at: datetime
    ends_at: datetime
    events: int
    scorecards: int
    decision: str | None
    decided_by: str | None


@dataclass(frozen=True)
class Outcome:
    candidate: str
    email: str
    role: str
    status: str
    interviews: list[Booked]


def pipeline(container: Container, role_key: str) -> list[StageInfo]:
    with container.unit_of_work() as uow:
        stages = uow.session.scalars(
            select(Stage).join(Role).where(Role.key == role_key).order_by(Stage.position)
        )
        return [StageInfo(stage.key, stage.name) for stage in stages]


def booked(container: Container, email: str) -> list[Booked]:
    """The candidate's interviews, in the order they took place."""
    with container.unit_of_work() as uow:
        s = uow.session
        interviews = s.scalars(
            select(Interview)
            .join(Candidate)
            .where(Candidate.email == email)
            .order_by(Interview.starts_at)
        ).all()
        found = []
        for interview in interviews:
            events = s.scalar(
                select(func.count()).where(InterviewEvent.interview_id == interview.id)
            )
            scorecards = s.scalar(
                select(func.count()).where(
                    Feedback.interview_id == interview.id, Feedback.is_current.is_(True)
                )
            )
            decider = s.get(Person, interview.decided_by_id) if interview.decided_by_id else None
            found.append(
                Booked(
                    interview.id,
                    StageInfo(interview.stage.key, interview.stage.name),
                    interview.starts_at,
                    interview.ends_at,
                    int(events or 0),
                    int(scorecards or 0),
                    interview.decision.value if interview.decision else None,
                    decider.slack_id if decider else None,
                )
            )
        return found


def outcome(container: Container, email: str) -> Outcome:
    interviews = booked(container, email)
    with container.unit_of_work() as uow:
        candidate = uow.session.scalars(select(Candidate).where(Candidate.email == email)).one()
        return Outcome(
            candidate.name,
            candidate.email,
            candidate.role.title,
            candidate.status.value,
            interviews,
        )
