"""The one notice sent when a message could not be delivered, to whoever can act on it."""

from __future__ import annotations

from typing import Any

from handlers.shared.blocks import mention, section


class SlackFailureNotices:
    def undelivered(self, summary: str, recipient: str | None, reason: str) -> dict[str, Any]:
        to = f" to {mention(recipient)}" if recipient else ""
        text = (
            f":warning: I could not deliver {summary or 'a message'}{to} "
            f"(Slack said `{reason}`), and will not try again. Please tell them another way."
        )
        return {"text": text, "blocks": [section(text)]}
