"""The digest's outbox payloads: the message's Block Kit, and the chart's PNG for its thread."""

from __future__ import annotations

import base64
from typing import Any

from bot.digest.model import Digest
from handlers.digest.chart import funnel_alt_text, funnel_chart_png
from handlers.digest.messages import digest_message


class SlackDigestComposer:
    """Implements bot.digest.ports.DigestComposer. The recipient, a user id (U…/W…) or a channel
    id (C…/G…), is the outbox row's: a DM from the app, or a post in the channel."""

    def message(self, digest: Digest) -> dict[str, Any]:
        return digest_message(digest, chart_in_thread=digest.has_chart)

    def chart(self, digest: Digest) -> dict[str, Any]:
        png = funnel_chart_png(digest.funnel, digest.day)
        return {
            "filename": f"hiring-funnel-{digest.day.isoformat()}.png",
            "title": "Hiring funnel, last 30 days",
            "alt_txt": funnel_alt_text(digest.funnel),
            "content_b64": base64.b64encode(png).decode("ascii"),
        }
