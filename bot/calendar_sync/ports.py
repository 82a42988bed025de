"""The calendar sync's own message as a Slack payload (built in handlers/calendar_sync).

The booking's confirmation and the interviewers' DMs are worded by the scheduling flow's
bot.scheduling.ports.BookingMessages, as when the bot itself moves or cancels.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.calendar_sync.sync import Notice


class ChangeNoticeComposer(Protocol):
    def change_notice(self, notice: Notice) -> dict[str, Any]:
        """chat.postMessage arguments (`text`, `blocks`) telling the scheduler of the change,
        with what can be done about it (reschedule, replace)."""
        ...
