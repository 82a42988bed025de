"""Reading the scorecard modal's submission (view state) into a draft."""

from __future__ import annotations

import json
from typing import Any

from bot.feedback.answers import RECOMMENDATION, SUMMARY
from handlers.shared.state import element_state
from models.feedback_schemas import ScorecardDraft

RATING_PREFIX = "rating:"
NOTE_PREFIX = "note:"


def scorecard_draft(view: dict[str, Any]) -> ScorecardDraft:
    """Raises ValueError (pydantic's ValidationError is one) when the view is not ours."""
    metadata = json.loads(view.get("private_metadata") or "{}")
    if not isinstance(metadata, dict):
        raise ValueError("private_metadata is not an object")
    values: dict[str, dict[str, dict[str, Any]]] = view.get("state", {}).get("values", {})
    ratings: dict[str, str | None] = {}
    notes: dict[str, str] = {}
    for block_id, elements in values.items():
        element = next(iter(elements.values()), {})
        if block_id.startswith(RATING_PREFIX):
            ratings[block_id.removeprefix(RATING_PREFIX)] = _selected(element)
        elif block_id.startswith(NOTE_PREFIX):
            notes[block_id.removeprefix(NOTE_PREFIX)] = element.get("value") or ""
    return ScorecardDraft(
        interview_id=metadata.get("interview_id"),
        base_version=metadata.get("base_version", 0),
        view_id=view.get("id", ""),
        ratings=ratings,
        notes=notes,
        recommendation=_selected(element_state(values, RECOMMENDATION)),
        summary=element_state(values, SUMMARY).get("value") or "",
    )


def _selected(element: dict[str, Any]) -> str | None:
    option = element.get("selected_option")
    return str(option["value"]) if isinstance(option, dict) and "value" in option else None
