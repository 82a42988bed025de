"""/schedule-interview [text]: opens the scheduling modal (the trigger expires in 3 s).

The caller's role is checked first (from the in-memory directory), so that a refusal is the
acknowledgement itself; anyone else is acknowledged before the form is built."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.scheduling.form import NotAllowed
from handlers.scheduling.schedule_modal import NOT_ALLOWED_TEXT, schedule_modal
from handlers.shared.context import services
from models.schemas import EMAIL_MAX


def schedule_interview(
    ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    # The text names a candidate (a name or an email): anything longer names nobody.
    text = str(command.get("text") or "")[:EMAIL_MAX]
    try:
        form = services(context).scheduling.schedule_form(
            context.user_id or "", text, on_allowed=ack
        )
    except NotAllowed:
        ack(response_type="ephemeral", text=NOT_ALLOWED_TEXT)
        return
    client.views_open(
        trigger_id=str(command.get("trigger_id") or ""),
        view=schedule_modal(form, channel_id=str(command.get("channel_id") or "")),
    )
