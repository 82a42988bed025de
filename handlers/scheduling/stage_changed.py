"""Picking another stage in the modal prefills that stage's default interviewers."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.scheduling.form import NotAllowed
from handlers.scheduling.schedule_modal import schedule_modal
from handlers.shared.context import services


def stage_changed(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    context: BoltContext,
) -> None:
    ack()
    view = body["view"]
    stage_id = int((action.get("selected_option") or {}).get("value", "0"))
    try:
        form = services(context).scheduling.schedule_form(body["user"]["id"], stage_id=stage_id)
    except NotAllowed:
        return
    channel_id = json.loads(view.get("private_metadata") or "{}").get("channel_id", "")
    # A new block id makes Slack show the new defaults instead of the previous picks.
    client.views_update(
        view_id=view["id"],
        hash=view.get("hash"),
        view=schedule_modal(form, channel_id, interviewers_block=f"interviewers-{stage_id}"),
    )
