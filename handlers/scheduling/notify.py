"""Telling people about bookings: the scheduler's confirmation and the interviewers' DMs."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.scheduling.service import SchedulingService
from bot.scheduling.summary import InterviewSummary
from bot.shared.delivery import PostedMessage
from handlers.scheduling.booking_messages import confirmation_message, interviewer_message

log = logging.getLogger(__name__)


def send_confirmation(
    client: WebClient, summary: InterviewSummary, to: str, note: str = ""
) -> PostedMessage | None:
    """Update the booking's confirmation in place, or post it (to `to`) the first time; returns
    where it was posted when it is new, to be remembered."""
    message = confirmation_message(summary, note)
    if summary.confirmation_channel and summary.confirmation_ts:
        client.chat_update(
            channel=summary.confirmation_channel, ts=summary.confirmation_ts, **message
        )
        return None
    answer = client.chat_postMessage(channel=to, **message)
    return PostedMessage(channel=str(answer["channel"]), ts=str(answer["ts"]))


def post_confirmation(
    client: WebClient,
    scheduling: SchedulingService,
    summary: InterviewSummary,
    to: str,
    note: str = "",
) -> None:
    """Send the confirmation (see send_confirmation) and remember where a new one went."""
    posted = send_confirmation(client, summary, to, note)
    if posted is not None:
        scheduling.remember_confirmation(summary.interview_id, posted.channel, posted.ts)


def tell_interviewers(client: WebClient, summary: InterviewSummary, change: str) -> list[str]:
    """DM each interviewer; returns those who could not be reached (after the client's retries)."""
    unreachable = []
    for slack_id in summary.interviewer_slack_ids:
        try:
            client.chat_postMessage(channel=slack_id, **interviewer_message(summary, change))
        except SlackApiError as error:
            log.warning(
                "could not DM %s about interview %s: %s",
                slack_id,
                summary.interview_id,
                error.response.get("error"),
            )
            unreachable.append(slack_id)
    return unreachable


def unreachable_note(slack_ids: list[str]) -> str:
    """For the scheduler: whom Slack would not let us DM, so they tell them another way."""
    if not slack_ids:
        return ""
    people = ", ".join(f"<@{slack_id}>" for slack_id in slack_ids)
    return f"Slack did not deliver the DM to {people}: please tell them yourself."
