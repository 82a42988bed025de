"""Digests out to Slack: the message by chat.postMessage, the chart by the external upload flow."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.digest.model import Digest
from bot.shared.delivery import PostedMessage
from handlers.digest.chart import funnel_alt_text, funnel_chart_png
from handlers.digest.messages import digest_message


class SlackDigestOutbox:
    """A user id (U…/W…) gets a DM from the app; a channel id (C…/G…) gets a post there."""

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def post(self, recipient: str, digest: Digest) -> PostedMessage:
        message = digest_message(digest, chart_in_thread=digest.has_chart)
        response = self._client.chat_postMessage(channel=recipient, **message)
        # Slack answers a post to a user id with the DM's channel id, which the upload needs.
        return PostedMessage(channel=str(response["channel"]), ts=str(response["ts"]))

    def attach_chart(self, posted: PostedMessage, digest: Digest) -> None:
        self._client.files_upload_v2(
            channel=posted.channel,
            thread_ts=posted.ts,
            content=funnel_chart_png(digest.funnel, digest.day),
            filename=f"hiring-funnel-{digest.day.isoformat()}.png",
            title="Hiring funnel, last 30 days",
            alt_txt=funnel_alt_text(digest.funnel),
        )
