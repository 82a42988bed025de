"""The one-click replacement of an interviewer who declined, from the calendar change notice."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.scheduling.service import TEMPORARY_PROBLEM, SchedulingError
from calendars.provider import CalendarError
from handlers.shared.blocks import mention, section
from handlers.shared.context import services

log = logging.getLogger(__name__)

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
        changed = container.scheduling.replace_interviewer(
            int(choice["interview_id"]), int(choice["leaving"]), int(choice["joining"]), user
        )
    except SchedulingError as error:
        client.chat_postEphemeral(channel=channel, user=user, text=str(error))
        return
    except Exception as error:  # the notice keeps its buttons: clicking again finishes it
        log.exception("could not replace an interviewer of interview %s", choice["interview_id"])
        reason = str(error) if isinstance(error, CalendarError) else TEMPORARY_PROBLEM
        text = f"The replacement did not go through ({reason}). Try again in a moment."
        client.chat_postEphemeral(channel=channel, user=user, text=text)
        return
    text = f"{mention(choice['slack_id'])} replaces the interviewer who declined; invited."
    client.chat_update(channel=channel, ts=ts, text=text, blocks=[section(text)])
    container.outbox.deliver(changed.message_keys)
