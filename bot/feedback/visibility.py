"""Independent opinions: the one place feedback is read, and who may see which scorecard.

An interviewer sees colleagues' feedback for a stage only once their own for that stage is in, so
nobody anchors on others' opinions. Hiring managers, recruiters, the Head of Engineering and admins
see all of it. Everyone sees their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from models.hiring import Feedback, Person, Recommendation, TeamRole
from models.unit_of_work import UnitOfWork

SEES_ALL_FEEDBACK = (
    TeamRole.HIRING_MANAGER,
    TeamRole.RECRUITER,
    TeamRole.HEAD_OF_ENGINEERING,
    TeamRole.ADMIN,
)


@dataclass(frozen=True)
class Viewer:
    person_id: int | None
    sees_everything: bool
    stages_submitted: frozenset[int]


def may_see(viewer: Viewer, author_id: int, stage_id: int) -> bool:
    return (
        viewer.sees_everything
        or author_id == viewer.person_id
        or stage_id in viewer.stages_submitted
    )


@dataclass(frozen=True)
class RatingView:
    competency_key: str
    competency_name: str
    rating: int
    note: str


@dataclass(frozen=True)
class FeedbackView:
    feedback_id: int
    interview_id: int
    stage_id: int
    stage_name: str
    author_id: int
    author_slack_id: str
    version: int
    recommendation: Recommendation
    summary: str
    submitted_at: datetime
    ratings: tuple[RatingView, ...]


@dataclass(frozen=True)
class CandidateFeedback:
    """What the viewer may read, and how many scorecards stay hidden until theirs is in."""

    visible: tuple[FeedbackView, ...]
    hidden_count: int

    def for_interview(self, interview_id: int) -> list[FeedbackView]:
        return [view for view in self.visible if view.interview_id == interview_id]


def feedback_on_candidate(
    uow: UnitOfWork, viewer_slack_id: str, candidate_id: int, stage_id: int | None = None
) -> CandidateFeedback:
    """Current feedback on a candidate (optionally one stage) as `viewer_slack_id` may see it."""
    viewer = _viewer(uow, viewer_slack_id, candidate_id)
    visible: list[FeedbackView] = []
    hidden = 0
    for feedback, interview, stage, author in uow.feedback.current_feedback_on_candidate(
        candidate_id
    ):
        if stage_id is not None and stage.id != stage_id:
            continue
        if may_see(viewer, author.id, stage.id):
            visible.append(_view(feedback, interview.id, stage.id, stage.name, author))
        else:
            hidden += 1
    return CandidateFeedback(tuple(visible), hidden)


@dataclass(frozen=True)
class FeedbackPage:
    candidate_name: str
    feedback: CandidateFeedback


def feedback_page(uow: UnitOfWork, viewer_slack_id: str, interview_id: int) -> FeedbackPage | None:
    """All the feedback on the candidate of this interview that the viewer may see."""
    interview = uow.interviews.interview_with_scorecard(interview_id)
    if interview is None:
        return None
    feedback = feedback_on_candidate(uow, viewer_slack_id, interview.candidate_id)
    return FeedbackPage(interview.candidate.name, feedback)


@dataclass(frozen=True)
class OwnFeedback:
    interview_id: int
    candidate_id: int
    candidate_name: str
    stage_name: str
    recommendation: Recommendation
    version: int
    submitted_at: datetime
    first_submitted_at: datetime


def own_feedback_since(uow: UnitOfWork, slack_id: str, since: datetime) -> list[OwnFeedback]:
    """The viewer's own current feedback (always visible to them), newest first."""
    person = uow.people.person_by_slack_id(slack_id)
    if person is None:
        return []
    first = uow.feedback.first_submissions(person.id)
    return [
        OwnFeedback(
            interview_id=interview.id,
            candidate_id=candidate.id,
            candidate_name=candidate.name,
            stage_name=stage.name,
            recommendation=feedback.recommendation,
            version=feedback.version,
            submitted_at=feedback.submitted_at,
            first_submitted_at=first.get(interview.id, feedback.submitted_at),
        )
        for feedback, interview, candidate, stage in uow.feedback.current_feedback_by(
            person.id, since
        )
    ]


def viewer_sees_everything(person: Person | None) -> bool:
    return person is not None and person.is_active and person.has_role(*SEES_ALL_FEEDBACK)


def _viewer(uow: UnitOfWork, slack_id: str, candidate_id: int) -> Viewer:
    person = uow.people.person_by_slack_id(slack_id)
    if person is None:
        return Viewer(None, False, frozenset())
    return Viewer(
        person_id=person.id,
        sees_everything=viewer_sees_everything(person),
        stages_submitted=frozenset(uow.feedback.stages_with_feedback_by(person.id, candidate_id)),
    )


def _view(
    feedback: Feedback, interview_id: int, stage_id: int, stage_name: str, author: Person
) -> FeedbackView:
    ratings = sorted(feedback.ratings, key=lambda r: r.competency_id)
    return FeedbackView(
        feedback_id=feedback.id,
        interview_id=interview_id,
        stage_id=stage_id,
        stage_name=stage_name,
        author_id=author.id,
        author_slack_id=author.slack_id,
        version=feedback.version,
        recommendation=feedback.recommendation,
        summary=feedback.summary,
        submitted_at=feedback.submitted_at,
        ratings=tuple(
            RatingView(r.competency.key, r.competency.name, r.rating, r.note) for r in ratings
        ),
    )
