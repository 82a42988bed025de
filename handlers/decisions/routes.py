"""Listeners of decisions: advance / reject / hold on a decision message."""

from __future__ import annotations

import re

from slack_bolt import App

from handlers.decisions.decide import decide_on_candidate
from handlers.decisions.message import DECISION_ACTION_PREFIX


def register(app: App) -> None:
    app.action(re.compile(f"^{DECISION_ACTION_PREFIX}(advance|reject|hold)$"))(decide_on_candidate)
