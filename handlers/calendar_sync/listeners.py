"""Telling schedulers what changed in the calendar, and the one-click replacement."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.calendar_sync.sync import CalendarSync, Notice
from bot.container import Container
from bot.scheduling.service import SchedulingError
from handlers.calendar_sync.change_message import change_message
from handlers.scheduling.booking_messages import interviewer_message
from handlers.scheduling.notify import post_confirmation, tell_interviewers
from handlers.shared.blocks import mention, section
from handlers.shared.context import services

log = logging.getLogger(__name__)
REPLACE_ACTION = re.compile(r"^replace_interviewer_\d+$")


def run_calendar_sync(container: Container) -> list[Notice]:
    """The calendar sync job: follow the calendar, then tell whoever scheduled."""
    sync = CalendarSync(
        container.unit_of_work, container.calendar, container.clock, container.scheduling
    )
    notices = sync.run()
    for notice in notices:
        _tell(container, notice)
    return notices


def _tell(container: Container, notice: Notice) -> None:
    scheduler = notice.summary.scheduled_by_slack_id
    if scheduler is None:
        log.warning(
            "no one to tell about %s of interview %s",
            notice.change.kind,
            notice.summary.interview_id,
        )
        return
    client = container.slack
    try:
        client.chat_postMessage(channel=scheduler, **change_message(notice))
        if notice.change.kind in ("moved", "deleted"):
            note = "Changed in the calendar, outside the bot."
            post_confirmation(client, container.scheduling, notice.summary, to=scheduler, note=note)
        if notice.change.kind == "deleted":
            tell_interviewers(client, notice.summary, "cancelled")
    except SlackApiError as error:
        # The change is recorded; the scheduler still sees it on the confirmation later.
        log.warning("could not tell %s: %s", scheduler, error.response.get("error"))


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
