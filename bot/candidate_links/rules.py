"""Pure rules of candidates' links: how long a link lives, when it is used up."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

Language = Literal["fr", "en"]
LANGUAGES: tuple[Language, ...] = ("fr", "en")
# Why a link is refused, for the page to explain.
RefusalReason = Literal["expired", "used_up", "altered", "unknown"]

LONGEST_LIFE = timedelta(days=14)
# A booked interview can be moved or cancelled through the link until this long before it.
CHANGES_UNTIL = timedelta(hours=24)


def link_expiry(window_end: datetime, now: datetime) -> datetime:
    """A link lives until the end of its request's window, or LONGEST_LIFE, whichever is first."""
    return min(window_end, now + LONGEST_LIFE)


def used_up(cancelled: bool, booked_start: datetime | None, now: datetime) -> bool:
    """The interview was cancelled, or it is booked and less than CHANGES_UNTIL away."""
    if cancelled:
        return True
    return booked_start is not None and booked_start - now < CHANGES_UNTIL


def first_name(name: str) -> str:
    return name.split()[0] if name.strip() else name
