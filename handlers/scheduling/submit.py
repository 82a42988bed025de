"""The scheduling modal's submission: check it, answer at once, then search and propose."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.container import Container
from bot.scheduling.form import NotAllowed
from bot.scheduling.requests import FieldErrors, start_scheduling
from bot.team.people import SlackProfile, enrol_interviewers, unknown_slack_ids
from calendars.provider import CalendarError
from handlers.scheduling.parse import interviewers_block_id, parse_schedule_state
from handlers.scheduling.proposals import proposals_view, search_failed_view, working_view
from handlers.scheduling.schedule_modal import NOT_ALLOWED_TEXT
from handlers.shared.context import services
from models.schemas import ScheduleInput

log = logging.getLogger(__name__)


def submit_schedule(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    container = services(context)
    values = view["state"]["values"]
    data = parse_schedule_state(values)
    learn_interviewers(container, client, data.interviewer_slack_ids)
    try:
        request_uid = _start(container, body["user"]["id"], data, view["id"])
    except FieldErrors as problem:
        errors = dict(problem.errors)
        if "interviewers" in errors:
            errors[interviewers_block_id(values)] = errors.pop("interviewers")
        ack(response_action="errors", errors=errors)
        return
    except NotAllowed:
        ack(response_action="errors", errors={"candidate": NOT_ALLOWED_TEXT})
        return
    ack(response_action="update", view=working_view("Looking for times when everyone is free…"))
    show_proposals(container, client, view["id"], request_uid)


def _start(container: Container, actor: str, data: ScheduleInput, view_id: str) -> str:
    with container.unit_of_work() as uow:
        request = start_scheduling(
            uow,
            actor,
            data,
            view_id=view_id,
            now=container.clock.now(),
            zone=container.settings.zone,
        )
        uow.commit()
        return request.uid


def show_proposals(
    container: Container, client: WebClient, view_id: str, request_uid: str, notice: str = ""
) -> None:
    try:
        proposals = container.scheduling.propose(request_uid)
    except CalendarError as error:
        client.views_update(view_id=view_id, view=search_failed_view(str(error), request_uid))
        return
    client.views_update(view_id=view_id, view=proposals_view(proposals, notice))


def learn_interviewers(container: Container, client: WebClient, slack_ids: list[str]) -> None:
    """Interviewers we do not know yet: ask Slack for their email and time zone."""
    with container.unit_of_work() as uow:
        unknown = unknown_slack_ids(uow, slack_ids)
    profiles = [p for p in (slack_profile(client, slack_id) for slack_id in unknown) if p]
    if profiles:
        with container.unit_of_work() as uow:
            enrol_interviewers(uow, profiles)
            uow.commit()


def slack_profile(client: WebClient, slack_id: str) -> SlackProfile | None:
    """Name, email and time zone from Slack's users.info (None when Slack cannot say)."""
    try:
        user = client.users_info(user=slack_id)["user"]
    except SlackApiError as error:
        log.warning("users.info failed for %s: %s", slack_id, error.response.get("error"))
        return None
    profile = user.get("profile") or {}
    return SlackProfile(
        slack_id=slack_id,
        name=user.get("real_name") or profile.get("real_name") or user.get("name", ""),
        email=profile.get("email"),
        timezone=user.get("tz"),
    )
