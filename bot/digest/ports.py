"""What the digest needs from the outside world: an outbox that delivers digests (Slack)."""

from __future__ import annotations

from typing import Protocol

from bot.digest.model import Digest
from bot.shared.delivery import PostedMessage


class DigestOutbox(Protocol):
    """Where digests go (Slack in production); raises when a message cannot be delivered."""

    def post(self, recipient: str, digest: Digest) -> PostedMessage: ...

    def attach_chart(self, posted: PostedMessage, digest: Digest) -> None: ...
