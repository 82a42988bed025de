"""Filling in a modal as a person would: what the bot prefilled, plus what they type or pick.

The result is the `view.state.values` Slack sends on submit: `{block_id: {action_id: state}}`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

Answer = str | Sequence[str] | None

_TEXT = ("plain_text_input", "email_text_input", "number_input", "url_text_input")
_ONE_OPTION = ("static_select", "external_select", "radio_buttons")
_MANY_OPTIONS = ("checkboxes", "multi_static_select")


def filled(view: Mapping[str, Any], answers: Mapping[str, Answer]) -> dict[str, dict[str, Any]]:
    """The state of every input block of `view`; `answers` (by block id) replace the defaults:
    text, an option's value, option values, or Slack user ids."""
    values: dict[str, dict[str, Any]] = {}
    for block in view.get("blocks", []):
        element = block.get("element") if block.get("type") == "input" else None
        if not isinstance(element, dict) or "block_id" not in block:
            continue
        block_id = block["block_id"]
        given = answers.get(block_id, element_default(element))
        values[block_id] = {element["action_id"]: element_state(element, given)}
    return values


def element_default(element: Mapping[str, Any]) -> Answer:
    kind = element.get("type")
    if kind in _TEXT:
        return element.get("initial_value")
    if kind in _ONE_OPTION:
        return (element.get("initial_option") or {}).get("value")
    if kind in _MANY_OPTIONS:
        return [o["value"] for o in element.get("initial_options", [])]
    simple = {
        "users_select": "initial_user",
        "multi_users_select": "initial_users",
        "datepicker": "initial_date",
        "timepicker": "initial_time",
    }
    key = simple.get(str(kind))
    return element.get(key) if key else None


def element_state(element: Mapping[str, Any], answer: Answer) -> dict[str, Any]:
    kind = str(element.get("type"))
    state: dict[str, Any] = {"type": kind}
    single = answer if isinstance(answer, str) or answer is None else None
    many = [] if answer is None or isinstance(answer, str) else list(answer)
    if kind in _TEXT:
        state["value"] = single
    elif kind in _ONE_OPTION:
        state["selected_option"] = _option(element, single) if single else None
    elif kind in _MANY_OPTIONS:
        state["selected_options"] = [_option(element, value) for value in many]
    elif kind == "users_select":
        state["selected_user"] = single
    elif kind == "multi_users_select":
        state["selected_users"] = many
    elif kind == "datepicker":
        state["selected_date"] = single
    elif kind == "timepicker":
        state["selected_time"] = single
    return state


def _option(element: Mapping[str, Any], value: str) -> dict[str, Any]:
    """The element's option with this value (an external select's options come from elsewhere)."""
    found = next((o for o in element.get("options", []) if o.get("value") == value), None)
    return found or {"text": {"type": "plain_text", "text": value}, "value": value}


def interactive_elements(
    blocks: Sequence[Mapping[str, Any]],
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(block_id, element) of every button and select in `blocks`."""
    for block in blocks:
        block_id = str(block.get("block_id", ""))
        if isinstance(block.get("accessory"), dict):
            yield block_id, block["accessory"]
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            yield block_id, element
        if isinstance(block.get("element"), dict) and block.get("dispatch_action"):
            yield block_id, block["element"]


def find_element(
    blocks: Sequence[Mapping[str, Any]], action_id: str
) -> tuple[str, dict[str, Any]] | None:
    """The first element with this action id, and its block's id."""
    found = (
        (block_id, element)
        for block_id, element in interactive_elements(blocks)
        if element.get("action_id") == action_id
    )
    return next(found, None)
