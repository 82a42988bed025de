"""Slow work that follows the answer to Slack (a search, a booking, a calendar or users.info
call) runs on a pool of its own, which bot.app.slack_app puts in every request's context: the
listeners' pool stays small (fewer threads fighting for the interpreter) and free, so that no
acknowledgement waits behind a search that takes seconds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.container import Container
from handlers.shared.context import services

AFTER_ANSWER = "after_answer"

# What a click leads to once acknowledged: the services, the request's body, the action,
# the client and `respond`.
ClickWork = Callable[[Container, dict[str, Any], dict[str, Any], WebClient, Respond], None]


def after_answer(context: BoltContext, work: Callable[[], object]) -> None:
    """Run `work` on the slow-work pool; a failure there is answered as a listener's is."""
    context[AFTER_ANSWER](work)


def acknowledged_click(work: ClickWork) -> Callable[..., None]:
    """A Bolt action listener that acknowledges the click at once, then does `work` on the
    slow-work pool."""

    def listener(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
        context: BoltContext,
    ) -> None:
        ack()
        after_answer(context, lambda: work(services(context), body, action, client, respond))

    return listener
