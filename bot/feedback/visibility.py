"""Independent opinions: the one place feedback is read, and who may see which scorecard.

Anyone on a stage's panel sees colleagues' feedback for that stage only once their own for it is
in, whatever their role, so nobody anchors on others' opinions. Otherwise hiring managers,
recruiters, the Head of Engineering and admins see all of it, interviewers the stages they gave
feedback on. Everyone sees their own. Each read is audited (who, which interview, which scorecards:
never their text).
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


FEEDBACK_READ = "feedback.read"


@dataclass(frozen=True)
class Viewer:
    person_id: int | None
    sees_everything: bool
    stages_submitted: frozenset[int]
    panel_stages: frozenset[int] = frozenset()
    """The candidate's stages whose panel the viewer is on."""

    @property
    def concerned(self) -> bool:
        """May open the candidate's feedback at all (else they are told nothing)."""
        return self.sees_everything or bool(self.panel_stages | self.stages_submitted)


def may_see(viewer: Viewer, author_id: int, stage_id: int) -> bool:
    if author_id == viewer.person_id or stage_id in viewer.stages_submitted:
        return True
    return viewer.sees_everything and stage_id not in viewer.panel_stages


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
    return _visible(uow, _viewer(uow, viewer_slack_id, candidate_id), candidate_id, stage_id)


def stage_feedback_read(
    uow: UnitOfWork, viewer_slack_id: str, interview_id: int, stage_id: int, now: datetime
) -> CandidateFeedback:
    """The stage's feedback as the viewer may see it, from one of its interviews; audited."""
    interview = uow.interviews.interview_with_scorecard(interview_id)
    if interview is None:
        return CandidateFeedback((), 0)
    viewer = _viewer(uow, viewer_slack_id, interview.candidate_id)
    seen = _visible(uow, viewer, interview.candidate_id, stage_id)
    audit_read(uow, viewer, interview_id, seen, now)
    return seen


def _visible(
    uow: UnitOfWork, viewer: Viewer, candidate_id: int, stage_id: int | None = None
) -> CandidateFeedback:
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


def feedback_page(
    uow: UnitOfWork, viewer_slack_id: str, interview_id: int, now: datetime
) -> FeedbackPage | None:
    """All the feedback on the candidate of this interview that the viewer may see, the read
    audited; None when the interview is unknown or the viewer has no business with it."""
    interview = uow.interviews.interview_with_scorecard(interview_id)
    if interview is None:
        return None
    viewer = _viewer(uow, viewer_slack_id, interview.candidate_id)
    if not viewer.concerned:
        return None
    feedback = _visible(uow, viewer, interview.candidate_id)
    audit_read(uow, viewer, interview_id, feedback, now)
    return FeedbackPage(interview.candidate.name, feedback)


def audit_read(
    uow: UnitOfWork, viewer: Viewer, interview_id: int, seen: CandidateFeedback, now: datetime
) -> None:
    """Who read whose scorecards, from which interview (nothing of what they say); reading
    one's own is not recorded."""
    read = [view.feedback_id for view in seen.visible if view.author_id != viewer.person_id]
    if read:
        uow.audit.record(
            now,
            viewer.person_id,
            FEEDBACK_READ,
            ("interview", interview_id),
            {"feedback_ids": read},
        )


@dataclass(frozen=True)
class OwnFeedback:
    interview_id: int
    candidate_id: int
    candidate_name: str
    stage_id: int
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
            stage_id=stage.id,
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


def shared_stages(uow: UnitOfWork, person_id: int, candidate_id: int) -> set[int]:
    """The candidate's stages where someone else's scorecard is in besides this person's."""
    return {
        stage.id
        for _, _, stage, author in uow.feedback.current_feedback_on_candidate(candidate_id)
        if author.id != person_id
    }


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
        panel_stages=frozenset(uow.feedback.panel_stages_of(person.id, candidate_id)),
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
