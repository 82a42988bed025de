"""Getting the application services out of Bolt's per-request context."""

from __future__ import annotations

from slack_bolt import BoltContext

from bot.container import Container


def services(context: BoltContext) -> Container:
    container = context["services"]
    assert isinstance(container, Container)
    return container
