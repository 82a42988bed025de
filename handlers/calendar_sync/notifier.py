"""The calendar sync's notices out to Slack (implements bot.calendar_sync.ports)."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.calendar_sync.sync import Notice
from bot.scheduling.summary import InterviewSummary
from bot.shared.delivery import DeliveryFailed, PostedMessage
from handlers.calendar_sync.change_message import change_message
from handlers.scheduling.notify import send_confirmation, tell_interviewers
from handlers.shared.slack_calls import SLACK_FAILURES

CHANGED_OUTSIDE_THE_BOT = "Changed in the calendar, outside the bot."


def _reason(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error"))
    return f"{type(error).__name__}: {error}"


class SlackCalendarChangeNotifier:
    def __init__(self, client: WebClient) -> None:
        self._client = client

    def tell_scheduler(self, scheduler_slack_id: str, notice: Notice) -> None:
        try:
            self._client.chat_postMessage(channel=scheduler_slack_id, **change_message(notice))
        except SLACK_FAILURES as error:
            raise DeliveryFailed(_reason(error)) from error

    def refresh_confirmation(
        self, summary: InterviewSummary, scheduler_slack_id: str
    ) -> PostedMessage | None:
        try:
            return send_confirmation(
                self._client, summary, to=scheduler_slack_id, note=CHANGED_OUTSIDE_THE_BOT
            )
        except SLACK_FAILURES as error:
            raise DeliveryFailed(_reason(error)) from error

    def tell_interviewers_cancelled(self, summary: InterviewSummary) -> None:
        try:
            tell_interviewers(self._client, summary, "cancelled")
        except SLACK_FAILURES as error:
            raise DeliveryFailed(_reason(error)) from error
