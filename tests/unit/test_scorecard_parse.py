"""Reading the scorecard modal's state, exactly as Slack sends it on submit."""

from __future__ import annotations

import pytest

from handlers.feedback.parse import scorecard_draft
from tests.e2e.feedback_world import scorecard_values
from tests.fakes.slack_requests import view_submission


def _view(metadata: str, values: dict[str, dict[str, dict[str, object]]]) -> dict[str, object]:
    payload = view_submission("scorecard", values, private_metadata=metadata, view_id="V9").payload
    view: dict[str, object] = payload["view"]
    return view


def test_ratings_notes_recommendation_and_summary_are_read_per_block() -> None:
    values = scorecard_values(
        ratings={"security": "2", "robustness": None},
        notes={"security": "no threat model"},
        recommendation="strong_no",
        summary="Not ready.",
    )
    draft = scorecard_draft(_view('{"interview_id": 4, "base_version": 2}', values))
    assert (draft.interview_id, draft.base_version, draft.view_id) == (4, 2, "V9")
    assert draft.ratings == {"security": "2", "robustness": None}
    assert draft.notes == {"security": "no threat model", "robustness": ""}
    assert (draft.recommendation, draft.summary) == ("strong_no", "Not ready.")


@pytest.mark.parametrize("metadata", ["", "[]", "not json", '{"interview_id": "x"}'])
def test_a_view_that_is_not_a_scorecard_is_refused(metadata: str) -> None:
    with pytest.raises(ValueError):
        scorecard_draft(_view(metadata, scorecard_values()))
