"""What the ports to the outside (Slack in production) give back and raise, for every feature."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PostedMessage:
    """Where Slack put a message: its channel (a DM's channel for a user id) and timestamp, so it
    can be updated in place or answered in its thread."""

    channel: str
    ts: str


class DeliveryFailed(Exception):
    """The message did not go out (after the client's own retries); the caller keeps the work."""
