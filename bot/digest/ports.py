"""What the digest needs from the outside world: its Slack payloads, built in handlers/digest."""

from __future__ import annotations

from typing import Any, Protocol

from bot.digest.model import Digest


class DigestComposer(Protocol):
    """The digest as outbox payloads (Block Kit and the chart are drawn on the Slack side)."""

    def message(self, digest: Digest) -> dict[str, Any]:
        """chat.postMessage arguments (`text`, `blocks`) of the morning digest."""
        ...

    def chart(self, digest: Digest) -> dict[str, Any]:
        """The funnel chart's upload: `filename`, `title`, `alt_txt`, `content_b64` (the PNG)."""
        ...
