"""Reading a submitted modal's `view.state.values`, whatever shape it arrives in: a missing or
mistyped part reads as empty, never as an error."""

from __future__ import annotations

import json
from typing import Any


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def state_values(view: Any) -> dict[str, Any]:
    """A view's `state.values` (empty when the view has none)."""
    return _mapping(_mapping(_mapping(view).get("state")).get("values"))


def element_state(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    """The state of the one element in `block_id` (empty when the block is absent)."""
    block = _mapping(_mapping(values).get(block_id))
    return _mapping(next(iter(block.values()), None))


def text_value(values: dict[str, Any], block_id: str) -> str:
    """What was typed into a text input (empty when nothing, or not text)."""
    value = element_state(values, block_id).get("value")
    return value if isinstance(value, str) else ""


def selected_value(values: dict[str, Any], block_id: str) -> str | None:
    """The value of a select's picked option."""
    value = _mapping(element_state(values, block_id).get("selected_option")).get("value")
    return value if isinstance(value, str) and value else None


def selected_values(values: dict[str, Any], block_id: str) -> set[str]:
    """The values of the options checked in checkboxes or a multi-select."""
    options = element_state(values, block_id).get("selected_options")
    picked = (_mapping(o).get("value") for o in options) if isinstance(options, list) else ()
    return {value for value in picked if isinstance(value, str)}


def selected_users(values: dict[str, Any], block_id: str) -> list[str]:
    users = element_state(values, block_id).get("selected_users")
    return [u for u in users if isinstance(u, str)] if isinstance(users, list) else []


def picked(values: dict[str, Any], block_id: str, key: str) -> str | None:
    """A picker's single pick (`selected_user`, `selected_date`, `selected_time`), if text."""
    value = element_state(values, block_id).get(key)
    return value if isinstance(value, str) and value else None


def metadata(view: Any) -> dict[str, Any]:
    """A view's `private_metadata` as we wrote it: a JSON object (empty when it is not one)."""
    raw = _mapping(view).get("private_metadata")
    try:
        decoded = json.loads(raw) if isinstance(raw, str) and raw else {}
    except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
        return {}
    return _mapping(decoded)
