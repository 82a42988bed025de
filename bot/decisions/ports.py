"""How decisions reach the decision makers: Slack in production (handlers/decisions/messenger)."""

from __future__ import annotations

from typing import Protocol

from bot.decisions.asking import DecisionCard
from bot.shared.delivery import PostedMessage


class DecisionMessenger(Protocol):
    """Posts and updates decision messages; raises bot.shared.delivery.DeliveryFailed when Slack
    did not take one."""

    def post(self, recipient_slack_id: str, card: DecisionCard) -> PostedMessage:
        """Send `card` to a decision maker (a DM for a user id); returns where it went."""
        ...

    def update(self, message: PostedMessage, card: DecisionCard) -> None:
        """Make a message already posted show `card`."""
        ...
