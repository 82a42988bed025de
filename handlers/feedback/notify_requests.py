"""The feedback request job: one DM per interviewer once their interview is over."""

from __future__ import annotations

import logging

from bot.container import Container
from bot.feedback.requests import (
    claim_due_requests,
    open_due_requests,
    record_request_sent,
    release_request,
)
from handlers.feedback.request_message import feedback_request_message
from handlers.shared.slack_calls import SLACK_FAILURES

log = logging.getLogger(__name__)


def send_feedback_requests(container: Container) -> int:
    """Returns how many DMs went out."""
    now = container.clock.now()
    with container.unit_of_work() as uow:
        open_due_requests(uow, now)
        asks = claim_due_requests(uow, now)
    sent = 0
    for ask in asks:
        try:
            answer = container.slack.chat_postMessage(
                channel=ask.interviewer_slack_id, **feedback_request_message(ask)
            )
        except SLACK_FAILURES:
            log.warning("feedback request %s not sent; retrying next run", ask.request_id)
            with container.unit_of_work() as uow:
                release_request(uow, ask.request_id)
            continue
        with container.unit_of_work() as uow:
            record_request_sent(uow, ask.request_id, answer["channel"], answer["ts"], now)
        sent += 1
    return sent
