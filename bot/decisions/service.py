"""Decision use cases: ask the decision makers once the feedback is in, record their choice."""

from __future__ import annotations

import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo

from bot.decisions.asking import (
    PostedDecisionRequest,
    claim_decision_cards,
    interviews_ready_for_decision,
    posted_cards,
    record_decision_request,
)
from bot.decisions.deciding import DecisionOutcome, decide, next_stage_form
from bot.decisions.ports import DecisionMessenger
from bot.scheduling.form import ScheduleForm
from bot.shared.clock import Clock
from bot.shared.delivery import DeliveryFailed
from models.hiring import Decision
from models.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


class DecisionService:
    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        clock: Clock,
        zone: ZoneInfo,
        messenger: DecisionMessenger,
    ) -> None:
        self._new_uow = new_uow
        self._clock = clock
        self._zone = zone
        self._messenger = messenger

    def decide(self, slack_id: str, interview_id: int, choice: Decision) -> DecisionOutcome:
        """Record a decision maker's choice; raises DecisionRefused."""
        with self._new_uow() as uow:
            return decide(uow, slack_id, interview_id, choice, self._clock.now())

    def next_stage_form(self, slack_id: str, candidate_id: int) -> ScheduleForm | None:
        """Scheduling for the candidate's (new) stage after an advance; None if not allowed."""
        with self._new_uow() as uow:
            return next_stage_form(uow, slack_id, candidate_id, self._clock.now(), self._zone)

    def update_posted_cards(self, interview_id: int) -> None:
        """Every copy of the decision message now shows the decision."""
        with self._new_uow() as uow:
            cards = posted_cards(uow, interview_id)
        for posted in cards:
            try:
                self._messenger.update(posted.message, posted.card)
            except DeliveryFailed:
                log.warning(
                    "could not update the decision message %s/%s",
                    posted.message.channel,
                    posted.message.ts,
                )

    def send_decision_requests(self) -> int:
        """The job: ask about every interview whose feedback is complete; returns how many."""
        with self._new_uow() as uow:
            ready = interviews_ready_for_decision(uow, self._clock.now())
        return sum(self.ask_for_decision(interview_id) for interview_id in ready)

    def ask_for_decision(self, interview_id: int) -> bool:
        """Post the decision cards if this interview is complete and nobody asked yet."""
        now = self._clock.now()
        with self._new_uow() as uow:
            cards = claim_decision_cards(uow, interview_id, now)
        if not cards:
            return False
        posted = []
        for to_post in cards:
            recipient = to_post.recipient_slack_id
            try:
                message = self._messenger.post(recipient, to_post.card)
            except DeliveryFailed:
                log.warning("could not ask %s to decide on interview %s", recipient, interview_id)
                continue
            posted.append(PostedDecisionRequest(recipient, message))
        with self._new_uow() as uow:
            record_decision_request(uow, interview_id, posted, now)
        return bool(posted)
