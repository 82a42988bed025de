"""How the calendar sync tells people what changed (Slack in production, handlers/calendar_sync)."""

from __future__ import annotations

from typing import Protocol

from bot.calendar_sync.sync import Notice
from bot.scheduling.summary import InterviewSummary
from bot.shared.delivery import PostedMessage


class CalendarChangeNotifier(Protocol):
    """Each method raises bot.shared.delivery.DeliveryFailed when a message did not go out."""

    def tell_scheduler(self, scheduler_slack_id: str, notice: Notice) -> None:
        """The change itself, with what can be done about it (reschedule, replace)."""
        ...

    def refresh_confirmation(
        self, summary: InterviewSummary, scheduler_slack_id: str
    ) -> PostedMessage | None:
        """Show the change on the booking's confirmation: updated in place, or posted to the
        scheduler when there is none yet (then returns where, to be remembered)."""
        ...

    def tell_interviewers_cancelled(self, summary: InterviewSummary) -> None:
        """DM each interviewer that the interview is cancelled (one who cannot be reached is
        skipped, not a failure)."""
        ...
