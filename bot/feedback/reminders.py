"""Nudging late interviewers in their working hours, and escalating after 48 hours.

A reminder is claimed like a request (a lease on `next_reminder_at`); a reminder that falls due
while the interviewer is off (the worker was down overnight) moves to their next working time
instead. An escalation is claimed by setting `escalated_at` on the late requests, and released
if no decision maker could be told. Nothing goes out once the feedback is in (`completed_at`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.feedback.reminder_timing import (
    ESCALATE_AFTER,
    WorkingHours,
    escalation_due_at,
    next_working_time,
    reminder_after,
)
from bot.feedback.requests import CLAIM_LEASE
from bot.team.decision_makers import decision_makers
from models.hiring import Person
from models.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ReminderDue:
    request_id: int
    interview_id: int
    interviewer_slack_id: str
    channel: str
    thread_ts: str
    candidate_name: str
    stage_name: str
    ended_at: datetime
    number: int


def claim_due_reminders(uow: UnitOfWork, now: datetime, company: ZoneInfo) -> list[ReminderDue]:
    """The reminders this worker now owns and must send (each claim is committed at once)."""
    claimed = [
        _claim_reminder(uow, request_id, now, company)
        for request_id in uow.feedback.due_reminder_ids(now)
    ]
    return [due for due in claimed if due is not None]


def _claim_reminder(
    uow: UnitOfWork, request_id: int, now: datetime, company: ZoneInfo
) -> ReminderDue | None:
    context = uow.feedback.request_context(request_id)
    working = next_working_time(now, _hours(context.interviewer, company))
    if working > now:  # due while they are off: wait for their next working time
        uow.feedback.set_request_fields(request_id, next_reminder_at=working)
        uow.commit()
        return None
    if not uow.feedback.claim_reminder(request_id, now, now + CLAIM_LEASE):
        uow.rollback()
        return None
    uow.commit()
    request = context.request
    assert request.slack_channel is not None and request.slack_ts is not None
    return ReminderDue(
        request_id=request.id,
        interview_id=context.interview.id,
        interviewer_slack_id=context.interviewer.slack_id,
        channel=request.slack_channel,
        thread_ts=request.slack_ts,
        candidate_name=context.candidate.name,
        stage_name=context.stage.name,
        ended_at=context.interview.ends_at,
        number=request.reminder_count + 1,
    )


def record_reminder_sent(
    uow: UnitOfWork, due: ReminderDue, now: datetime, company: ZoneInfo
) -> None:
    interviewer = uow.feedback.request_context(due.request_id).interviewer
    next_at = reminder_after(now, due.number, _hours(interviewer, company))
    uow.feedback.record_reminder(due.request_id, now, next_at)
    uow.commit()


def release_reminder(uow: UnitOfWork, request_id: int, now: datetime) -> None:
    """Slack did not take the reminder: the next run tries again."""
    uow.feedback.set_request_fields(request_id, next_reminder_at=now)
    uow.commit()


@dataclass(frozen=True)
class Escalation:
    interview_id: int
    candidate_name: str
    stage_name: str
    ended_at: datetime
    late_slack_ids: tuple[str, ...]
    recipient_slack_ids: tuple[str, ...]
    request_ids: tuple[int, ...]


def claim_due_escalations(uow: UnitOfWork, now: datetime, company: ZoneInfo) -> list[Escalation]:
    """Feedback still missing 48 h after the end (in company working hours), one per interview."""
    by_interview: dict[int, list[int]] = {}
    for interview_id, request_id in uow.feedback.late_requests(now - ESCALATE_AFTER):
        by_interview.setdefault(interview_id, []).append(request_id)
    escalations = []
    for request_ids in by_interview.values():
        escalation = _claim_escalation(uow, request_ids, now, WorkingHours(company))
        if escalation is not None:
            escalations.append(escalation)
    return escalations


def release_escalation(uow: UnitOfWork, escalation: Escalation) -> None:
    uow.feedback.release_escalations(list(escalation.request_ids))
    uow.commit()


def _claim_escalation(
    uow: UnitOfWork, request_ids: list[int], now: datetime, company: WorkingHours
) -> Escalation | None:
    context = uow.feedback.request_context(request_ids[0])
    interview = context.interview
    if escalation_due_at(interview.ends_at, company) > now:
        return None
    claimed = [rid for rid in request_ids if uow.feedback.claim_escalation(rid, now)]
    uow.commit()
    if not claimed:
        return None
    late = [uow.feedback.request_context(rid).interviewer.slack_id for rid in claimed]
    return Escalation(
        interview_id=interview.id,
        candidate_name=context.candidate.name,
        stage_name=context.stage.name,
        ended_at=interview.ends_at,
        late_slack_ids=tuple(late),
        recipient_slack_ids=tuple(decision_makers(uow, interview)),
        request_ids=tuple(claimed),
    )


def _hours(person: Person, company: ZoneInfo) -> WorkingHours:
    return WorkingHours.of(person.timezone, person.work_start, person.work_end, company)
