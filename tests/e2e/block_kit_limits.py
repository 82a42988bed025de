"""Block Kit's limits, checked on what the bot sent to (fake) Slack: the real Slack refuses a
message or a view that breaks one (`invalid_blocks`), which the fake does not."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tests.fakes.slack_api import FakeSlackAPI

MESSAGE_BLOCKS, VIEW_BLOCKS = 50, 100
SECTION_TEXT, PLAIN_LABEL, OPTION_TEXT, BUTTON_TEXT, TITLE = 3000, 2000, 75, 75, 24
MAX_OPTIONS, MAX_CHECKBOXES, ACTION_VALUE = 100, 10, 2000

_VIEW_METHODS = ("views.open", "views.update", "views.push", "views.publish")
_MESSAGE_METHODS = ("chat.postMessage", "chat.update", "chat.postEphemeral")


def problems(fake_slack: FakeSlackAPI) -> list[str]:
    """Every limit broken by a view or a message the bot sent."""
    found: list[str] = []
    for call in fake_slack.calls():
        if call.method in _VIEW_METHODS and isinstance(call.params.get("view"), dict):
            found += _view_problems(call.params["view"])
        elif call.method in _MESSAGE_METHODS and isinstance(call.params.get("blocks"), list):
            found += _blocks_problems(call.params["blocks"], MESSAGE_BLOCKS)
    return found


def _view_problems(view: dict[str, Any]) -> list[str]:
    found = _blocks_problems(view.get("blocks") or [], VIEW_BLOCKS)
    for key in ("title", "submit", "close"):
        if len(_text(view.get(key))) > TITLE:
            found.append(f"view {key} over {TITLE}: {_text(view.get(key))[:40]}")
    if len(view.get("private_metadata") or "") > 3000:
        found.append("private_metadata over 3000")
    return found


def _blocks_problems(blocks: list[dict[str, Any]], most: int) -> list[str]:
    found = [f"{len(blocks)} blocks, over {most}"] if len(blocks) > most else []
    for block in blocks:
        if block.get("type") in ("section", "context", "header") and block.get("text"):
            if len(_text(block["text"])) > SECTION_TEXT:
                found.append(f"{block['type']} text over {SECTION_TEXT}")
        if block.get("type") == "input" and len(_text(block.get("label"))) > PLAIN_LABEL:
            found.append("input label too long")
        for element in _elements(block):
            found += _element_problems(element)
    return found


def _elements(block: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for key in ("element", "accessory"):
        if isinstance(block.get(key), dict):
            yield block[key]
    for element in block.get("elements") or []:
        if isinstance(element, dict) and element.get("type") not in ("mrkdwn", "plain_text"):
            yield element
        elif isinstance(element, dict) and len(_text(element)) > SECTION_TEXT:
            yield {"type": "context text", "too_long": True}


def _element_problems(element: dict[str, Any]) -> list[str]:
    found = ["context element over 3000"] if element.get("too_long") else []
    options = element.get("options") or []
    if len(options) > MAX_OPTIONS:
        found.append(f"{len(options)} options")
    if element.get("type") == "checkboxes" and len(options) > MAX_CHECKBOXES:
        found.append(f"{len(options)} checkboxes")
    for choice in options:
        if len(_text(choice.get("text"))) > OPTION_TEXT:
            found.append("option text over 75")
    if element.get("type") == "button":
        if len(_text(element.get("text"))) > BUTTON_TEXT:
            found.append("button text over 75")
        if len(str(element.get("value") or "")) > ACTION_VALUE:
            found.append("button value over 2000")
    initial = element.get("initial_value")
    if (
        isinstance(initial, str)
        and element.get("max_length")
        and len(initial) > element["max_length"]
    ):
        found.append("initial value longer than max_length")
    return found


def _text(obj: Any) -> str:
    if isinstance(obj, dict):
        return str(obj.get("text") or "")
    return str(obj or "")
