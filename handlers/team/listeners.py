"""Admins manage the team from the App Home tab: open, pick a person, save."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.team.members import NotAdmin, TeamErrors
from handlers.shared.context import services
from handlers.team.modal import saved_view, team_modal
from handlers.team.parse import parse_team_member
from handlers.team.slack_profile import slack_profile

ADMINS_ONLY = "Only admins manage the team."


def open_team(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ack()
    try:
        form = services(context).team.form(body["user"]["id"])
    except NotAdmin:
        return
    client.views_open(trigger_id=body["trigger_id"], view=team_modal(form))


def pick_person(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    context: BoltContext,
) -> None:
    """Show the picked person's current settings."""
    ack()
    try:
        form = services(context).team.form(body["user"]["id"], action.get("selected_user"))
    except NotAdmin:
        return
    client.views_update(view_id=body["view"]["id"], view=team_modal(form))


def submit_team_member(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    context: BoltContext,
) -> None:
    member = parse_team_member(view["state"]["values"])
    profile = slack_profile(client, member.slack_id) if member.slack_id else None
    try:
        slack_id = services(context).team.save(body["user"]["id"], member, profile)
    except TeamErrors as problem:
        ack(response_action="errors", errors=problem.errors)
        return
    except NotAdmin:
        ack(response_action="errors", errors={"person": ADMINS_ONLY})
        return
    ack(
        response_action="update",
        view=saved_view(slack_id, [str(r) for r in sorted(member.roles)], sorted(member.pools)),
    )
