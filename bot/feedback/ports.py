"""How the feedback jobs reach interviewers and decision makers (Slack in production).

Each method raises bot.shared.delivery.DeliveryFailed when the message did not go out; the service
then releases its claim so that the next run tries again.
"""

from __future__ import annotations

from typing import Protocol

from bot.feedback.reminders import Escalation, ReminderDue
from bot.feedback.requests import FeedbackAsk
from bot.shared.delivery import PostedMessage


class FeedbackMessenger(Protocol):
    def post_request(self, ask: FeedbackAsk) -> PostedMessage:
        """The feedback request, in a DM to the interviewer."""
        ...

    def post_reminder(self, reminder: ReminderDue) -> None:
        """A reminder in the thread of the request's DM."""
        ...

    def tell_about_late_feedback(self, recipient_slack_id: str, escalation: Escalation) -> None:
        """One decision maker hears that feedback is still missing after 48 hours."""
        ...
