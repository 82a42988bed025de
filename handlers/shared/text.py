"""Text people typed, made safe to show: one escape for Slack's mrkdwn, one clip for its limits."""

from __future__ import annotations

SECTION_TEXT_LIMIT = 3000  # a section's text
NAME_LIMIT = 80  # a name inside a sentence
EMAIL_LIMIT = 254  # an email address, whole
LINE_LIMIT = 500  # a link or a line of its own


def escape(text: str, limit: int = NAME_LIMIT) -> str:
    """Text typed by people, made safe for mrkdwn (Slack's three control characters), clipped
    to `limit` characters first so that no sentence outgrows its block."""
    clipped = text if len(text) <= limit else text[: limit - 1] + "…"
    return clipped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int = SECTION_TEXT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
