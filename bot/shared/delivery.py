"""What a port to the outside (Slack in production) raises when a message could not be delivered."""

from __future__ import annotations


class DeliveryFailed(Exception):
    """The message did not go out (after the client's own retries); the caller keeps the work."""
