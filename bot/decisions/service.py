"""Decision use cases: ask the decision makers once the feedback is in, record their choice.

The cards and their updates are enqueued in the outbox in the transaction that asks or decides.
Asking hands the cards to the outbox at once (`deliver_now`); a decision returns its cards'
updates for the listener to deliver once it has answered Slack. Whatever is not delivered then,
the outbox job delivers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from bot.decisions.asking import ask_decision_makers, interviews_ready_for_decision
from bot.decisions.deciding import DecisionOutcome, decide, next_stage_form
from bot.decisions.ports import DecisionComposer
from bot.scheduling.form import ScheduleForm
from bot.shared.clock import Clock
from bot.shared.working_time import MONDAY_TO_FRIDAY, WorkingDays
from models.hiring import Decision
from models.unit_of_work import UnitOfWork


class DecisionService:
    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        clock: Clock,
        zone: ZoneInfo,
        composer: DecisionComposer,
        deliver_now: Callable[[Sequence[str]], object],
        *,
        working_days: WorkingDays = MONDAY_TO_FRIDAY,
    ) -> None:
        """`deliver_now` hands the cards just enqueued to the outbox (OutboxService.deliver);
        `working_days` (the company's) set the next stage's default search window."""
        self._new_uow = new_uow
        self._clock = clock
        self._zone = zone
        self._composer = composer
        self._deliver_now = deliver_now
        self._working_days = working_days

    def decide(self, slack_id: str, interview_id: int, choice: Decision) -> DecisionOutcome:
        """Record a decision maker's choice and enqueue the update of every card (the outcome's
        `message_keys`, for the caller to deliver); raises DecisionRefused."""
        now = self._clock.now()
        with self._new_uow() as uow:
            return decide(uow, slack_id, interview_id, choice, now, self._composer.card_payload)

    def next_stage_form(self, slack_id: str, candidate_id: int) -> ScheduleForm | None:
        """Scheduling for the candidate's (new) stage after an advance; None if not allowed."""
        with self._new_uow() as uow:
            return next_stage_form(
                uow, slack_id, candidate_id, self._clock.now(), self._zone, self._working_days
            )

    def send_decision_requests(self) -> int:
        """The job: ask about every interview whose feedback is complete; returns how many
        interviews' cards this run enqueued."""
        with self._new_uow() as uow:
            ready = interviews_ready_for_decision(uow, self._clock.now())
        return sum(self.ask_for_decision(interview_id) for interview_id in ready)

    def ask_for_decision(self, interview_id: int) -> bool:
        """Enqueue and deliver the decision cards if this interview is complete and nobody asked
        yet; False otherwise."""
        with self._new_uow() as uow:
            keys = ask_decision_makers(
                uow, interview_id, self._clock.now(), self._composer.card_payload
            )
        if keys:
            self._deliver_now(keys)
        return bool(keys)
