"""Listeners of the feedback flow: scorecards, colleagues' feedback, decisions, App Home."""

from __future__ import annotations

import re

from slack_bolt import App

from handlers.feedback.colleagues import see_feedback
from handlers.feedback.decisions import decide_on_candidate
from handlers.feedback.home import publish_home
from handlers.feedback.scorecard import open_scorecard, submit
from handlers.views.decision_message import DECISION_ACTION_PREFIX
from handlers.views.feedback_blocks import OPEN_SCORECARD, SEE_FEEDBACK
from handlers.views.scorecard_modal import CALLBACK_ID


def register(app: App) -> None:
    app.action(OPEN_SCORECARD)(open_scorecard)
    app.view(CALLBACK_ID)(submit)
    app.action(SEE_FEEDBACK)(see_feedback)
    app.action(re.compile(f"^{DECISION_ACTION_PREFIX}(advance|reject|hold)$"))(decide_on_candidate)
    app.event("app_home_opened")(publish_home)
