"""What the feedback listeners share: Slack failures to survive, ids read from buttons."""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackClientError

from handlers.shared.ids import id_or_none

# A Slack call that still fails after the client's retries (rate limits, 5xx, connections).
SLACK_FAILURES = (SlackClientError, OSError)


def interview_id_of(action: dict[str, Any]) -> int | None:
    return id_or_none(action.get("value"))
