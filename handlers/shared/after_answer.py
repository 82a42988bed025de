"""Slow work that follows the answer to Slack (a search, a booking, a calendar or users.info
call) runs on a pool of its own, which bot.app.slack_app puts in every request's context: the
listeners' pool stays small (fewer threads fighting for the interpreter) and free, so that no
acknowledgement waits behind a search that takes seconds."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import BoltContext

AFTER_ANSWER = "after_answer"


def after_answer(context: BoltContext, work: Callable[[], object]) -> None:
    """Run `work` on the slow-work pool; a failure there is answered as a listener's is."""
    context[AFTER_ANSWER](work)
