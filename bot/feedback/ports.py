"""What the feedback messages say, built by the Slack side (handlers/feedback/composer.py).

The service enqueues these payloads in the outbox in the transaction that causes them; the outbox
delivers them. Each method returns plain chat.postMessage / chat.update arguments (`text`,
`blocks`, `reply_broadcast`...), never posts.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.feedback.reminders import Escalation, ReminderDue
from bot.feedback.requests import FeedbackAsk
from bot.feedback.submit import Submitted


class FeedbackComposer(Protocol):
    def request_payload(self, ask: FeedbackAsk) -> dict[str, Any]:
        """The feedback request, in a DM to the interviewer."""
        ...

    def reminder_payload(self, reminder: ReminderDue) -> dict[str, Any]:
        """A reminder, posted in the thread of the request's DM."""
        ...

    def escalation_payload(self, escalation: Escalation) -> dict[str, Any]:
        """What a decision maker hears when feedback is still missing after 48 hours."""
        ...

    def submitted_payload(self, done: Submitted) -> dict[str, Any]:
        """The request's DM once the feedback is in (it replaces the request in place)."""
        ...
