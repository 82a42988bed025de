"""The scheduling modal's submission: check it, answer at once, then search and propose.

An error (the database, the calendar) never leaves the modal spinning: the submission is answered
with a message next to its fields (submit again), the search with a "Try again"."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.container import Container
from bot.scheduling.form import NotAllowed
from bot.scheduling.requests import FieldErrors, session_field
from bot.scheduling.service import TEMPORARY_PROBLEM
from calendars.provider import CalendarError
from handlers.scheduling.parse import (
    interviewers_block_id,
    parse_schedule_state,
    session_block_ids,
)
from handlers.scheduling.proposals import proposals_view, search_failed_view, working_view
from handlers.scheduling.schedule_modal import NOT_ALLOWED_TEXT
from handlers.shared.context import services
from handlers.team.slack_profile import slack_profile
from models.schemas import ScheduleInput

log = logging.getLogger(__name__)

NOT_SAVED = (
    "Your request could not be saved (a temporary problem on our side). Submit it again in a "
    "moment."
)


def submit_schedule(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    container = services(context)
    values = view["state"]["values"]
    data = parse_schedule_state(values)
    try:
        learn_interviewers(container, client, _everyone_picked(data))
        request_uid = container.scheduling.start_scheduling(body["user"]["id"], data, view["id"])
    except FieldErrors as problem:
        ack(response_action="errors", errors=_errors_on_blocks(problem.errors, values))
        return
    except NotAllowed:
        ack(response_action="errors", errors={"candidate": NOT_ALLOWED_TEXT})
        return
    except Exception:
        log.exception("could not store a scheduling request")
        ack(response_action="errors", errors={"candidate": NOT_SAVED})
        return
    ack(response_action="update", view=working_view("Looking for times when everyone is free…"))
    show_proposals(container, client, view["id"], request_uid)


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
    client.views_update(view_id=view_id, view=proposals_view(proposals, notice))


def learn_interviewers(container: Container, client: WebClient, slack_ids: list[str]) -> None:
    """Interviewers we do not know yet: ask Slack for their email and time zone."""
    unknown = container.scheduling.unknown_interviewers(slack_ids)
    profiles = [p for p in (slack_profile(client, slack_id) for slack_id in unknown) if p]
    container.scheduling.enrol_interviewers(profiles)
