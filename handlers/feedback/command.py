"""/interview-feedback: the caller's pending and recent feedback, answered ephemerally."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.feedback.overview import feedback_overview
from handlers.feedback.list_message import pending_feedback_message
from handlers.shared.context import services


def interview_feedback(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    container = services(context)
    with container.unit_of_work() as uow:
        overview = feedback_overview(uow, command["user_id"], container.clock.now())
    ack(**pending_feedback_message(overview))
