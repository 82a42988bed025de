"""Feedback use cases: what is on my plate, the scorecard, colleagues' feedback, and the jobs
that ask for feedback, remind late interviewers and tell the decision makers after 48 hours.

Every message goes through the outbox: it is enqueued in the transaction that records why it is
sent (the request marked sent, the reminder counted, the escalation claimed, the scorecard
stored), with its words from the FeedbackComposer port, and the outbox delivers it: the jobs hand
what they enqueued to the outbox at once (`deliver_now`), the scorecard listener after its answer;
whatever is not delivered then, the outbox job delivers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from bot.feedback.overview import FeedbackOverview, HomeOverview, feedback_overview
from bot.feedback.ports import FeedbackComposer
from bot.feedback.reminders import (
    due_reminder_ids,
    enqueue_escalation,
    enqueue_reminder,
    late_request_groups,
)
from bot.feedback.requests import enqueue_request, open_due_requests, unsent_request_ids
from bot.feedback.scorecard import ScorecardForm, scorecard_form
from bot.feedback.submit import Submitted, submit_scorecard
from bot.feedback.visibility import (
    CandidateFeedback,
    FeedbackPage,
    feedback_page,
    stage_feedback_read,
)
from bot.shared.clock import Clock
from bot.shared.working_time import WorkingDays
from bot.team.members import is_admin
from models.feedback_schemas import ScorecardDraft
from models.unit_of_work import UnitOfWork

Message = TypeVar("Message")
Payload = dict[str, Any]


class FeedbackService:
    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        clock: Clock,
        zone: ZoneInfo,
        composer: FeedbackComposer,
        deliver_now: Callable[[Sequence[str]], object],
        working_days: WorkingDays,
    ) -> None:
        """`deliver_now` hands the keys a job just enqueued to the outbox (OutboxService.deliver),
        so its messages do not wait for the outbox job's next tick. No reminder or escalation
        comes on a day off of `working_days` (weekends, the company's public holidays)."""
        self._new_uow = new_uow
        self._clock = clock
        self._zone = zone
        self._working_days = working_days
        self._composer = composer
        self._deliver_now = deliver_now

    def overview(self, viewer_slack_id: str) -> FeedbackOverview:
        """What /interview-feedback shows."""
        with self._new_uow() as uow:
            return feedback_overview(uow, viewer_slack_id, self._clock.now())

    def home(self, viewer_slack_id: str) -> HomeOverview:
        """What the App Home tab shows: the overview, and the team section for admins."""
        with self._new_uow() as uow:
            overview = feedback_overview(uow, viewer_slack_id, self._clock.now())
            return HomeOverview(overview, viewer_is_admin=is_admin(uow, viewer_slack_id))

    def scorecard_for(self, viewer_slack_id: str, interview_id: int) -> ScorecardForm:
        """The scorecard to fill in; raises ScorecardRefused."""
        with self._new_uow() as uow:
            return scorecard_form(uow, viewer_slack_id, interview_id, self._clock.now())

    def submit(self, viewer_slack_id: str, draft: ScorecardDraft) -> Submitted:
        """Store the scorecard and enqueue the edit of its request DM (its `message_keys`);
        raises ScorecardRefused or InvalidScorecard."""
        compose = self._composer.submitted_payload
        with self._new_uow() as uow:
            return submit_scorecard(uow, viewer_slack_id, draft, self._clock.now(), compose)

    def colleagues_feedback(self, viewer_slack_id: str, interview_id: int) -> FeedbackPage | None:
        """The feedback on this interview's candidate the viewer may read, the read audited;
        None when the interview is unknown or none of the viewer's business."""
        with self._new_uow() as uow:
            page = feedback_page(uow, viewer_slack_id, interview_id, self._clock.now())
            uow.commit()
            return page

    def feedback_after_submitting(
        self, viewer_slack_id: str, submitted: Submitted
    ) -> CandidateFeedback:
        """The stage's feedback, shown to its author once theirs is in; the read audited."""
        now = self._clock.now()
        with self._new_uow() as uow:
            seen = stage_feedback_read(
                uow, viewer_slack_id, submitted.interview_id, submitted.stage_id, now
            )
            uow.commit()
            return seen

    def send_due_requests(self) -> int:
        """The job: one DM per interviewer once their interview is over, enqueued in the outbox
        and delivered; returns how many this run enqueued."""
        now = self._clock.now()
        with self._new_uow() as uow:
            open_due_requests(uow, now)
            request_ids = unsent_request_ids(uow, now)
        return self._enqueue_each(request_ids, now, enqueue_request, self._composer.request_payload)

    def send_due_reminders(self) -> int:
        """The job: reminders in working hours, escalations after 48 h, enqueued in the outbox
        and delivered; returns how many reminders and escalations (one per interview) this run
        enqueued."""
        return self._remind() + self._escalate()

    def _remind(self) -> int:
        now = self._clock.now()
        with self._new_uow() as uow:
            request_ids = due_reminder_ids(uow, now)
        return self._enqueue_each(
            request_ids, now, enqueue_reminder, self._composer.reminder_payload
        )

    def _enqueue_each(
        self,
        request_ids: list[int],
        now: datetime,
        enqueue: Callable[
            [UnitOfWork, int, datetime, ZoneInfo, WorkingDays, Callable[[Message], Payload]],
            str | None,
        ],
        compose: Callable[[Message], Payload],
    ) -> int:
        """Enqueue one message per request, each in its own transaction, then deliver them;
        returns how many were enqueued."""
        keys = []
        for request_id in request_ids:
            with self._new_uow() as uow:
                key = enqueue(uow, request_id, now, self._zone, self._working_days, compose)
            if key is not None:
                keys.append(key)
        self._deliver(keys)
        return len(keys)

    def _escalate(self) -> int:
        now = self._clock.now()
        with self._new_uow() as uow:
            groups = late_request_groups(uow, now)
        escalated, keys = 0, []
        for request_ids in groups:
            with self._new_uow() as uow:
                enqueued = enqueue_escalation(
                    uow,
                    request_ids,
                    now,
                    self._zone,
                    self._working_days,
                    self._composer.escalation_payload,
                )
            escalated += bool(enqueued)
            keys.extend(enqueued)
        self._deliver(keys)
        return escalated

    def _deliver(self, keys: list[str]) -> None:
        if keys:
            self._deliver_now(keys)
