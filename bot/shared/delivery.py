"""Where a message went: what the outbox records and every feature reads back."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PostedMessage:
    """Where Slack put a message: its channel (a DM's channel for a user id) and timestamp, so it
    can be updated in place or answered in its thread."""

    channel: str
    ts: str
