"""Slack listeners (thin: parse, call a service, render) and Block Kit views."""

from __future__ import annotations

from slack_bolt import App


def register_listeners(app: App) -> None:
    from handlers import commands, options

    commands.register(app)
    options.register(app)
