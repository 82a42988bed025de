"""Decision messages out to Slack: chat.postMessage to ask, chat.update once decided."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.decisions.asking import DecisionCard
from bot.shared.delivery import DeliveryFailed, PostedMessage
from handlers.decisions.message import decision_message
from handlers.shared.slack_calls import SLACK_FAILURES


class SlackDecisionMessenger:
    """A user id gets a DM from the app; Slack answers with the DM's channel, which updates need."""

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def post(self, recipient_slack_id: str, card: DecisionCard) -> PostedMessage:
        try:
            response = self._client.chat_postMessage(
                channel=recipient_slack_id, **decision_message(card)
            )
        except SLACK_FAILURES as exc:
            raise DeliveryFailed(f"decision message to {recipient_slack_id}: {exc}") from exc
        return PostedMessage(channel=str(response["channel"]), ts=str(response["ts"]))

    def update(self, message: PostedMessage, card: DecisionCard) -> None:
        try:
            self._client.chat_update(
                channel=message.channel, ts=message.ts, **decision_message(card)
            )
        except SLACK_FAILURES as exc:
            raise DeliveryFailed(f"decision message {message.channel}/{message.ts}: {exc}") from exc
