"""The App Home tab, published each time someone opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from handlers.feedback.home_tab import home_view
from handlers.shared.context import services


def publish_home(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    if event.get("tab", "home") != "home":
        return
    user_id = event["user"]
    home = services(context).feedback.home(user_id)
    client.views_publish(
        user_id=user_id, view=home_view(home.overview, with_team=home.viewer_is_admin)
    )
