"""What a decision card says, built by the Slack side (handlers/decisions/composer.py).

The service enqueues the cards (and their updates once someone decides) in the outbox, in the
transaction that asks or decides; the outbox delivers them.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.decisions.asking import DecisionCard


class DecisionComposer(Protocol):
    def card_payload(self, card: DecisionCard) -> dict[str, Any]:
        """The card as chat.postMessage / chat.update arguments (`text`, `blocks`)."""
        ...
