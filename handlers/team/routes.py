"""Where the team listeners are registered with the Bolt app."""

from __future__ import annotations

from slack_bolt import App

from handlers.team.listeners import open_team, pick_person, submit_team_member
from handlers.team.modal import CALLBACK_ID, MANAGE_TEAM, PICK_PERSON


def register(app: App) -> None:
    app.action(MANAGE_TEAM)(open_team)
    app.action(PICK_PERSON)(pick_person)
    app.view(CALLBACK_ID)(submit_team_member)
