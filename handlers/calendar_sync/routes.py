"""The calendar sync's Slack side: change notices and the one-click replacement."""

from __future__ import annotations

from slack_bolt import App

from handlers.calendar_sync.listeners import REPLACE_ACTION, replace_interviewer


def register(app: App) -> None:
    app.action(REPLACE_ACTION)(replace_interviewer)
