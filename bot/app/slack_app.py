"""The Bolt app: request verification, the services in every listener's context, listeners,
and the answer when a listener fails."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from functools import partial
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.app.observability import ContextCopyingExecutor, note_slack_kind, slack_request_kind
from bot.container import Container
from handlers import register_listeners
from handlers.shared.after_answer import AFTER_ANSWER
from handlers.shared.failures import TRY_AGAIN, failure_body
from models.database import is_outage

SERVICES_KEY = "services"
# Requests a person made and waits on; an event (App Home opened) fails without a message.
_ASKED_BY_SOMEONE = ("command", "action", "view_submission", "shortcut")

ACK_POLL_GRACE_SECONDS = 0.05
# Threads answering Slack, and threads for the slow work that follows an answer (searches,
# bookings, calendar calls: mostly waiting on Google).
LISTENER_THREADS = 4
SLOW_WORK_THREADS = 10

log = logging.getLogger(__name__)


def build_bolt_app(container: Container) -> App:
    settings = container.settings
    settings.require_serving()
    assert settings.slack_signing_secret is not None
    app = App(
        client=container.slack,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        # The token is checked by the worker's first calls; not at every web worker start.
        token_verification_enabled=False,
        # Listeners run on this pool, which keeps the request id; few threads, as their work
        # until the answer is short CPU work (handlers.shared.after_answer).
        listener_executor=ContextCopyingExecutor(max_workers=LISTENER_THREADS),
    )
    slow_work = ContextCopyingExecutor(max_workers=SLOW_WORK_THREADS)

    @app.middleware
    def prepare(context: BoltContext, body: dict[str, Any], next: Callable[[], Any]) -> Any:  # noqa: A002
        """One middleware (Bolt inspects each one's arguments at every request): the services in
        the context; the process's pooled Slack client for the listeners, instead of the plain
        one Bolt builds per request (a new connection per call); the request's kind for the
        metrics."""
        context[SERVICES_KEY] = container
        context["client"] = container.slack
        context[AFTER_ANSWER] = partial(_run_after_answer, slow_work, body, context)
        note_slack_kind(body)
        return next()

    app.error(answer_failure)
    register_listeners(app)
    return app


def answer_failure(
    error: Exception,
    body: dict[str, Any],
    response: BoltResponse | None,
    client: WebClient,
    context: BoltContext,
) -> BoltResponse | None:
    """Bolt's global error handler: a listener raised. Slack gets a polite 200 instead of a 500
    (or of Bolt's 404 once the listener outlived Slack's 3 s); when the request was already
    acknowledged, the person who asked is told in a DM."""
    kind = slack_request_kind(body)
    if is_outage(error):
        # The error's text only: its statement's parameters are hidden by the engine.
        log.warning("database unavailable during a Slack %s: %s", kind, type(error).__name__)
    else:
        log.error("a Slack %s listener failed", kind, exc_info=error)
    if response is not None:
        text = failure_body(kind, body)
        headers: dict[str, str | Sequence[str]] = {"content-type": "application/json"}
        return BoltResponse(status=200, body=text, headers=headers if text else None)
    if kind in _ASKED_BY_SOMEONE and context.user_id:
        _tell(client, context.user_id)
    # Bolt sets the acknowledgement back to None once this returns, and the request's thread
    # polls it every 10 ms: a listener failing right after ack() would turn a sent ack into
    # Bolt's 404 after 3 s. A short pause lets that thread answer with the ack first.
    time.sleep(ACK_POLL_GRACE_SECONDS)
    return None


def _run_after_answer(
    pool: Executor, body: dict[str, Any], context: BoltContext, work: Callable[[], object]
) -> None:
    def run() -> None:
        try:
            work()
        except Exception as error:  # as Bolt does for a listener that failed after its ack
            answer_failure(error, body, None, context.client, context)

    pool.submit(run)


def _tell(client: WebClient, user_id: str) -> None:
    try:
        client.chat_postMessage(channel=user_id, text=TRY_AGAIN)
    except (SlackClientError, OSError):
        log.warning("could not tell %s that their request failed", user_id)
