"""Advance / reject / hold on a decision message; advance opens scheduling for the next stage."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.container import Container
from bot.decisions.asking import Choice, posted_cards
from bot.decisions.deciding import DecisionOutcome, DecisionRefused, decide, next_stage_form
from handlers.decisions.message import DECISION_ACTION_PREFIX, decision_message
from handlers.scheduling.schedule_modal import schedule_modal
from handlers.shared.context import services
from handlers.shared.slack_calls import SLACK_FAILURES, interview_id_of

log = logging.getLogger(__name__)
NOT_ALLOWED = "Only hiring managers, recruiters, the Head of Engineering and admins decide."


def decide_on_candidate(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    ack()
    container = services(context)
    user_id = body["user"]["id"]
    interview_id = interview_id_of(action)
    choice = Choice(action["action_id"].removeprefix(DECISION_ACTION_PREFIX))
    if interview_id is None:
        return
    try:
        with container.unit_of_work() as uow:
            outcome = decide(uow, user_id, interview_id, choice, container.clock.now())
    except DecisionRefused:
        respond(text=NOT_ALLOWED, response_type="ephemeral", replace_original=False)
        return
    if outcome.applied and outcome.next_stage_id is not None:
        _open_scheduling(container, client, body, outcome)
    _update_cards(container, client, interview_id)
    if not outcome.applied:
        respond(
            text=f"This interview was already decided ({outcome.choice.value}).",
            response_type="ephemeral",
            replace_original=False,
        )


def _open_scheduling(
    container: Container, client: WebClient, body: dict[str, Any], outcome: DecisionOutcome
) -> None:
    """Scheduling for the next stage, in the modal the scheduling flow already knows."""
    with container.unit_of_work() as uow:
        form = next_stage_form(
            uow,
            body["user"]["id"],
            outcome.candidate_id,
            container.clock.now(),
            container.settings.zone,
        )
    if form is None:
        return
    channel = (body.get("channel") or {}).get("id", "")
    client.views_open(trigger_id=body["trigger_id"], view=schedule_modal(form, channel_id=channel))


def _update_cards(container: Container, client: WebClient, interview_id: int) -> None:
    """Every copy of the decision message now shows the decision."""
    with container.unit_of_work() as uow:
        cards = posted_cards(uow, interview_id)
    for posted in cards:
        try:
            client.chat_update(
                channel=posted.channel, ts=posted.ts, **decision_message(posted.card)
            )
        except SLACK_FAILURES:
            log.warning("could not update the decision message %s/%s", posted.channel, posted.ts)
