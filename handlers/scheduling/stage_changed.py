"""Picking another stage in the modal prefills that stage's default interviewers."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.scheduling.form import NotAllowed
from handlers.scheduling.schedule_modal import schedule_modal
from handlers.shared.context import services
from handlers.shared.ids import id_or_none
from handlers.shared.state import metadata


def stage_changed(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    context: BoltContext,
) -> None:
    ack()
    view = body.get("view")
    option = action.get("selected_option")
    stage_id = id_or_none(option.get("value") if isinstance(option, dict) else None)
    if not isinstance(view, dict) or not isinstance(view.get("id"), str) or stage_id is None:
        return
    try:
        form = services(context).scheduling.schedule_form(context.user_id or "", stage_id=stage_id)
    except NotAllowed:
        return
    channel_id = metadata(view).get("channel_id")
    # A new block id makes Slack show the new defaults instead of the previous picks.
    client.views_update(
        view_id=view["id"],
        hash=view.get("hash"),
        view=schedule_modal(
            form,
            channel_id if isinstance(channel_id, str) else "",
            interviewers_block=f"interviewers-{stage_id}",
        ),
    )
