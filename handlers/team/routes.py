"""Where the team listeners are registered with the Bolt app."""

from __future__ import annotations

from slack_bolt import App

from handlers.team.listeners import open_team, pick_person, submit_team_member
from handlers.team.modal import MANAGE_TEAM, PICK_PERSON, TEAM_CALLBACK_ID


def register(app: App) -> None:
    app.action(MANAGE_TEAM)(open_team)
    app.action(PICK_PERSON)(pick_person)
    app.view(TEAM_CALLBACK_ID)(submit_team_member)
