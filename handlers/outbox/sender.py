"""Delivering outbox messages with the Slack Web API, sorting every failure by kind.

The client given here has no retry handlers of its own: the outbox is the one place that decides
to try again. Each post carries its outbox key in Slack's message metadata, so an attempt whose
answer was lost can be found in the conversation instead of being posted twice.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web import SlackResponse

from bot.outbox.ports import PermanentFailure, TemporaryFailure
from bot.shared.delivery import PostedMessage

METADATA_EVENT = "interview_bot_outbox"
# Slack's own words for "try later"; every other `ok: false` is permanent for this message.
TEMPORARY_ERRORS = {"ratelimited", "internal_error", "fatal_error", "service_unavailable",
                    "request_timeout"}  # fmt: skip


class SlackMessageSender:
    def __init__(self, client: WebClient) -> None:
        self._client = client

    def post(
        self, recipient: str, payload: dict[str, Any], key: str, thread: PostedMessage | None
    ) -> PostedMessage:
        metadata = {"event_type": METADATA_EVENT, "event_payload": {"key": key}}
        arguments = {**payload, "channel": thread.channel if thread else recipient}
        if thread is not None:
            arguments["thread_ts"] = thread.ts
        answer = _call(lambda: self._client.chat_postMessage(metadata=metadata, **arguments))
        return PostedMessage(str(answer["channel"]), str(answer["ts"]))

    def find(self, recipient: str, key: str, thread: PostedMessage | None) -> PostedMessage | None:
        """Among the conversation's (or thread's) latest messages; an unknown outcome is retried
        within the hour, long before two hundred other messages come after it."""
        if thread is not None:
            answer = _call(
                lambda: self._client.conversations_replies(
                    channel=thread.channel, ts=thread.ts, include_all_metadata=True, limit=200
                )
            )
            channel = thread.channel
        else:
            channel = self._channel_of(recipient)
            answer = _call(
                lambda: self._client.conversations_history(
                    channel=channel,
                    include_all_metadata=True,
                    limit=200,
                )
            )
        for message in answer.get("messages") or []:
            tagged = (message.get("metadata") or {}).get("event_payload") or {}
            if tagged.get("key") == key:
                return PostedMessage(channel, str(message["ts"]))
        return None

    def update(self, message: PostedMessage, payload: dict[str, Any]) -> None:
        _call(lambda: self._client.chat_update(channel=message.channel, ts=message.ts, **payload))

    def upload(self, thread: PostedMessage, payload: dict[str, Any]) -> None:
        _call(
            lambda: self._client.files_upload_v2(
                channel=thread.channel,
                thread_ts=thread.ts,
                content=base64.b64decode(payload["content_b64"]),
                filename=payload["filename"],
                title=payload.get("title"),
                alt_txt=payload.get("alt_txt"),
            )
        )

    def _channel_of(self, recipient: str) -> str:
        """A user id's DM channel (where a post to the user id went); a channel id as it is."""
        if recipient[:1] not in ("U", "W"):
            return recipient
        answer = _call(lambda: self._client.conversations_open(users=recipient))
        return str(answer["channel"]["id"])


def _call(request: Callable[[], Any]) -> SlackResponse:
    try:
        answer: SlackResponse = request()
    except SlackApiError as error:
        raise _sorted(error) from error
    except (SlackClientError, URLError, TimeoutError, ConnectionError, OSError) as error:
        # The request may have gone out before the connection failed.
        raise TemporaryFailure(f"{type(error).__name__}: {error}", maybe_sent=True) from error
    return answer


def _sorted(error: SlackApiError) -> TemporaryFailure | PermanentFailure:
    status = error.response.status_code
    reason = str(error.response.get("error") or f"http_{status}")
    if status == 429 or reason == "ratelimited":
        retry_after = error.response.headers.get("Retry-After") or error.response.headers.get(
            "retry-after"
        )
        return TemporaryFailure(
            reason, retry_after=float(retry_after) if retry_after else None, maybe_sent=False
        )
    if status >= 500 or reason in TEMPORARY_ERRORS:
        return TemporaryFailure(reason, maybe_sent=True)
    return PermanentFailure(reason)
