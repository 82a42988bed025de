"""The independent-opinions rule across stages, through the service and the database."""

from __future__ import annotations

from datetime import timedelta

from bot.container import Container
from bot.feedback.visibility import feedback_on_candidate, feedback_page, own_feedback_since
from models import Feedback, FeedbackRating, Recommendation, TeamRole
from tests import builders
from tests.clock import FixedClock


def _feedback(interview_id: int, person_id: int, summary: str, at: object) -> Feedback:
    return Feedback(
        interview_id=interview_id,
        interviewer_id=person_id,
        version=1,
        is_current=True,
        recommendation=Recommendation.YES,
        summary=summary,
        submitted_at=at,
        ratings=[],
    )


def test_own_feedback_on_one_stage_does_not_unlock_another_stage(
    container: Container, clock: FixedClock
) -> None:
    now = clock.now()
    with container.unit_of_work() as uow:
        s = uow.session
        grace = builders.person(s, "U_G", "Grace", TeamRole.INTERVIEWER)
        linus = builders.person(s, "U_L", "Linus", TeamRole.INTERVIEWER)
        hanna = builders.person(s, "U_H", "Hanna", TeamRole.INTERVIEWER)
        ada = builders.candidate(s, "Ada", "ada@example.com", now, "hiring-manager")
        screening = builders.interview(s, ada, "hr-screening", now - timedelta(days=7), [hanna])
        review = builders.interview(
            s, ada, "hiring-manager", now - timedelta(hours=2), [grace, linus]
        )
        s.add_all(
            [
                _feedback(screening.id, hanna.id, "screening notes", now - timedelta(days=7)),
                _feedback(review.id, grace.id, "grace on the review", now - timedelta(hours=1)),
                _feedback(review.id, linus.id, "linus on the review", now - timedelta(hours=1)),
            ]
        )
        uow.commit()
        candidate_id, review_id = ada.id, review.id

    with container.unit_of_work() as uow:
        grace_sees = feedback_on_candidate(uow, "U_G", candidate_id)
        hanna_sees = feedback_on_candidate(uow, "U_H", candidate_id)
        stage_only = feedback_on_candidate(uow, "U_G", candidate_id, stage_id=None)
        page = feedback_page(uow, "U_H", review_id, now)
        own = own_feedback_since(uow, "U_G", now - timedelta(days=1))
    assert sorted(v.summary for v in grace_sees.visible) == [
        "grace on the review",
        "linus on the review",
    ]
    assert grace_sees.hidden_count == 1
    assert [v.summary for v in hanna_sees.visible] == ["screening notes"]
    assert hanna_sees.hidden_count == 2
    assert stage_only == grace_sees
    assert page is not None and page.feedback == hanna_sees and page.candidate_name == "Ada"
    assert [(o.candidate_name, o.stage_name) for o in own] == [("Ada", "Hiring manager interview")]


def test_ratings_come_with_their_competency(container: Container, clock: FixedClock) -> None:
    now = clock.now()
    with container.unit_of_work() as uow:
        s = uow.session
        grace = builders.person(s, "U_G", "Grace", TeamRole.HIRING_MANAGER)
        ada = builders.candidate(s, "Ada", "ada@example.com", now, "hr-screening")
        screening = builders.interview(s, ada, "hr-screening", now, [grace])
        item = builders.stage(s, "hr-screening").scorecard[0]
        feedback = _feedback(screening.id, grace.id, "fine", now)
        feedback.ratings = [FeedbackRating(competency_id=item.competency_id, rating=4, note="n")]
        s.add(feedback)
        uow.commit()
        candidate_id = ada.id
    with container.unit_of_work() as uow:
        [view] = feedback_on_candidate(uow, "U_G", candidate_id).visible
    [rating] = view.ratings
    assert (rating.competency_key, rating.rating, rating.note) == ("motivation", 4, "n")
