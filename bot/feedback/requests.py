"""Asking each interviewer for feedback once their interview is over: what is due, and claims.

A request row per (interview, interviewer) is created when the interview has ended (+5 min); the
unique key makes a second worker's insert a no-op. Sending is claimed with a conditional UPDATE
that leases the row (`next_reminder_at`), recorded as sent only once Slack answered, and released
when Slack failed, so the next run tries again. A cancelled interview gets no row; a moved one gets
its row when its new end has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.feedback.reminder_timing import WorkingHours, first_reminder_at
from models.unit_of_work import UnitOfWork

REQUEST_DELAY = timedelta(minutes=5)
# Interviews that ended longer ago than this (a long outage, a new install) are not asked about.
REQUEST_HORIZON = timedelta(days=7)
CLAIM_LEASE = timedelta(minutes=10)


@dataclass(frozen=True)
class FeedbackAsk:
    """One DM to send: what the interviewer needs to recognise the interview."""

    request_id: int
    interview_id: int
    interviewer_slack_id: str
    candidate_name: str
    stage_name: str
    starts_at: datetime
    ends_at: datetime


def open_due_requests(uow: UnitOfWork, now: datetime) -> int:
    """Create the request rows of interviews that ended; returns how many were missing."""
    ended_before = now - REQUEST_DELAY
    missing = uow.feedback.missing_requests(ended_before, now - REQUEST_HORIZON)
    uow.feedback.add_requests(
        [
            (interview_id, person_id, ends + REQUEST_DELAY)
            for interview_id, person_id, ends in missing
        ],
    )
    uow.commit()
    return len(missing)


def claim_due_requests(uow: UnitOfWork, now: datetime) -> list[FeedbackAsk]:
    """The requests this worker now owns and must send (each claim is committed at once)."""
    claimed = []
    for request_id in uow.feedback.unsent_due_request_ids(now, now - REQUEST_DELAY):
        if uow.feedback.claim_unsent_request(request_id, now, now + CLAIM_LEASE):
            uow.commit()
            claimed.append(_ask(uow, request_id))
        else:
            uow.rollback()
    return claimed


def record_request_sent(
    uow: UnitOfWork, request_id: int, channel: str, ts: str, now: datetime, company: ZoneInfo
) -> None:
    """The DM went out: remember where (reminders go in its thread) and when to remind."""
    context = uow.feedback.request_context(request_id)
    person = context.interviewer
    hours = WorkingHours.of(person.timezone, person.work_start, person.work_end, company)
    uow.feedback.set_request_fields(
        request_id,
        sent_at=now,
        slack_channel=channel,
        slack_ts=ts,
        next_reminder_at=first_reminder_at(context.interview.ends_at, now, hours),
    )
    uow.commit()


def release_request(uow: UnitOfWork, request_id: int) -> None:
    """Slack did not take the DM: the next run tries again."""
    uow.feedback.set_request_fields(request_id, next_reminder_at=None)
    uow.commit()


def _ask(uow: UnitOfWork, request_id: int) -> FeedbackAsk:
    context = uow.feedback.request_context(request_id)
    interview = context.interview
    return FeedbackAsk(
        request_id=context.request.id,
        interview_id=interview.id,
        interviewer_slack_id=context.interviewer.slack_id,
        candidate_name=context.candidate.name,
        stage_name=context.stage.name,
        starts_at=interview.starts_at,
        ends_at=interview.ends_at,
    )
