"""Reading a submitted modal's `view.state.values`."""

from __future__ import annotations

from typing import Any


def element_state(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    """The state of the one element in `block_id` (empty when the block is absent)."""
    block = values.get(block_id) or {}
    state: dict[str, Any] = next(iter(block.values()), {}) if block else {}
    return state
