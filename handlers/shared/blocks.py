"""Small Block Kit building blocks shared by every view."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers.shared.text import clip

Block = dict[str, Any]

# Block Kit's limits on plain text: a label or a header, a button's or an option's text.
LABEL_LIMIT = 150
BUTTON_TEXT_LIMIT = 75


def plain(text: str, emoji: bool = True, limit: int = LABEL_LIMIT) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit), "emoji": emoji}


def option(label: str, value: str) -> dict[str, Any]:
    return {"text": plain(label, limit=BUTTON_TEXT_LIMIT), "value": value}


def section(markdown: str) -> Block:
    """A section; text past Slack's 3,000 characters is cut rather than refused by Slack."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(markdown)}}


def context(markdown: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(markdown)}]}


def slack_time(
    moment: datetime,
    fallback_format: str = "%a %d %b %Y %H:%M UTC",
    tokens: str = "{date_short_pretty} {time}",
) -> str:
    """Slack's date token: every reader sees the time in their own time zone."""
    fallback = moment.strftime(fallback_format)
    return f"<!date^{int(moment.timestamp())}^{tokens}|{fallback}>"


def mention(slack_id: str) -> str:
    return f"<@{slack_id}>"


def button(label: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(label, limit=BUTTON_TEXT_LIMIT),
        "action_id": action_id,
        "value": value,
    }
    if style is not None:
        element["style"] = style
    return element


def actions(block_id: str, *elements: dict[str, Any]) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}
