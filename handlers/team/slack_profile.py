"""What Slack's users.info says about someone: name, email and time zone."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.team.people import SlackProfile
from handlers.shared.slack_calls import SLACK_FAILURES

log = logging.getLogger(__name__)


def slack_profile(client: WebClient, slack_id: str) -> SlackProfile | None:
    """Name, email and time zone from Slack's users.info (None when Slack cannot say)."""
    try:
        user = client.users_info(user=slack_id)["user"]
    except SlackApiError as error:
        log.warning("users.info failed for %s: %s", slack_id, error.response.get("error"))
        return None
    except SLACK_FAILURES as error:
        log.warning("users.info failed for %s: %s", slack_id, type(error).__name__)
        return None
    profile = user.get("profile") or {}
    return SlackProfile(
        slack_id=slack_id,
        name=_text(user.get("real_name") or profile.get("real_name") or user.get("name")),
        email=_text(profile.get("email")) or None,
        timezone=_text(user.get("tz")) or None,
    )


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
