"""Who may see a scorecard, and what a submitted scorecard must contain."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.feedback.answers import InvalidScorecard, checked_answers
from bot.feedback.visibility import Viewer, may_see
from models.feedback_schemas import ScorecardDraft
from models.hiring import Recommendation

KEYS = ("architecture", "security")


def test_an_interviewer_sees_a_colleagues_scorecard_only_for_stages_they_submitted() -> None:
    viewer = Viewer(person_id=1, sees_everything=False, stages_submitted=frozenset({10}))
    assert may_see(viewer, author_id=2, stage_id=10)
    assert not may_see(viewer, author_id=2, stage_id=11)
    assert may_see(viewer, author_id=1, stage_id=11)  # their own, always


def test_decision_makers_see_everything() -> None:
    manager = Viewer(person_id=5, sees_everything=True, stages_submitted=frozenset())
    assert may_see(manager, author_id=2, stage_id=11)


@given(st.integers(1, 4), st.frozensets(st.integers(1, 4)), st.frozensets(st.integers(1, 4)))
def test_on_a_stages_panel_even_a_decision_maker_waits_for_their_own_feedback(
    stage: int, panels: frozenset[int], submitted: frozenset[int]
) -> None:
    head = Viewer(5, True, submitted, panel_stages=panels | submitted)
    expected = stage in submitted or stage not in panels | submitted
    assert may_see(head, author_id=2, stage_id=stage) == expected


@given(
    st.integers(1, 5),
    st.integers(1, 5),
    st.integers(1, 4),
    st.frozensets(st.integers(1, 4)),
)
def test_without_the_privilege_seeing_needs_authorship_or_own_feedback_on_the_stage(
    viewer_id: int, author: int, stage: int, submitted: frozenset[int]
) -> None:
    viewer = Viewer(viewer_id, False, submitted)
    assert may_see(viewer, author, stage) == (author == viewer_id or stage in submitted)


def _draft(**changes: object) -> ScorecardDraft:
    values: dict[str, object] = {
        "interview_id": 1,
        "base_version": 0,
        "view_id": "V1",
        "ratings": {"architecture": "3", "security": "4"},
        "notes": {"security": " mTLS everywhere "},
        "recommendation": "yes",
        "summary": " Good. ",
    }
    values.update(changes)
    return ScorecardDraft.model_validate(values)


def test_a_complete_scorecard_is_accepted_and_trimmed() -> None:
    answers = checked_answers(_draft(), KEYS)
    assert answers.ratings == {"architecture": 3, "security": 4}
    assert answers.notes == {"architecture": "", "security": "mTLS everywhere"}
    assert answers.recommendation == Recommendation.YES
    assert answers.summary == "Good."


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"recommendation": None}, {"recommendation"}),
        ({"recommendation": "maybe"}, {"recommendation"}),
        ({"summary": "   "}, {"summary"}),
        ({"summary": "x" * 3001}, {"summary"}),
        (
            {"ratings": {"architecture": "0", "security": "five"}},
            {"rating:architecture", "rating:security"},
        ),
        ({"ratings": {"architecture": "3"}}, {"rating:security"}),
        ({"notes": {"security": "n" * 1001}}, {"note:security"}),
    ],
)
def test_each_problem_is_reported_on_its_field(
    changes: dict[str, object], fields: set[str]
) -> None:
    with pytest.raises(InvalidScorecard) as raised:
        checked_answers(_draft(**changes), KEYS)
    assert set(raised.value.errors) == fields
