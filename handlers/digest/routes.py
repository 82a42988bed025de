"""The digest's Slack side: /hiring-digest (the morning digest's payloads are in composer.py)."""

from __future__ import annotations

from slack_bolt import App

from handlers.digest.command import hiring_digest


def register(app: App) -> None:
    app.command("/hiring-digest")(hiring_digest)
