"""The ephemeral answer to /interview-feedback."""

from __future__ import annotations

from typing import Any

from bot.feedback.overview import FeedbackOverview
from handlers.feedback.rows import MAX_ROWS, other_sections, pending_row
from handlers.shared.blocks import section

NOTHING_PENDING = "You have no pending interview feedback. :tada:"


def pending_feedback_message(overview: FeedbackOverview) -> dict[str, Any]:
    pending = overview.pending
    if not pending:
        title = NOTHING_PENDING
        blocks = [section(NOTHING_PENDING)]
    else:
        plural = "s" if len(pending) > 1 else ""
        title = f"You owe feedback for {len(pending)} interview{plural}:"
        blocks = [section(f"*{title}*"), *(pending_row(item) for item in pending[:MAX_ROWS])]
    blocks.extend(other_sections(overview))
    return {"response_type": "ephemeral", "text": title, "blocks": blocks}
