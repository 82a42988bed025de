"""A modal shown again with what was typed into it: once a submission has been acknowledged,
field errors can no longer be returned, so the form comes back filled in, the problem on top."""

from __future__ import annotations

import copy
from typing import Any

from handlers.shared.blocks import section
from handlers.shared.state import element_state

# Where each kind of element keeps its value in the state, and how its initial value is named.
_INITIAL: dict[str, tuple[str, str]] = {
    "plain_text_input": ("value", "initial_value"),
    "email_text_input": ("value", "initial_value"),
    "number_input": ("value", "initial_value"),
    "static_select": ("selected_option", "initial_option"),
    "external_select": ("selected_option", "initial_option"),
    "users_select": ("selected_user", "initial_user"),
    "multi_users_select": ("selected_users", "initial_users"),
    "checkboxes": ("selected_options", "initial_options"),
    "datepicker": ("selected_date", "initial_date"),
    "timepicker": ("selected_time", "initial_time"),
}


def refilled(view: dict[str, Any], values: dict[str, Any], problem: str) -> dict[str, Any]:
    """`view` (as we build it) with the submitted `values` as its initial values and `problem`
    above its first block."""
    shown = copy.deepcopy(view)
    for block in shown.get("blocks", []):
        element = block.get("element")
        if block.get("type") == "input" and isinstance(element, dict):
            _refill(element, element_state(values, str(block.get("block_id"))))
    shown["blocks"] = [section(f":warning: {problem}"), *shown.get("blocks", [])][:100]
    return shown


def _refill(element: dict[str, Any], state: dict[str, Any]) -> None:
    kind = _INITIAL.get(str(element.get("type")))
    if kind is None or state.get("type", element.get("type")) != element.get("type"):
        return
    state_key, initial_key = kind
    value = state.get(state_key)
    if "options" in element:  # a static choice: only one of its own options (Slack checks)
        value = _own_options(element["options"], value)
    if value in (None, "", []):
        element.pop(initial_key, None)
    else:
        element[initial_key] = value


def _own_options(options: list[dict[str, Any]], picked: Any) -> Any:
    """The element's options among those picked (a list), or the one picked (an option)."""
    values = {
        o.get("value")
        for o in (picked if isinstance(picked, list) else [picked])
        if isinstance(o, dict)
    }
    own = [o for o in options if o.get("value") in values]
    return own if isinstance(picked, list) else next(iter(own), None)
