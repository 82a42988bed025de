"""Advance / reject / hold on a decision message; advance opens scheduling for the next stage."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.decisions.deciding import DecisionRefusal, DecisionRefused
from bot.decisions.service import DecisionService
from bot.team.people import NOT_AVAILABLE
from handlers.decisions.message import DECISION_ACTION_PREFIX
from handlers.scheduling.schedule_modal import schedule_modal
from handlers.shared.context import services
from handlers.shared.replies import reply_privately
from handlers.shared.slack_calls import interview_id_of
from models.hiring import Decision

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
    decisions = container.decisions
    user_id = body["user"]["id"]
    interview_id = interview_id_of(action)
    choice = Decision(action["action_id"].removeprefix(DECISION_ACTION_PREFIX))
    try:
        outcome = decisions.decide(user_id, interview_id or 0, choice)
    except DecisionRefused as refused:
        reply_privately(client, respond, user_id, _refusal(refused))
        return
    if outcome.applied and outcome.next_stage_id is not None:
        _open_scheduling(decisions, client, body, outcome.candidate_id)
    # Every card shows the decision: enqueued with it, delivered now rather than at the next tick.
    container.outbox.deliver(outcome.message_keys)
    if not outcome.applied:
        already = f"This interview was already decided ({outcome.choice.value})."
        reply_privately(client, respond, user_id, already)


def _refusal(refused: DecisionRefused) -> str:
    if refused.reason == DecisionRefusal.STALE:
        return f"This card is out of date: {refused.why}. Nothing was changed."
    if refused.reason == DecisionRefusal.NOT_FOUND:
        return NOT_AVAILABLE
    return NOT_ALLOWED


def _open_scheduling(
    decisions: DecisionService, client: WebClient, body: dict[str, Any], candidate_id: int
) -> None:
    """Scheduling for the next stage, in the modal the scheduling flow already knows."""
    form = decisions.next_stage_form(body["user"]["id"], candidate_id)
    if form is None:
        return
    channel = (body.get("channel") or {}).get("id", "")
    client.views_open(trigger_id=body["trigger_id"], view=schedule_modal(form, channel_id=channel))
