"""Listeners of the feedback flow: /interview-feedback, scorecards, colleagues, App Home."""

from __future__ import annotations

from slack_bolt import App

from handlers.feedback.blocks import OPEN_SCORECARD, SEE_FEEDBACK
from handlers.feedback.colleagues import see_feedback
from handlers.feedback.command import interview_feedback
from handlers.feedback.home import publish_home
from handlers.feedback.scorecard import open_scorecard, receive_scorecard
from handlers.feedback.scorecard_modal import SCORECARD_CALLBACK_ID


def register(app: App) -> None:
    app.command("/interview-feedback")(interview_feedback)
    app.action(OPEN_SCORECARD)(open_scorecard)
    app.view(SCORECARD_CALLBACK_ID)(receive_scorecard)
    app.action(SEE_FEEDBACK)(see_feedback)
    app.event("app_home_opened")(publish_home)
