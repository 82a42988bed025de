"""A hiring week for the digest tests, seen on Tuesday 24 November 2026 at 09:00 Paris.

What the digest must say about it is spelled out next to each candidate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    Candidate,
    CandidateStatus,
    Feedback,
    FeedbackRequest,
    Interview,
    InterviewStatus,
    Person,
    Recommendation,
    TeamRole,
)
from tests import builders

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # Tuesday, 09:00 in Paris
MONDAY = datetime(2026, 11, 23, tzinfo=UTC)


@dataclass(frozen=True)
class Team:
    head: Person
    hr: Person
    eng: Person
    eng2: Person
    cto: Person


def team(session: Session) -> Team:
    return Team(
        head=builders.person(
            session, "U_HEAD", "Hedy Head", TeamRole.HEAD_OF_ENGINEERING, TeamRole.INTERVIEWER
        ),
        hr=builders.person(session, "U_HR", "Hanna HR", TeamRole.RECRUITER, TeamRole.INTERVIEWER),
        eng=builders.person(session, "U_ENG", "Grace Eng", TeamRole.INTERVIEWER),
        eng2=builders.person(session, "U_ENG2", "Linus Eng", TeamRole.INTERVIEWER),
        cto=builders.person(session, "U_CTO", "Carla CTO", TeamRole.INTERVIEWER),
    )


def feedback(
    session: Session, about: Interview, person: Person, recommendation: Recommendation, at: datetime
) -> Feedback:
    """The person's scorecard, and their feedback request marked complete."""
    row = Feedback(
        interview_id=about.id,
        interviewer_id=person.id,
        recommendation=recommendation,
        summary="Seen.",
        submitted_at=at,
    )
    session.add(row)
    request = session.scalar(
        select(FeedbackRequest).where(
            FeedbackRequest.interview_id == about.id, FeedbackRequest.interviewer_id == person.id
        )
    )
    if request is not None:
        request.completed_at = at
    session.flush()
    return row


def hiring_week(session: Session, people: Team, copy: int = 0) -> None:
    """Seven candidates; `copy` > 0 adds another set of them under other names."""

    def candidate(name: str, stage_key: str, days_ago: float) -> Candidate:
        label = f"{name} {copy}" if copy else name
        email = f"{name.lower()}{copy}@example.com"
        return builders.candidate(session, label, email, NOW - timedelta(days=days_ago), stage_key)

    # Ada: an interview today at 14:00 Paris with the recruiter.
    ada = candidate("Ada", "hr-screening", 2)
    builders.interview(session, ada, "hr-screening", NOW + timedelta(hours=5), [people.hr])

    # Bob: interviewed on Monday; one of two scorecards came in on Monday afternoon (new
    # since the last digest); the other is not late yet (the interview ended < 24 h ago).
    bob = candidate("Bob", "hiring-manager", 10)
    monday = builders.interview(
        session, bob, "hiring-manager", MONDAY + timedelta(hours=14), [people.eng, people.eng2], 60
    )
    for person in (people.eng, people.eng2):
        builders.feedback_request(session, monday, person, MONDAY + timedelta(hours=15, minutes=5))
    feedback(session, monday, people.eng, Recommendation.YES, MONDAY + timedelta(hours=16))

    # Cleo: interviewed last Thursday, the engineer still owes feedback: 3 days late.
    cleo = candidate("Cleo", "technical-test", 20)
    thursday = builders.interview(
        session, cleo, "technical-test", NOW - timedelta(days=5, hours=-2), [people.eng], 90
    )
    builders.feedback_request(session, thursday, people.eng, thursday.ends_at)

    # Dan: onsite on Friday, both scorecards in, no decision yet.
    dan = candidate("Dan", "onsite", 25)
    friday = builders.interview(
        session, dan, "onsite", NOW - timedelta(days=4, hours=-1), [people.head, people.cto], 45
    )
    for person in (people.head, people.cto):
        builders.feedback_request(session, friday, person, friday.ends_at)
    feedback(session, friday, people.head, Recommendation.STRONG_YES, friday.ends_at)
    feedback(session, friday, people.cto, Recommendation.YES, NOW - timedelta(days=3))

    # Eve: the decision makers were asked on Monday and have not decided.
    eve = candidate("Eve", "onsite", 40)
    last_week = builders.interview(
        session, eve, "onsite", NOW - timedelta(days=8), [people.head], 45
    )
    last_week.decision_requested_at = MONDAY + timedelta(hours=10)

    # Finn: rejected; counts in the funnel only.
    finn = candidate("Finn", "hr-screening", 8)
    finn.status = CandidateStatus.REJECTED
    screened = builders.interview(
        session, finn, "hr-screening", NOW - timedelta(days=6), [people.hr]
    )
    screened.decision = "reject"

    # Gus: his interview tomorrow was cancelled: no load, but he is in the pipeline.
    gus = candidate("Gus", "hr-screening", 1)
    cancelled = builders.interview(
        session, gus, "hr-screening", NOW + timedelta(days=1), [people.eng]
    )
    cancelled.status = InterviewStatus.CANCELLED
    session.flush()
