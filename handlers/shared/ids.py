"""Ids read back from what Slack sends (a button's value, a picked option): any string at all
may arrive, so reading one never raises."""

from __future__ import annotations

from typing import Any

# Our ids are INTEGER columns; a bigger number cannot name a row (and SQLite refuses it).
LARGEST_ID = 2**31 - 1


def id_or_none(value: Any) -> int | None:
    """`value` as a row id: ASCII digits only (`'²'.isdigit()` is true, yet `int('²')` raises),
    within the columns' range; None otherwise."""
    text = value if isinstance(value, str) else str(value) if isinstance(value, int) else ""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(LARGEST_ID)):
        return None
    number = int(text)
    return number if number <= LARGEST_ID else None
