"""The App Home tab, published each time someone opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.feedback.overview import feedback_overview
from bot.team.members import is_admin
from handlers.feedback.home_tab import home_view
from handlers.shared.context import services


def publish_home(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    if event.get("tab", "home") != "home":
        return
    container = services(context)
    user_id = event["user"]
    with container.unit_of_work() as uow:
        overview = feedback_overview(uow, user_id, container.clock.now())
        admin = is_admin(uow, user_id)
    client.views_publish(user_id=user_id, view=home_view(overview, with_team=admin))
