"""What Slack's users.info says about someone: name, email and time zone."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.team.people import SlackProfile

log = logging.getLogger(__name__)


def slack_profile(client: WebClient, slack_id: str) -> SlackProfile | None:
    """Name, email and time zone from Slack's users.info (None when Slack cannot say)."""
    try:
        user = client.users_info(user=slack_id)["user"]
    except SlackApiError as error:
        log.warning("users.info failed for %s: %s", slack_id, error.response.get("error"))
        return None
    profile = user.get("profile") or {}
    return SlackProfile(
        slack_id=slack_id,
        name=user.get("real_name") or profile.get("real_name") or user.get("name", ""),
        email=profile.get("email"),
        timezone=user.get("tz"),
    )
