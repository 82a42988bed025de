"""Slash command listeners."""

from __future__ import annotations

from slack_bolt import App

from handlers.commands.interview_feedback import interview_feedback
from handlers.commands.schedule_interview import schedule_interview


def register(app: App) -> None:
    app.command("/schedule-interview")(schedule_interview)
    app.command("/interview-feedback")(interview_feedback)
