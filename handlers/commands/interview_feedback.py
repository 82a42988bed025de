"""/interview-feedback: the caller's pending feedback, answered ephemerally."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.feedback import pending_feedback
from handlers.context import services
from handlers.views.feedback_list import pending_feedback_message


def interview_feedback(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    container = services(context)
    with container.unit_of_work() as uow:
        pending = pending_feedback(uow, command["user_id"])
    ack(**pending_feedback_message(pending))
