"""What the digest needs from the outside world: an outbox that delivers digests (Slack)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.digest.model import Digest


@dataclass(frozen=True)
class PostedDigest:
    channel: str
    ts: str


class DigestOutbox(Protocol):
    """Where digests go (Slack in production); raises when a message cannot be delivered."""

    def post(self, recipient: str, digest: Digest) -> PostedDigest: ...

    def attach_chart(self, posted: PostedDigest, digest: Digest) -> None: ...
