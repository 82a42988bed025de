"""Feedback use cases: what is on my plate, the scorecard, colleagues' feedback, and the jobs
that ask for feedback, remind late interviewers and tell the decision makers after 48 hours.

The jobs claim their work in the database first, then post through the FeedbackMessenger port,
then record what went out; a message Slack did not take releases its claim for the next run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo

from bot.feedback.overview import FeedbackOverview, HomeOverview, feedback_overview
from bot.feedback.ports import FeedbackMessenger
from bot.feedback.reminders import (
    Escalation,
    claim_due_escalations,
    claim_due_reminders,
    record_reminder_sent,
    release_escalation,
    release_reminder,
)
from bot.feedback.requests import (
    claim_due_requests,
    open_due_requests,
    record_request_sent,
    release_request,
)
from bot.feedback.scorecard import ScorecardForm, scorecard_form
from bot.feedback.submit import Submitted, submit_scorecard
from bot.feedback.visibility import (
    CandidateFeedback,
    FeedbackPage,
    feedback_on_candidate,
    feedback_page,
)
from bot.shared.clock import Clock
from bot.shared.delivery import DeliveryFailed
from bot.team.members import is_admin
from models.feedback_schemas import ScorecardDraft
from models.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


class FeedbackService:
    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        clock: Clock,
        zone: ZoneInfo,
        messenger: FeedbackMessenger,
    ) -> None:
        self._new_uow = new_uow
        self._clock = clock
        self._zone = zone
        self._messenger = messenger

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
        """Store the scorecard; raises ScorecardRefused or InvalidScorecard."""
        with self._new_uow() as uow:
            return submit_scorecard(uow, viewer_slack_id, draft, self._clock.now())

    def colleagues_feedback(self, viewer_slack_id: str, interview_id: int) -> FeedbackPage | None:
        """The feedback on this interview's candidate the viewer may read; None when it is gone."""
        with self._new_uow() as uow:
            return feedback_page(uow, viewer_slack_id, interview_id)

    def feedback_after_submitting(
        self, viewer_slack_id: str, submitted: Submitted
    ) -> CandidateFeedback:
        """The stage's feedback, shown to its author once theirs is in."""
        with self._new_uow() as uow:
            return feedback_on_candidate(
                uow, viewer_slack_id, submitted.candidate_id, submitted.stage_id
            )

    def send_due_requests(self) -> int:
        """The job: one DM per interviewer once their interview is over; returns how many."""
        now = self._clock.now()
        with self._new_uow() as uow:
            open_due_requests(uow, now)
            asks = claim_due_requests(uow, now)
        sent = 0
        for ask in asks:
            try:
                posted = self._messenger.post_request(ask)
            except DeliveryFailed:
                log.warning("feedback request %s not sent; retrying next run", ask.request_id)
                with self._new_uow() as uow:
                    release_request(uow, ask.request_id)
                continue
            with self._new_uow() as uow:
                record_request_sent(uow, ask.request_id, posted.channel, posted.ts, now, self._zone)
            sent += 1
        return sent

    def send_due_reminders(self) -> int:
        """The job: reminders in working hours, escalations after 48 h; returns how many."""
        return self._remind() + self._escalate()

    def _remind(self) -> int:
        now = self._clock.now()
        with self._new_uow() as uow:
            due = claim_due_reminders(uow, now, self._zone)
        sent = 0
        for reminder in due:
            try:
                self._messenger.post_reminder(reminder)
            except DeliveryFailed:
                log.warning("reminder for request %s not sent; retrying", reminder.request_id)
                with self._new_uow() as uow:
                    release_reminder(uow, reminder.request_id, now)
                continue
            with self._new_uow() as uow:
                record_reminder_sent(uow, reminder, now, self._zone)
            sent += 1
        return sent

    def _escalate(self) -> int:
        now = self._clock.now()
        with self._new_uow() as uow:
            escalations = claim_due_escalations(uow, now, self._zone)
        return sum(self._tell_decision_makers(escalation) for escalation in escalations)

    def _tell_decision_makers(self, escalation: Escalation) -> int:
        if not escalation.recipient_slack_ids:
            log.warning("no recruiter or hiring manager to tell about late feedback")
            return 0
        told = 0
        for recipient in escalation.recipient_slack_ids:
            try:
                self._messenger.tell_about_late_feedback(recipient, escalation)
                told += 1
            except DeliveryFailed:
                log.warning("could not tell %s about late feedback", recipient)
        if not told:
            with self._new_uow() as uow:
                release_escalation(uow, escalation)
        return 1 if told else 0
