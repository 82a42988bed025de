"""Checking a submitted scorecard: every competency rated 1-4, a recommendation, a summary.

Problems come back per field ("rating:<competency key>", "note:<key>", "recommendation",
"summary"), so the modal can show each next to its input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from models.feedback_schemas import ScorecardDraft
from models.hiring import Recommendation

RATINGS = (1, 2, 3, 4)
NOTE_MAX = 1000
SUMMARY_MAX = 3000
RECOMMENDATION = "recommendation"
SUMMARY = "summary"


def rating_field(competency_key: str) -> str:
    return f"rating:{competency_key}"


def note_field(competency_key: str) -> str:
    return f"note:{competency_key}"


@dataclass(frozen=True)
class Answers:
    ratings: dict[str, int]
    notes: dict[str, str]
    recommendation: Recommendation
    summary: str


class InvalidScorecard(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(sorted(errors)))
        self.errors = errors


def checked_answers(draft: ScorecardDraft, competency_keys: Sequence[str]) -> Answers:
    errors: dict[str, str] = {}
    ratings: dict[str, int] = {}
    notes: dict[str, str] = {}
    for key in competency_keys:
        rating = _rating(draft.ratings.get(key))
        if rating is None:
            errors[rating_field(key)] = "Rate this from 1 to 4."
        else:
            ratings[key] = rating
        note = draft.notes.get(key, "").strip()
        if len(note) > NOTE_MAX:
            errors[note_field(key)] = f"Keep the note under {NOTE_MAX:,} characters."
        notes[key] = note
    recommendation = _recommendation(draft.recommendation)
    if recommendation is None:
        errors[RECOMMENDATION] = "Choose an overall recommendation."
    summary = draft.summary.strip()
    if not summary:
        errors[SUMMARY] = "Write a short summary of your assessment."
    elif len(summary) > SUMMARY_MAX:
        errors[SUMMARY] = f"Keep the summary under {SUMMARY_MAX:,} characters."
    if errors or recommendation is None:
        raise InvalidScorecard(errors)
    return Answers(ratings, notes, recommendation, summary)


def _rating(raw: str | None) -> int | None:
    if raw is None or not raw.strip().isdigit():
        return None
    value = int(raw)
    return value if value in RATINGS else None


def _recommendation(raw: str | None) -> Recommendation | None:
    try:
        return Recommendation(raw) if raw else None
    except ValueError:
        return None
