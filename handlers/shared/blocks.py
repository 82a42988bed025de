"""Small Block Kit building blocks shared by every view."""

from __future__ import annotations

from datetime import datetime
from typing import Any

Block = dict[str, Any]


def plain(text: str, emoji: bool = True) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:150] if len(text) > 150 else text, "emoji": emoji}


def option(label: str, value: str) -> dict[str, Any]:
    return {"text": plain(label[:75]), "value": value}


def section(markdown: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": markdown}}


def context(markdown: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": markdown}]}


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
        "text": plain(label),
        "action_id": action_id,
        "value": value,
    }
    if style is not None:
        element["style"] = style
    return element


def actions(block_id: str, *elements: dict[str, Any]) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}
