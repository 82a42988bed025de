"""The scorecard: opened from a "Give feedback" button, submitted from the modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.container import Container
from bot.feedback.answers import SUMMARY, InvalidScorecard
from bot.feedback.scorecard import Refusal, ScorecardRefused
from bot.feedback.submit import Submitted
from handlers.feedback.parse import scorecard_draft
from handlers.feedback.scorecard_modal import (
    REFUSAL_TEXT,
    refusal_modal,
    scorecard_modal,
    submitted_modal,
)
from handlers.shared.context import services
from handlers.shared.slack_calls import interview_id_of

OUT_OF_DATE = "This form is out of date; close it and open the scorecard again."


def open_scorecard(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    interview_id = interview_id_of(action)
    try:
        if interview_id is None:
            raise ScorecardRefused(Refusal.NOT_AVAILABLE)
        form = services(context).feedback.scorecard_for(body["user"]["id"], interview_id)
        view = scorecard_modal(form)
    except ScorecardRefused as refused:
        view = refusal_modal(refused.reason)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def receive_scorecard(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    container = services(context)
    user_id = body["user"]["id"]
    done = _stored_or_errors(container, user_id, view)
    if isinstance(done, dict):
        ack(response_action="errors", errors=done)
        return
    colleagues = container.feedback.feedback_after_submitting(user_id, done)
    ack(response_action="update", view=submitted_modal(done, colleagues))
    if not done.repeated:
        # The request DM's edit was enqueued with the scorecard: delivered now, after the answer.
        container.outbox.deliver(done.message_keys)
        container.decisions.ask_for_decision(done.interview_id)


def _stored_or_errors(
    container: Container, user_id: str, view: dict[str, Any]
) -> Submitted | dict[str, str]:
    """The stored scorecard, or the errors to show next to the modal's fields."""
    try:
        draft = scorecard_draft(view)
    except ValueError:  # pydantic's ValidationError and a broken private_metadata alike
        return {SUMMARY: OUT_OF_DATE}
    try:
        return container.feedback.submit(user_id, draft)
    except InvalidScorecard as invalid:
        return invalid.errors
    except ScorecardRefused as refused:
        return {SUMMARY: REFUSAL_TEXT[refused.reason]}
