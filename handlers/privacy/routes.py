"""Where the erasure listeners are registered with the Bolt app; what admins see in App Home."""

from __future__ import annotations

from slack_bolt import App

from handlers.privacy.listeners import erase_candidate, find_candidate, open_erasure
from handlers.privacy.views import (
    CONFIRM_CALLBACK_ID,
    ERASE_CANDIDATE,
    FIND_CALLBACK_ID,
    privacy_home_blocks,
)

__all__ = ["privacy_home_blocks", "register"]


def register(app: App) -> None:
    app.action(ERASE_CANDIDATE)(open_erasure)
    app.view(FIND_CALLBACK_ID)(find_candidate)
    app.view(CONFIRM_CALLBACK_ID)(erase_candidate)
