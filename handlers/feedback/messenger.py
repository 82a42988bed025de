"""The feedback jobs' messages out to Slack: request DMs, reminders in their thread, escalations."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.feedback.reminders import Escalation, ReminderDue
from bot.feedback.requests import FeedbackAsk
from bot.shared.delivery import DeliveryFailed, PostedMessage
from handlers.feedback.request_message import (
    escalation_message,
    feedback_request_message,
    reminder_message,
)
from handlers.shared.slack_calls import SLACK_FAILURES


class SlackFeedbackMessenger:
    """Raises DeliveryFailed when Slack did not take a message after the client's retries."""

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def post_request(self, ask: FeedbackAsk) -> PostedMessage:
        try:
            answer = self._client.chat_postMessage(
                channel=ask.interviewer_slack_id, **feedback_request_message(ask)
            )
        except SLACK_FAILURES as failure:
            raise DeliveryFailed(str(failure)) from failure
        # Slack answers a post to a user id with the DM's channel id, where reminders go.
        return PostedMessage(channel=str(answer["channel"]), ts=str(answer["ts"]))

    def post_reminder(self, reminder: ReminderDue) -> None:
        try:
            self._client.chat_postMessage(
                channel=reminder.channel,
                thread_ts=reminder.thread_ts,
                reply_broadcast=True,
                **reminder_message(reminder),
            )
        except SLACK_FAILURES as failure:
            raise DeliveryFailed(str(failure)) from failure

    def tell_about_late_feedback(self, recipient_slack_id: str, escalation: Escalation) -> None:
        try:
            self._client.chat_postMessage(
                channel=recipient_slack_id, **escalation_message(escalation)
            )
        except SLACK_FAILURES as failure:
            raise DeliveryFailed(str(failure)) from failure
