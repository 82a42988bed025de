"""The one-click replacement of an interviewer who declined, from the calendar change notice."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.scheduling.service import TEMPORARY_PROBLEM, SchedulingError
from bot.team.people import NOT_AVAILABLE
from calendars.provider import CalendarError
from handlers.shared.blocks import mention, section
from handlers.shared.context import services
from handlers.shared.ids import id_or_none
from handlers.shared.replies import MISPLACED, reply_privately

log = logging.getLogger(__name__)

REPLACE_ACTION = re.compile(r"^replace_interviewer_\d+$")
# What the button's `slack_id` may hold: it is shown as a mention once the replacement is done.
SLACK_USER_ID = re.compile(r"[UW][A-Za-z0-9_]{1,40}")


def replace_interviewer(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    ack()
    container = services(context)
    user = body["user"]["id"]
    where = body.get("container")
    where = where if isinstance(where, dict) else {}
    channel, ts = where.get("channel_id"), where.get("message_ts")
    if not isinstance(channel, str) or not isinstance(ts, str):  # the notice is a message
        reply_privately(client, respond, user, MISPLACED)
        return
    choice = _replacement(action)
    if choice is None:
        client.chat_postEphemeral(channel=channel, user=user, text=NOT_AVAILABLE)
        return
    try:
        changed = container.scheduling.replace_interviewer(
            choice["interview_id"], choice["leaving"], choice["joining"], user
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
    text = f"{mention(str(choice['slack_id']))} replaces the interviewer who declined; invited."
    client.chat_update(channel=channel, ts=ts, text=text, blocks=[section(text)])
    container.outbox.deliver(changed.message_keys)


def _replacement(action: dict[str, Any]) -> dict[str, Any] | None:
    """The button's choice (interview, leaving, joining, slack_id); None when unreadable."""
    raw = action.get("value")
    try:
        choice = json.loads(raw) if isinstance(raw, str) else None
    except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
        return None
    if not isinstance(choice, dict):
        return None
    ids = {key: id_or_none(choice.get(key)) for key in ("interview_id", "leaving", "joining")}
    slack_id = choice.get("slack_id")
    if None in ids.values() or not isinstance(slack_id, str):
        return None
    return {**ids, "slack_id": slack_id} if SLACK_USER_ID.fullmatch(slack_id) else None
