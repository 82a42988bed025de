"""Where interviewers disagree: ratings (or recommendations) 2 points apart or more."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

from models.hiring import Recommendation

DISAGREEMENT_GAP = 2
RECOMMENDATION_POINTS = {
    Recommendation.STRONG_NO: 1,
    Recommendation.NO: 2,
    Recommendation.YES: 3,
    Recommendation.STRONG_YES: 4,
}

Key = TypeVar("Key")


def spread(scores: Iterable[int]) -> int:
    """Highest minus lowest score; 0 for fewer than two scores."""
    values = list(scores)
    return max(values) - min(values) if len(values) > 1 else 0


def disagree(scores: Iterable[int]) -> bool:
    return spread(scores) >= DISAGREEMENT_GAP


def disagreements(scores_by_key: Mapping[Key, Sequence[int]]) -> list[Key]:
    """The keys (competencies) whose scores disagree, in the mapping's order."""
    return [key for key, scores in scores_by_key.items() if disagree(scores)]


def recommendations_disagree(recommendations: Iterable[Recommendation]) -> bool:
    return disagree(RECOMMENDATION_POINTS[r] for r in recommendations)
