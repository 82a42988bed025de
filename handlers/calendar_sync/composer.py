"""The change notice's payload (implements bot.calendar_sync.ports.ChangeNoticeComposer)."""

from __future__ import annotations

from typing import Any

from bot.calendar_sync.sync import Notice
from handlers.calendar_sync.change_message import change_message


class SlackChangeNoticeComposer:
    def change_notice(self, notice: Notice) -> dict[str, Any]:
        return change_message(notice)
