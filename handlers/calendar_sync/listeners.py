"""The one-click replacement of an interviewer who declined, from the calendar change notice."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.scheduling.service import SchedulingError
from handlers.scheduling.booking_messages import interviewer_message
from handlers.scheduling.notify import post_confirmation
from handlers.shared.blocks import mention, section
from handlers.shared.context import services

REPLACE_ACTION = re.compile(r"^replace_interviewer_\d+$")


def replace_interviewer(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    context: BoltContext,
) -> None:
    ack()
    container = services(context)
    choice = json.loads(action["value"])
    user = body["user"]["id"]
    channel = body["container"]["channel_id"]
    ts = body["container"]["message_ts"]
    try:
        summary = container.scheduling.replace_interviewer(
            int(choice["interview_id"]), int(choice["leaving"]), int(choice["joining"]), user
        )
    except SchedulingError as error:
        client.chat_postEphemeral(channel=channel, user=user, text=str(error))
        return
    text = f"{mention(choice['slack_id'])} replaces the interviewer who declined; invited."
    client.chat_update(channel=channel, ts=ts, text=text, blocks=[section(text)])
    post_confirmation(client, container.scheduling, summary, to=user)
    client.chat_postMessage(channel=choice["slack_id"], **interviewer_message(summary, "booked"))
