"""Reading the scorecard modal's submission (view state) into a draft, whatever shape it has."""

from __future__ import annotations

from typing import Any

from bot.feedback.answers import RECOMMENDATION, SUMMARY
from handlers.shared.ids import id_or_none
from handlers.shared.state import metadata, selected_value, state_values, text_value
from models.feedback_schemas import ScorecardDraft

RATING_PREFIX = "rating:"
NOTE_PREFIX = "note:"


def scorecard_draft(view: dict[str, Any]) -> ScorecardDraft:
    """Raises ValueError (pydantic's ValidationError is one) when the view is not ours."""
    written = metadata(view)
    interview_id = id_or_none(written.get("interview_id"))
    base_version = id_or_none(written.get("base_version", 0))
    if interview_id is None or base_version is None:
        raise ValueError("the modal's private_metadata is not the one we wrote")
    values = state_values(view)
    blocks = [block_id for block_id in values if isinstance(block_id, str)]
    view_id = view.get("id")
    return ScorecardDraft(
        interview_id=interview_id,
        base_version=base_version,
        view_id=view_id if isinstance(view_id, str) else "",
        ratings={
            b.removeprefix(RATING_PREFIX): selected_value(values, b)
            for b in blocks
            if b.startswith(RATING_PREFIX)
        },
        notes={
            b.removeprefix(NOTE_PREFIX): text_value(values, b)
            for b in blocks
            if b.startswith(NOTE_PREFIX)
        },
        recommendation=selected_value(values, RECOMMENDATION),
        summary=text_value(values, SUMMARY),
    )
