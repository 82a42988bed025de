"""The App Home tab: what is on my plate."""

from __future__ import annotations

from typing import Any

from bot.feedback.overview import FeedbackOverview
from handlers.feedback.rows import MAX_ROWS, other_sections, pending_row
from handlers.privacy.views import privacy_home_blocks
from handlers.shared.blocks import Block, context, section
from handlers.team.modal import home_team_blocks


def home_view(overview: FeedbackOverview, with_team: bool = False) -> dict[str, Any]:
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Interviews and feedback"}},
        section("*Feedback you owe*"),
    ]
    if overview.pending:
        blocks.extend(pending_row(item) for item in overview.pending[:MAX_ROWS])
    else:
        blocks.append(context("Nothing pending. :tada:"))
    blocks.extend(other_sections(overview))
    team = [*home_team_blocks(), *privacy_home_blocks(True)] if with_team else []
    return {"type": "home", "blocks": blocks[: 100 - len(team)] + team}
