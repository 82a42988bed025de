"""Answering a click privately wherever it came from: a message's `response_url` when Slack sent
one, else a DM (a click inside a modal comes with no `response_url`)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

MISPLACED = "That button does not work from here. Nothing was changed."


def reply_privately(client: WebClient, respond: Respond, user_id: str, text: str) -> None:
    if respond.response_url:
        respond(text=text, response_type="ephemeral", replace_original=False)
    else:
        client.chat_postMessage(channel=user_id, text=text)


def clicked_view_id(body: dict[str, Any]) -> str | None:
    """The id of the modal the click was made in; None for a click in a message."""
    view = body.get("view")
    found = view.get("id") if isinstance(view, dict) else None
    return found if isinstance(found, str) and found else None
