"""Block Kit as readable text: what a person sees of a message, a modal or their App Home.

Headers, sections (with their fields), context lines, buttons as [Label], selects and inputs
with what they hold, dividers; mentions become @Name and Slack's date tokens the reader's time.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

_MENTION = re.compile(r"<@([A-Z0-9_]+)>")
_DATE = re.compile(r"<!date\^(\d+)\^([^|>]*)(?:\|[^>]*)?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)\|([^>]+)>")
_BARE_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)>")
_DATE_FORMATS = {
    "date_num": "%Y-%m-%d",
    "date": "%d %B %Y",
    "date_short": "%d %b %Y",
    "date_long": "%A %d %B %Y",
    "date_pretty": "%d %B %Y",
    "date_short_pretty": "%a %d %b",
    "date_long_pretty": "%A %d %B",
    "time": "%H:%M",
    "time_secs": "%H:%M:%S",
}
RULE = "─" * 40


class Renderer:
    def __init__(self, names: Mapping[str, str], zone: ZoneInfo) -> None:
        self._names = names
        self._zone = zone

    # ------------------------------------------------------------------ text

    def text(self, markup: str) -> str:
        """Slack mrkdwn as a person reads it."""
        text = _MENTION.sub(lambda m: "@" + self._names.get(m.group(1), m.group(1)), markup)
        text = _DATE.sub(lambda m: self._date(int(m.group(1)), m.group(2)), text)
        text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
        text = _BARE_LINK.sub(lambda m: m.group(1), text)
        text = _SPECIAL.sub(lambda m: "@" + m.group(1), text)
        return html.unescape(text)

    def _date(self, stamp: int, tokens: str) -> str:
        moment = datetime.fromtimestamp(stamp, UTC).astimezone(self._zone)
        return re.sub(
            r"\{(\w+)\}",
            lambda m: moment.strftime(_DATE_FORMATS.get(m.group(1), "%d %b %Y %H:%M")),
            tokens,
        )

    def plain(self, value: Any) -> str:
        """A text object (plain_text or mrkdwn) or a string."""
        if isinstance(value, dict):
            return self.text(str(value.get("text", "")))
        return self.text(str(value or ""))

    # ------------------------------------------------------------------ blocks

    def message(self, message: Mapping[str, Any]) -> list[str]:
        blocks = message.get("blocks")
        if isinstance(blocks, list) and blocks:
            return self.blocks(blocks)
        return self.text(str(message.get("text", ""))).splitlines()

    def view(self, view: Mapping[str, Any]) -> list[str]:
        lines = self.blocks(view.get("blocks", []))
        buttons = [f"[{self.plain(view[key])}]" for key in ("close", "submit") if view.get(key)]
        return lines + ([" ".join(buttons)] if buttons else [])

    def blocks(self, blocks: Sequence[Mapping[str, Any]]) -> list[str]:
        lines: list[str] = []
        for block in blocks:
            lines.extend(self.block(block))
        return lines

    def block(self, block: Mapping[str, Any]) -> list[str]:
        kind = block.get("type")
        if kind == "header":
            return [self.plain(block.get("text")).upper()]
        if kind == "section":
            return self._section(block)
        if kind == "context":
            parts = [self._context_part(e) for e in block.get("elements", [])]
            return ["  " + line for line in " · ".join(parts).splitlines()]
        if kind == "actions":
            return [" ".join(self.element(e) for e in block.get("elements", []))]
        if kind == "divider":
            return [RULE]
        if kind == "input":
            label = self.plain(block.get("label"))
            optional = " (optional)" if block.get("optional") else ""
            return [f"{label}{optional}: {self.element(block.get('element') or {})}"]
        if kind == "image":
            return [f"[image: {block.get('alt_text', '')}]"]
        return []

    def _section(self, block: Mapping[str, Any]) -> list[str]:
        lines = self.plain(block.get("text")).splitlines() if block.get("text") else []
        fields = [self.plain(f) for f in block.get("fields", [])]
        if fields:
            lines.append("  |  ".join(f.replace("\n", " ") for f in fields))
        accessory = block.get("accessory")
        if isinstance(accessory, dict):
            shown = self.element(accessory)
            lines = lines[:-1] + [f"{lines[-1]}  {shown}"] if lines else [shown]
        return lines

    def _context_part(self, element: Mapping[str, Any]) -> str:
        if element.get("type") == "image":
            return f"[{element.get('alt_text', 'image')}]"
        return self.plain(element)

    def element(self, element: Mapping[str, Any]) -> str:
        """A button as [Label]; an input or a select with what it holds."""
        kind = str(element.get("type", ""))
        if kind == "button":
            return f"[{self.plain(element.get('text'))}]"
        if kind in ("static_select", "external_select", "radio_buttons"):
            return self._choice(element, "initial_option")
        if kind in ("checkboxes", "multi_static_select"):
            chosen = element.get("initial_options") or []
            return ", ".join(f"[x] {self.plain(o.get('text'))}" for o in chosen) or "[ ]"
        if kind in ("users_select", "multi_users_select"):
            ids = element.get("initial_users") or [element.get("initial_user")]
            chosen = ", ".join("@" + self._names.get(i, i) for i in ids if i)
            return chosen or f"({self.plain(element.get('placeholder')) or 'pick people'}) ▾"
        for key in ("initial_value", "initial_date", "initial_time"):
            if element.get(key):
                return f"«{element[key]}»"
        return "____"

    def _choice(self, element: Mapping[str, Any], key: str) -> str:
        chosen = element.get(key)
        if isinstance(chosen, dict):
            return f"«{self.plain(chosen.get('text'))}» ▾"
        options = [self.plain(o.get("text")) for o in element.get("options", [])]
        if element.get("placeholder"):
            return f"({self.plain(element['placeholder'])}) ▾"
        if element.get("type") == "radio_buttons" and options:
            return " ".join(f"( ) {label}" for label in options)
        return f"(choose: {' / '.join(options)})" if options else "(search…) ▾"
