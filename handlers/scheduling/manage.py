"""Reschedule and cancel, from the buttons on a booking's confirmation message."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.scheduling.form import NotAllowed
from bot.scheduling.requests import FieldErrors
from bot.scheduling.service import SchedulingError
from handlers.scheduling.notify import post_confirmation, tell_interviewers, unreachable_note
from handlers.scheduling.parse import parse_schedule_state
from handlers.scheduling.proposals import cancelled_view, error_view, working_view
from handlers.scheduling.schedule_modal import NOT_ALLOWED_TEXT, reschedule_modal
from handlers.scheduling.submit import show_proposals
from handlers.shared.context import services


def open_reschedule(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    context: BoltContext,
) -> None:
    ack()
    view = reschedule_modal(services(context).scheduling.reschedule_form(int(action["value"])))
    if body.get("view"):  # from the scheduling modal: stack the new one on top
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def submit_reschedule(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    context: BoltContext,
) -> None:
    container = services(context)
    interview_id = int(json.loads(view["private_metadata"])["interview_id"])
    data = parse_schedule_state(view["state"]["values"])
    try:
        request_uid = container.scheduling.start_rescheduling(
            body["user"]["id"], interview_id, data.earliest, data.latest, view_id=view["id"]
        )
    except FieldErrors as problem:
        ack(response_action="errors", errors=problem.errors)
        return
    except NotAllowed:
        ack(response_action="errors", errors={"earliest": NOT_ALLOWED_TEXT})
        return
    ack(response_action="update", view=working_view("Looking for new times…"))
    show_proposals(container, client, view["id"], request_uid)


def cancel_interview(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond,
) -> None:
    ack()
    container = services(context)
    user = body["user"]["id"]
    view = body.get("view")
    try:
        summary = container.scheduling.cancel(int(action["value"]), user)
    except SchedulingError as error:
        if view:
            client.views_update(view_id=view["id"], view=error_view(str(error)))
        else:
            respond(response_type="ephemeral", replace_original=False, text=str(error))
        return
    unreachable = tell_interviewers(client, summary, "cancelled")
    note = f"Cancelled by <@{user}>; the attendees were told. {unreachable_note(unreachable)}"
    post_confirmation(client, container.scheduling, summary, to=user, note=note.strip())
    if view:
        client.views_update(view_id=view["id"], view=cancelled_view(summary))
