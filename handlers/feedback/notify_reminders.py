"""The reminder job: late interviewers nudged in their DM's thread; escalation after 48 h."""

from __future__ import annotations

import logging

from bot.container import Container
from bot.feedback.reminders import (
    Escalation,
    claim_due_escalations,
    claim_due_reminders,
    record_reminder_sent,
    release_escalation,
    release_reminder,
)
from handlers.feedback.request_message import escalation_message, reminder_message
from handlers.shared.slack_calls import SLACK_FAILURES

log = logging.getLogger(__name__)


def send_feedback_reminders(container: Container) -> int:
    """Returns how many reminders and escalations went out."""
    return _remind(container) + _escalate(container)


def _remind(container: Container) -> int:
    now = container.clock.now()
    with container.unit_of_work() as uow:
        due = claim_due_reminders(uow, now)
    sent = 0
    for reminder in due:
        try:
            container.slack.chat_postMessage(
                channel=reminder.channel,
                thread_ts=reminder.thread_ts,
                reply_broadcast=True,
                **reminder_message(reminder),
            )
        except SLACK_FAILURES:
            log.warning("reminder for request %s not sent; retrying", reminder.request_id)
            with container.unit_of_work() as uow:
                release_reminder(uow, reminder.request_id, now)
            continue
        with container.unit_of_work() as uow:
            record_reminder_sent(uow, reminder, now)
        sent += 1
    return sent


def _escalate(container: Container) -> int:
    now = container.clock.now()
    with container.unit_of_work() as uow:
        escalations = claim_due_escalations(uow, now, container.settings.zone)
    return sum(_tell_decision_makers(container, escalation) for escalation in escalations)


def _tell_decision_makers(container: Container, escalation: Escalation) -> int:
    if not escalation.recipient_slack_ids:
        log.warning("no recruiter or hiring manager to tell about late feedback")
        return 0
    told = 0
    for recipient in escalation.recipient_slack_ids:
        try:
            container.slack.chat_postMessage(channel=recipient, **escalation_message(escalation))
            told += 1
        except SLACK_FAILURES:
            log.warning("could not tell %s about late feedback", recipient)
    if not told:
        with container.unit_of_work() as uow:
            release_escalation(uow, escalation)
    return 1 if told else 0
