"""Nudging late interviewers in their working hours, and escalating after 48 hours.

A reminder is counted by a conditional UPDATE of the request (`reminder_count`, `next_reminder_at`)
and enqueued in the outbox in the same transaction, under `feedback-reminder:<request>:<n>`, in the
thread of the request's DM. A reminder that falls due while the interviewer is off (the worker was
down overnight) moves to their next working time instead; a request whose DM could never be
delivered gets no reminder at all. An escalation is claimed by setting `escalated_at` on the late
requests, and its messages to the decision makers are enqueued in the same transaction. Nothing
goes out once the feedback is in (`completed_at`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.feedback.reminder_timing import (
    ESCALATE_AFTER,
    WorkingHours,
    escalation_due_at,
    next_working_time,
    reminder_after,
)
from bot.feedback.requests import about, request_key, scheduler_slack_id
from bot.shared.working_time import WorkingDays
from bot.team.decision_makers import decision_makers
from models.hiring import Person
from models.outbox import NewMessage, OutboxStatus
from models.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

REMINDER_KIND = "feedback_reminder"
ESCALATION_KIND = "feedback_escalation"
# No DM to remind about: it could never be delivered (or predates the outbox).
UNDELIVERED = (None, OutboxStatus.FAILED)


@dataclass(frozen=True)
class ReminderDue:
    request_id: int
    interview_id: int
    interviewer_slack_id: str
    candidate_name: str
    stage_name: str
    ended_at: datetime
    number: int


def reminder_key(request_id: int, number: int) -> str:
    return f"feedback-reminder:{request_id}:{number}"


def due_reminder_ids(uow: UnitOfWork, now: datetime) -> list[int]:
    return uow.feedback.due_reminder_ids(now)


def enqueue_reminder(
    uow: UnitOfWork,
    request_id: int,
    now: datetime,
    company: ZoneInfo,
    working_days: WorkingDays,
    compose: Callable[[ReminderDue], dict[str, Any]],
) -> str | None:
    """Count the reminder and enqueue it, in one transaction; returns its outbox key, or None
    when it is not for now, not wanted any more, or another worker enqueued it."""
    context = uow.feedback.request_context(request_id)
    hours = _hours(context.interviewer, company, working_days)
    working = next_working_time(now, hours)
    if working > now:  # due while they are off: wait for their next working time
        uow.feedback.set_request_fields(request_id, next_reminder_at=working)
        uow.commit()
        return None
    if uow.outbox.status_of(request_key(request_id)) in UNDELIVERED:
        uow.feedback.set_request_fields(request_id, next_reminder_at=None)
        uow.commit()
        return None
    number = context.request.reminder_count + 1
    next_at = reminder_after(now, number, hours)
    if not uow.feedback.record_reminder(request_id, number, now, next_at):
        uow.rollback()
        return None
    due = ReminderDue(
        request_id=request_id,
        interview_id=context.interview.id,
        interviewer_slack_id=context.interviewer.slack_id,
        candidate_name=context.candidate.name,
        stage_name=context.stage.name,
        ended_at=context.interview.ends_at,
        number=number,
    )
    key = reminder_key(request_id, number)
    uow.outbox.enqueue(
        NewMessage(
            key=key,
            kind=REMINDER_KIND,
            payload=compose(due),
            recipient=due.interviewer_slack_id,
            target_key=request_key(request_id),
            summary=f"a feedback reminder for {about(due.candidate_name, due.stage_name)}",
            notify_slack_id=scheduler_slack_id(uow, context.interview),
        ),
        now,
    )
    uow.commit()
    return key


@dataclass(frozen=True)
class Escalation:
    interview_id: int
    candidate_name: str
    stage_name: str
    ended_at: datetime
    late_slack_ids: tuple[str, ...]


def late_request_groups(uow: UnitOfWork, now: datetime) -> list[list[int]]:
    """Requests still open 48 h after their interview ended, grouped by interview."""
    by_interview: dict[int, list[int]] = {}
    for interview_id, request_id in uow.feedback.late_requests(now - ESCALATE_AFTER):
        by_interview.setdefault(interview_id, []).append(request_id)
    return list(by_interview.values())


def enqueue_escalation(
    uow: UnitOfWork,
    request_ids: list[int],
    now: datetime,
    company: ZoneInfo,
    working_days: WorkingDays,
    compose: Callable[[Escalation], dict[str, Any]],
) -> list[str]:
    """Claim the late requests of one interview and enqueue one message per decision maker, in
    one transaction (once in company working hours); returns the messages' outbox keys."""
    context = uow.feedback.request_context(request_ids[0])
    interview = context.interview
    if escalation_due_at(interview.ends_at, WorkingHours(company, working_days=working_days)) > now:
        return []
    claimed = [rid for rid in request_ids if uow.feedback.claim_escalation(rid, now)]
    if not claimed:
        uow.rollback()
        return []
    escalation = Escalation(
        interview_id=interview.id,
        candidate_name=context.candidate.name,
        stage_name=context.stage.name,
        ended_at=interview.ends_at,
        late_slack_ids=tuple(
            uow.feedback.request_context(rid).interviewer.slack_id for rid in claimed
        ),
    )
    recipients = decision_makers(uow, interview)
    if not recipients:
        log.warning("no recruiter or hiring manager to tell about late feedback")
    payload = compose(escalation)
    notify = scheduler_slack_id(uow, interview)
    what = about(escalation.candidate_name, escalation.stage_name)
    # The claimed requests are this escalation's alone, so the first of them names it for good.
    messages = [
        NewMessage(
            key=f"feedback-escalation:{claimed[0]}:{recipient}",
            kind=ESCALATION_KIND,
            payload=payload,
            recipient=recipient,
            summary=f"the late-feedback notice on {what}",
            notify_slack_id=notify,
        )
        for recipient in recipients
    ]
    uow.outbox.enqueue_all(messages, now)
    uow.commit()
    return [message.key for message in messages]


def _hours(person: Person, company: ZoneInfo, working_days: WorkingDays) -> WorkingHours:
    return WorkingHours.of(
        person.timezone, person.work_start, person.work_end, company, working_days
    )
