"""Block Kit pieces of the feedback flow: its action ids, buttons and a scorecard as blocks."""

from __future__ import annotations

from typing import Any

from bot.feedback.visibility import FeedbackView
from handlers.shared.blocks import (
    Block,
    button,
    context,
    mention,
    section,
    slack_time,
)
from handlers.shared.text import escape
from models.hiring import Recommendation

OPEN_SCORECARD = "open_scorecard"
SEE_FEEDBACK = "see_feedback"
SECTION_LIMIT = 2900
NOTE_LIMIT = 500

RECOMMENDATION_LABELS = {
    Recommendation.STRONG_NO: "Strong no",
    Recommendation.NO: "No",
    Recommendation.YES: "Yes",
    Recommendation.STRONG_YES: "Strong yes",
}


def give_feedback_button(interview_id: int, label: str = "Give feedback") -> dict[str, Any]:
    return button(label, OPEN_SCORECARD, str(interview_id), style="primary")


def see_feedback_button(
    interview_id: int, label: str = "See colleagues' feedback"
) -> dict[str, Any]:
    return button(label, SEE_FEEDBACK, str(interview_id))


def clipped(text: str, limit: int = SECTION_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(text: str) -> str:
    return "\n".join(f">{line}" for line in text.splitlines() or [""])


def scorecard_blocks(view: FeedbackView) -> list[Block]:
    """One interviewer's scorecard: who, recommendation, ratings with notes, summary."""
    amended = f", version {view.version}" if view.version > 1 else ""
    head = (
        f"{mention(view.author_slack_id)} · {escape(view.stage_name)} · "
        f"*{RECOMMENDATION_LABELS[view.recommendation]}*"
    )
    lines = [
        f"• {r.competency_name}: *{r.rating}/4*"
        + (f" ({escape(r.note, NOTE_LIMIT)})" if r.note else "")
        for r in view.ratings
    ]
    return [
        section(clipped("\n".join([head, *lines]))),
        section(clipped(quoted(escape(view.summary, SECTION_LIMIT)))),
        context(f"Submitted {slack_time(view.submitted_at)}{amended}"),
    ]
