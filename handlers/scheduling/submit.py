"""The scheduling modal's submission: check it, answer at once, then search and propose.

Slack gets its answer before any call to Slack: interviewers we do not know yet are looked up
after it (the modal shows "working…"), and a problem found then brings the form back, filled
in. An error (the database, the calendar) never leaves the modal spinning: the submission is
answered with a message next to its fields (submit again), the search with a "Try again"."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.container import Container
from bot.scheduling.form import NotAllowed
from bot.scheduling.requests import FieldErrors, session_field
from bot.scheduling.service import TEMPORARY_PROBLEM, Proposals
from bot.team.accounts import MayNotEnrol
from calendars.provider import CalendarError
from handlers.scheduling.parse import (
    interviewers_block_id,
    parse_schedule_state,
    session_block_ids,
)
from handlers.scheduling.proposals import proposals_view, search_failed_view, working_view
from handlers.scheduling.schedule_modal import NOT_ALLOWED_TEXT, schedule_modal
from handlers.shared.after_answer import after_answer
from handlers.shared.context import services
from handlers.shared.restore import refilled
from handlers.shared.slack_calls import SLACK_FAILURES
from handlers.shared.state import metadata, state_values
from handlers.team.slack_profile import slack_profile
from models.database import is_outage
from models.schemas import ScheduleInput

log = logging.getLogger(__name__)

NOT_SAVED = (
    "Your request could not be saved (a temporary problem on our side). Submit it again in a "
    "moment."
)
LOOKING_UP = "Looking up the interviewers in Slack…"


def submit_schedule(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    container, actor = services(context), context.user_id or ""
    values, view_id = state_values(view), str(view.get("id") or "")
    data = parse_schedule_state(values)
    if not container.team.may_schedule(actor):
        ack(response_action="errors", errors={"candidate": NOT_ALLOWED_TEXT})
        return
    unknown = container.scheduling.unknown_interviewers(_everyone_picked(data))
    if unknown:
        ack(response_action="update", view=working_view(LOOKING_UP))
        after_answer(
            context, lambda: _look_up_then_start(container, client, actor, view, data, unknown)
        )
        return
    try:
        request_uid = container.scheduling.start_scheduling(actor, data, view_id)
    except Exception as problem:
        ack(response_action="errors", errors=_errors_for(problem, values))
        return
    ack(response_action="update", view=working_view("Looking for times when everyone is free…"))
    after_answer(context, lambda: show_proposals(container, client, view_id, request_uid))


def _look_up_then_start(
    container: Container,
    client: WebClient,
    actor: str,
    view: dict[str, Any],
    data: ScheduleInput,
    unknown: list[str],
) -> None:
    """After the answer to Slack: learn the unknown interviewers, then store the request; a
    refusal shows the form again as it was submitted, with why."""
    view_id = str(view.get("id") or "")
    try:
        profiles = [p for p in (slack_profile(client, slack_id) for slack_id in unknown) if p]
        container.team.enrol_interviewers(actor, profiles)
        request_uid = container.scheduling.start_scheduling(actor, data, view_id)
    except Exception as problem:
        errors = _errors_for(problem, state_values(view))
        _show_form_again(container, client, actor, view, " ".join(dict.fromkeys(errors.values())))
        return
    client.views_update(
        view_id=view_id, view=working_view("Looking for times when everyone is free…")
    )
    show_proposals(container, client, view_id, request_uid)


def _errors_for(problem: Exception, values: dict[str, Any]) -> dict[str, str]:
    """What a refused or failed submission says, on the modal's blocks."""
    if isinstance(problem, FieldErrors):
        return _errors_on_blocks(problem.errors, values)
    if isinstance(problem, (NotAllowed, MayNotEnrol)):
        return {"candidate": NOT_ALLOWED_TEXT}
    if is_outage(problem):
        log.warning("could not store a scheduling request: the database is unavailable")
    else:
        log.error("could not store a scheduling request", exc_info=problem)
    return {"candidate": NOT_SAVED}


def _show_form_again(
    container: Container, client: WebClient, actor: str, view: dict[str, Any], problem: str
) -> None:
    values = state_values(view)
    try:
        form = container.scheduling.schedule_form(
            actor, stage_id=parse_schedule_state(values).stage_id
        )
        channel_id = str(metadata(view).get("channel_id") or "")
        modal = schedule_modal(form, channel_id, interviewers_block=interviewers_block_id(values))
        client.views_update(
            view_id=str(view.get("id") or ""), view=refilled(modal, values, problem)
        )
    except (NotAllowed, *SLACK_FAILURES):
        log.warning("could not show the scheduling form again")


def _everyone_picked(data: ScheduleInput) -> list[str]:
    sessions = [i for ids in data.session_interviewer_slack_ids.values() for i in ids]
    return list(dict.fromkeys([*data.interviewer_slack_ids, *sessions]))


def _errors_on_blocks(errors: dict[str, str], values: dict[str, Any]) -> dict[str, str]:
    """Field errors keyed by the blocks the modal shows (the people pickers' ids vary)."""
    pickers = interviewers_block_id(values)
    sessions = {session_field(p): block_id for p, block_id in session_block_ids(values).items()}
    on_blocks: dict[str, str] = {}
    for field, message in errors.items():
        block_id = pickers if field == "interviewers" else sessions.get(field, field)
        on_blocks[block_id] = message
    return on_blocks


def show_proposals(
    container: Container, client: WebClient, view_id: str, request_uid: str, notice: str = ""
) -> None:
    try:
        proposals = container.scheduling.propose(request_uid)
    except CalendarError as error:
        client.views_update(view_id=view_id, view=search_failed_view(str(error), request_uid))
        return
    except Exception:
        log.exception("could not propose times for request %s", request_uid)
        client.views_update(
            view_id=view_id, view=search_failed_view(TEMPORARY_PROBLEM, request_uid)
        )
        return
    client.views_update(view_id=view_id, view=_proposals(container, proposals, notice))


def _proposals(container: Container, proposals: Proposals, notice: str) -> dict[str, Any]:
    links = container.candidate_links.links_enabled
    return proposals_view(proposals, notice, candidate_links=links)
