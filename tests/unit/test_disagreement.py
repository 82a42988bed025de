"""Disagreement detection and the decision summary built on it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.decisions.disagreement import (
    disagree,
    disagreements,
    recommendations_disagree,
    spread,
)
from bot.decisions.summary import scorecards_side_by_side
from bot.feedback.scorecard import Question
from bot.feedback.visibility import FeedbackView, RatingView
from models.hiring import Recommendation

RATINGS = st.lists(st.integers(min_value=1, max_value=4), max_size=6)


def test_two_points_apart_is_a_disagreement_one_is_not() -> None:
    assert disagree([1, 3])
    assert disagree([4, 3, 2])
    assert not disagree([3, 4])
    assert not disagree([2])
    assert not disagree([])


def test_disagreements_name_the_competencies_in_order() -> None:
    table = {"architecture": [3, 1], "security": [3, 3], "leadership": [4, 2, 3]}
    assert disagreements(table) == ["architecture", "leadership"]


def test_recommendations_are_compared_on_the_same_four_point_scale() -> None:
    assert recommendations_disagree([Recommendation.NO, Recommendation.STRONG_YES])
    assert recommendations_disagree([Recommendation.STRONG_NO, Recommendation.YES])
    assert not recommendations_disagree([Recommendation.YES, Recommendation.STRONG_YES])
    assert not recommendations_disagree([Recommendation.NO, Recommendation.YES])


@given(RATINGS)
def test_flagged_exactly_when_highest_and_lowest_are_two_apart(scores: list[int]) -> None:
    assert disagree(scores) == (bool(scores) and max(scores) - min(scores) >= 2)


@given(RATINGS, st.randoms())
def test_order_does_not_matter(scores: list[int], random: object) -> None:
    shuffled = list(scores)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert spread(shuffled) == spread(scores)


@given(RATINGS, st.integers(min_value=1, max_value=4))
def test_adding_a_score_never_removes_a_disagreement(scores: list[int], extra: int) -> None:
    if disagree(scores):
        assert disagree([*scores, extra])


def _view(who: str, minutes: int, rec: Recommendation, **ratings: int) -> FeedbackView:
    return FeedbackView(
        feedback_id=minutes,
        interview_id=1,
        stage_id=1,
        stage_name="Technical test",
        author_id=minutes,
        author_slack_id=who,
        version=1,
        recommendation=rec,
        summary=f"{who} summary",
        submitted_at=datetime(2026, 11, 24, 12, tzinfo=UTC) + timedelta(minutes=minutes),
        ratings=tuple(RatingView(key, key.title(), score, "") for key, score in ratings.items()),
    )


def test_the_summary_puts_ratings_side_by_side_in_scorecard_order() -> None:
    questions = [Question("security", "Security", ""), Question("events", "Events", "")]
    summary = scorecards_side_by_side(
        [
            _view("U_B", 2, Recommendation.NO, security=3, events=1),
            _view("U_A", 1, Recommendation.STRONG_YES, security=3, events=4),
        ],
        questions,
    )
    assert summary.interviewers == ("U_A", "U_B")
    assert [(row.name, row.scores, row.disagree) for row in summary.competencies] == [
        ("Security", (("U_A", 3), ("U_B", 3)), False),
        ("Events", (("U_A", 4), ("U_B", 1)), True),
    ]
    assert summary.disagreements == ["Events"]
    assert summary.recommendations_disagree
    assert summary.summaries == (("U_A", "U_A summary"), ("U_B", "U_B summary"))
