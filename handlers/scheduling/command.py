"""/schedule-interview [text]: opens the scheduling modal (the trigger expires in 3 s)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.scheduling.form import NotAllowed
from handlers.scheduling.schedule_modal import NOT_ALLOWED_TEXT, schedule_modal
from handlers.shared.context import services


def schedule_interview(
    ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    try:
        form = services(context).scheduling.schedule_form(
            command["user_id"], command.get("text", "")
        )
    except NotAllowed:
        ack(response_type="ephemeral", text=NOT_ALLOWED_TEXT)
        return
    ack()
    client.views_open(
        trigger_id=command["trigger_id"],
        view=schedule_modal(form, channel_id=command.get("channel_id", "")),
    )
