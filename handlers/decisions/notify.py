"""Asking the decision makers once every scorecard of an interview is in (job and on submit)."""

from __future__ import annotations

import logging

from bot.container import Container
from bot.decisions.asking import (
    claim_decision_cards,
    interviews_ready_for_decision,
    record_decision_request,
)
from handlers.decisions.message import decision_message
from handlers.shared.slack_calls import SLACK_FAILURES

log = logging.getLogger(__name__)


def send_decision_requests(container: Container) -> int:
    """The job: ask about every interview whose feedback is complete; returns how many."""
    with container.unit_of_work() as uow:
        ready = interviews_ready_for_decision(uow, container.clock.now())
    return sum(ask_for_decision(container, interview_id) for interview_id in ready)


def ask_for_decision(container: Container, interview_id: int) -> bool:
    """Post the decision cards if this interview is complete and nobody asked yet."""
    now = container.clock.now()
    with container.unit_of_work() as uow:
        cards = claim_decision_cards(uow, interview_id, now)
    if not cards:
        return False
    posted = []
    for recipient, card in cards:
        try:
            answer = container.slack.chat_postMessage(channel=recipient, **decision_message(card))
        except SLACK_FAILURES:
            log.warning("could not ask %s to decide on interview %s", recipient, interview_id)
            continue
        posted.append((recipient, str(answer["channel"]), str(answer["ts"])))
    with container.unit_of_work() as uow:
        record_decision_request(uow, interview_id, posted, now)
    return bool(posted)
