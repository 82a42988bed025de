"""The words of a decision card the outbox delivers (Block Kit from handlers/decisions/message)."""

from __future__ import annotations

from typing import Any

from bot.decisions.asking import DecisionCard
from handlers.decisions.message import decision_message


class SlackDecisionComposer:
    def card_payload(self, card: DecisionCard) -> dict[str, Any]:
        return decision_message(card)
