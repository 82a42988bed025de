"""Asking each interviewer for feedback once their interview is over: what is due, and the DM.

A request row per (interview, interviewer) is created when the interview has ended (+5 min); the
unique key makes a second worker's insert a no-op. A conditional UPDATE then marks the row sent
and, in the same transaction, the DM is enqueued in the outbox under `feedback-request:<id>`, which
delivers it (and retries it) on its own; whichever worker's UPDATE changed the row enqueues, and
the key would make a second enqueue a no-op anyway. A cancelled interview gets no row; a moved one
gets its row when its new end has passed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.feedback.reminder_timing import WorkingHours, first_reminder_at
from bot.shared.working_time import WorkingDays
from bot.team.decision_makers import scheduler_of
from models.feedback import RequestContext
from models.hiring import Interview
from models.outbox import NewMessage
from models.unit_of_work import UnitOfWork

REQUEST_DELAY = timedelta(minutes=5)
# Interviews that ended longer ago than this (a long outage, a new install) are not asked about.
REQUEST_HORIZON = timedelta(days=7)
REQUEST_KIND = "feedback_request"


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


def request_key(request_id: int) -> str:
    """The outbox key of a request's DM: reminders thread under it, the submission edits it."""
    return f"feedback-request:{request_id}"


def about(candidate_name: str, stage_name: str) -> str:
    """The interview a message is about, as a failure notice names it."""
    return f"{candidate_name} · {stage_name}"


def scheduler_slack_id(uow: UnitOfWork, interview: Interview) -> str | None:
    """Who hears when a message about this interview can never be delivered (None: the admins)."""
    scheduler = scheduler_of(uow, interview)
    return scheduler.slack_id if scheduler is not None else None


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


def unsent_request_ids(uow: UnitOfWork, now: datetime) -> list[int]:
    return uow.feedback.unsent_due_request_ids(now, now - REQUEST_DELAY)


def enqueue_request(
    uow: UnitOfWork,
    request_id: int,
    now: datetime,
    company: ZoneInfo,
    working_days: WorkingDays,
    compose: Callable[[FeedbackAsk], dict[str, Any]],
) -> str | None:
    """Mark the request sent and enqueue its DM, in one transaction; returns the DM's outbox key,
    or None when another worker sent it or the feedback came in first."""
    context = uow.feedback.request_context(request_id)
    person = context.interviewer
    hours = WorkingHours.of(
        person.timezone, person.work_start, person.work_end, company, working_days
    )
    first_reminder = first_reminder_at(context.interview.ends_at, now, hours)
    if not uow.feedback.mark_request_sent(request_id, now, first_reminder):
        uow.rollback()
        return None
    key = request_key(request_id)
    uow.outbox.enqueue(
        NewMessage(
            key=key,
            kind=REQUEST_KIND,
            payload=compose(_ask(context)),
            recipient=person.slack_id,
            summary=f"the feedback request for {about(context.candidate.name, context.stage.name)}",
            notify_slack_id=scheduler_slack_id(uow, context.interview),
        ),
        now,
    )
    uow.commit()
    return key


def _ask(context: RequestContext) -> FeedbackAsk:
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
