"""Reschedule and cancel, from the buttons on a booking's confirmation message.

An error never leaves a modal spinning: a submission is answered next to its fields, a cancel
from a modal shows a "Try again", one from a message says so (its buttons stay to try again)."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.container import Container
from bot.scheduling.form import NotAllowed
from bot.scheduling.requests import FieldErrors
from bot.scheduling.service import TEMPORARY_PROBLEM, InterviewChanged, SchedulingError
from bot.team.people import NOT_AVAILABLE
from calendars.provider import CalendarError
from handlers.scheduling.parse import parse_schedule_state
from handlers.scheduling.proposals import (
    cancel_failed_view,
    cancelled_view,
    error_view,
    working_view,
)
from handlers.scheduling.schedule_modal import NOT_ALLOWED_TEXT, reschedule_modal
from handlers.scheduling.submit import NOT_SAVED, show_proposals
from handlers.shared.after_answer import after_answer
from handlers.shared.context import services
from handlers.shared.slack_calls import interview_id_of

log = logging.getLogger(__name__)


def open_reschedule(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    context: BoltContext,
) -> None:
    ack()
    try:
        form = services(context).scheduling.reschedule_form(
            body["user"]["id"], interview_id_of(action) or 0
        )
        view = reschedule_modal(form)
    except SchedulingError as refused:
        view = error_view(str(refused))
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
    interview_id = _interview_of(view)
    if interview_id is None:
        ack(response_action="errors", errors={"earliest": NOT_AVAILABLE})
        return
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
    except Exception:
        log.exception("could not store a reschedule request for interview %s", interview_id)
        ack(response_action="errors", errors={"earliest": NOT_SAVED})
        return
    ack(response_action="update", view=working_view("Looking for new times…"))
    after_answer(context, lambda: show_proposals(container, client, view["id"], request_uid))


def _interview_of(view: dict[str, Any]) -> int | None:
    """The interview a reschedule modal moves, from its private_metadata (None if unreadable)."""
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return None
    value = metadata.get("interview_id") if isinstance(metadata, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


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
    interview_id = interview_id_of(action) or 0
    try:
        changed = container.scheduling.cancel(interview_id, user)
    except SchedulingError as error:
        if view:
            client.views_update(view_id=view["id"], view=error_view(str(error)))
        else:
            respond(response_type="ephemeral", replace_original=False, text=str(error))
        return
    except Exception as error:
        log.exception("could not cancel interview %s", interview_id)
        reason = str(error) if isinstance(error, CalendarError) else TEMPORARY_PROBLEM
        if view:
            client.views_update(view_id=view["id"], view=cancel_failed_view(reason, interview_id))
        else:
            text = f"The interview was not cancelled ({reason}). Try again in a moment."
            respond(response_type="ephemeral", replace_original=False, text=text)
        return
    _cancelled(container, client, view, changed)


def _cancelled(
    container: Container, client: WebClient, view: dict[str, Any] | None, changed: InterviewChanged
) -> None:
    if view:
        client.views_update(view_id=view["id"], view=cancelled_view(changed.summary))
    container.outbox.deliver(changed.message_keys)
