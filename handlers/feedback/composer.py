"""The words of the feedback messages the outbox delivers: request DMs, reminders, escalations and
the request DM's "feedback submitted" edit (Block Kit from handlers/feedback/request_message)."""

from __future__ import annotations

from typing import Any

from bot.feedback.reminders import Escalation, ReminderDue
from bot.feedback.requests import FeedbackAsk
from bot.feedback.submit import Submitted
from handlers.feedback.request_message import (
    escalation_message,
    feedback_request_message,
    feedback_submitted_message,
    reminder_message,
)


class SlackFeedbackComposer:
    def request_payload(self, ask: FeedbackAsk) -> dict[str, Any]:
        return feedback_request_message(ask)

    def reminder_payload(self, reminder: ReminderDue) -> dict[str, Any]:
        # In the request's thread, and shown in the DM too, so it is not missed.
        return {**reminder_message(reminder), "reply_broadcast": True}

    def escalation_payload(self, escalation: Escalation) -> dict[str, Any]:
        return escalation_message(escalation)

    def submitted_payload(self, done: Submitted) -> dict[str, Any]:
        return feedback_submitted_message(done)
