"""The side-by-side view of an interview's scorecards that decision makers read (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.decisions.disagreement import disagree, recommendations_disagree
from bot.feedback.scorecard import Question
from bot.feedback.visibility import FeedbackView
from models.hiring import Recommendation


@dataclass(frozen=True)
class CompetencyRow:
    name: str
    scores: tuple[tuple[str, int], ...]
    """(interviewer Slack id, rating), in interviewer order; missing ratings are left out."""
    disagree: bool


@dataclass(frozen=True)
class DecisionSummary:
    interviewers: tuple[str, ...]
    competencies: tuple[CompetencyRow, ...]
    recommendations: tuple[tuple[str, Recommendation], ...]
    recommendations_disagree: bool
    summaries: tuple[tuple[str, str], ...]

    @property
    def disagreements(self) -> list[str]:
        return [row.name for row in self.competencies if row.disagree]


def scorecards_side_by_side(
    feedback: Sequence[FeedbackView], questions: Sequence[Question]
) -> DecisionSummary:
    ordered = sorted(feedback, key=lambda view: (view.submitted_at, view.author_slack_id))
    rows = []
    for question in questions:
        scores = tuple(
            (view.author_slack_id, rating.rating)
            for view in ordered
            for rating in view.ratings
            if rating.competency_key == question.key
        )
        rows.append(CompetencyRow(question.name, scores, disagree(s for _, s in scores)))
    return DecisionSummary(
        interviewers=tuple(view.author_slack_id for view in ordered),
        competencies=tuple(rows),
        recommendations=tuple((view.author_slack_id, view.recommendation) for view in ordered),
        recommendations_disagree=recommendations_disagree(v.recommendation for v in ordered),
        summaries=tuple((view.author_slack_id, view.summary) for view in ordered),
    )
