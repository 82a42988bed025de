"""/interview-feedback: the caller's pending and recent feedback, answered ephemerally."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from handlers.feedback.list_message import pending_feedback_message
from handlers.shared.context import services


def interview_feedback(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    overview = services(context).feedback.overview(command["user_id"])
    ack(**pending_feedback_message(overview))
