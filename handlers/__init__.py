"""Slack listeners (thin: parse, call a service, render) and Block Kit views."""

from __future__ import annotations

import importlib

from slack_bolt import App

# Each module has a `register(app)` that wires its listeners.
LISTENER_MODULES = [
    "handlers.scheduling.routes",
    "handlers.calendar_sync.routes",
    "handlers.feedback.routes",
    "handlers.decisions.routes",
    "handlers.digest.routes",
    "handlers.team.routes",
    "handlers.privacy.routes",
]


def register_listeners(app: App) -> None:
    for name in LISTENER_MODULES:
        importlib.import_module(name).register(app)
