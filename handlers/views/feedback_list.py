"""The ephemeral answer to /interview-feedback."""

from __future__ import annotations

from typing import Any

from bot.feedback import PendingFeedback
from handlers.views.blocks import section, slack_time

NOTHING_PENDING = "You have no pending interview feedback. :tada:"


def pending_feedback_message(pending: list[PendingFeedback]) -> dict[str, Any]:
    if not pending:
        return {
            "response_type": "ephemeral",
            "text": NOTHING_PENDING,
            "blocks": [section(NOTHING_PENDING)],
        }
    title = f"You owe feedback for {len(pending)} interview{'s' if len(pending) > 1 else ''}:"
    blocks = [section(f"*{title}*")]
    for item in pending:
        blocks.append(_pending_block(item))
    return {"response_type": "ephemeral", "text": title, "blocks": blocks}


def _pending_block(item: PendingFeedback) -> dict[str, Any]:
    block = section(
        f"*{item.candidate_name}* ({item.stage_name}), ended {slack_time(item.ended_at)}"
    )
    block["accessory"] = {
        "type": "button",
        "text": {"type": "plain_text", "text": "Give feedback"},
        "action_id": "open_scorecard",
        "value": str(item.interview_id),
        "style": "primary",
    }
    return block
