"""The App Home tab: what is on my plate."""

from __future__ import annotations

from typing import Any

from bot.feedback_overview import FeedbackOverview
from handlers.views.blocks import Block, context, section
from handlers.views.feedback_rows import MAX_ROWS, other_sections, pending_row


def home_view(overview: FeedbackOverview) -> dict[str, Any]:
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Interviews and feedback"}},
        section("*Feedback you owe*"),
    ]
    if overview.pending:
        blocks.extend(pending_row(item) for item in overview.pending[:MAX_ROWS])
    else:
        blocks.append(context("Nothing pending. :tada:"))
    blocks.extend(other_sections(overview))
    return {"type": "home", "blocks": blocks[:100]}
