"""Admins manage the team from the App Home tab: open, pick a person, save."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.container import Container
from bot.team.members import NotAdmin, TeamErrors, TeamMember
from bot.team.people import SlackProfile
from handlers.shared.after_answer import after_answer
from handlers.shared.context import services
from handlers.shared.restore import refilled
from handlers.shared.slack_calls import SLACK_FAILURES
from handlers.shared.state import state_values
from handlers.team.modal import message_view, saved_view, team_modal
from handlers.team.parse import parse_team_member
from handlers.team.slack_profile import slack_profile

ADMINS_ONLY = "Only admins manage the team."
NOT_SAVED = "Nothing was saved (a temporary problem on our side). Save again in a moment."

log = logging.getLogger(__name__)


def open_team(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ack()
    try:
        form = services(context).team.form(context.user_id or "")
    except NotAdmin:
        return
    client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=team_modal(form))


def pick_person(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    context: BoltContext,
) -> None:
    """Show the picked person's current settings."""
    ack()
    view, picked = body.get("view"), action.get("selected_user")
    if not isinstance(view, dict) or not isinstance(view.get("id"), str):
        return
    try:
        form = services(context).team.form(
            context.user_id or "", picked if isinstance(picked, str) else None
        )
    except NotAdmin:
        return
    client.views_update(view_id=view["id"], view=team_modal(form))


def submit_team_member(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    context: BoltContext,
) -> None:
    """Checked before the answer to Slack; someone we have no email for is looked up in Slack
    after it (the modal says "Saving…"), and the outcome replaces it."""
    team, actor = services(context).team, context.user_id or ""
    member = parse_team_member(state_values(view))
    try:
        team.check(actor, member)
    except TeamErrors as problem:
        ack(response_action="errors", errors=problem.errors)
        return
    except NotAdmin:
        ack(response_action="errors", errors={"person": ADMINS_ONLY})
        return
    assert member.slack_id is not None  # checked
    if team.knows_email_of(member.slack_id):
        ack(response_action="update", view=_save(services(context), actor, member, view, None))
        return
    ack(response_action="update", view=message_view(":hourglass_flowing_sand: Saving…"))
    slack_id = member.slack_id

    def look_up_then_save() -> None:
        profile = slack_profile(client, slack_id)
        outcome = _save(services(context), actor, member, view, profile)
        try:
            client.views_update(view_id=str(view.get("id") or ""), view=outcome)
        except SLACK_FAILURES:
            log.warning("could not show the team modal's outcome")

    after_answer(context, look_up_then_save)


def _save(
    container: Container,
    actor: str,
    member: TeamMember,
    view: dict[str, Any],
    profile: SlackProfile | None,
) -> dict[str, Any]:
    """The view after saving: saved, or the form again, as submitted, with why not."""
    try:
        slack_id = container.team.save(actor, member, profile)
    except (TeamErrors, NotAdmin) as problem:
        errors = problem.errors if isinstance(problem, TeamErrors) else {"person": ADMINS_ONLY}
        return _form_again(container, actor, member, view, " ".join(errors.values()))
    roles = [str(r) for r in sorted(member.roles)]
    return saved_view(slack_id, roles, sorted(member.pools))


def _form_again(
    container: Container, actor: str, member: TeamMember, view: dict[str, Any], problem: str
) -> dict[str, Any]:
    try:
        form = container.team.form(actor, member.slack_id)
    except NotAdmin:
        return message_view(ADMINS_ONLY)
    return refilled(team_modal(form), state_values(view), problem)
