"""What the outbox needs from Slack: a sender that says how a send failed, and the words of a
failure notice. Implemented in handlers/outbox/."""

from __future__ import annotations

from typing import Any, Protocol

from bot.shared.delivery import PostedMessage


class TemporaryFailure(Exception):
    """Worth trying again later: rate limited, a 5xx, a timeout, a dropped connection.

    `maybe_sent` is True when Slack may have taken the message anyway (a 5xx or a timeout after
    the request went out): the next attempt looks for it before posting again.
    """

    def __init__(self, reason: str, *, retry_after: float | None = None, maybe_sent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.maybe_sent = maybe_sent


class PermanentFailure(Exception):
    """Trying again cannot help (`account_inactive`, `channel_not_found`, `invalid_blocks`...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MessageSender(Protocol):
    """Sends what the outbox holds; raises TemporaryFailure or PermanentFailure."""

    def post(
        self, recipient: str, payload: dict[str, Any], key: str, thread: PostedMessage | None
    ) -> PostedMessage:
        """Post the message, tagged with its outbox key so it can be found again."""
        ...

    def find(self, recipient: str, key: str, thread: PostedMessage | None) -> PostedMessage | None:
        """The message posted under `key` (to `recipient`, or in `thread`), if Slack has it."""
        ...

    def update(self, message: PostedMessage, payload: dict[str, Any]) -> None: ...

    def upload(self, thread: PostedMessage, payload: dict[str, Any]) -> None: ...


class FailureNotices(Protocol):
    """The words of the one notice sent when a message could not be delivered."""

    def undelivered(self, summary: str, recipient: str | None, reason: str) -> dict[str, Any]:
        """A message payload telling whoever can act what did not reach whom, and why."""
        ...
