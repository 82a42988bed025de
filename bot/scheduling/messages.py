"""The scheduling flow's messages, enqueued in the outbox in the transaction that causes them.

Each key names its message for good, so enqueuing it again (a retry, or the reconciler finishing a
booking that a click finished meanwhile) changes nothing:

- `booking-dm:{interview_id}:{slack_id}:{change}:{version}`: an interviewer's DM about a booking,
  a move or a cancellation; `version` is the scheduling request that booked or moved it
  (`0` for the cancellation, `r{leaving_id}` for the colleague replacing one who declined).
- `confirmation:{interview_id}`: the scheduler's confirmation, posted once. Every later change is
  an UPDATE row `confirmation:{interview_id}:{change}:{version}` that edits it in place.

A DM Slack will never deliver (an interviewer who left) is told to the scheduler by the outbox's
failure notice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.scheduling.ports import BookingMessages, Change
from bot.scheduling.summary import InterviewSummary
from models.outbox import NewMessage, OutboxAction
from models.unit_of_work import UnitOfWork

DM_KIND = "booking_dm"
CONFIRMATION_KIND = "booking_confirmation"
UNDONE_KIND = "booking_undone"
_DM_NAMES: dict[Change, str] = {
    "booked": "booking DM",
    "moved": "DM about the move",
    "cancelled": "cancellation DM",
}


def confirmation_key(interview_id: int) -> str:
    return f"confirmation:{interview_id}"


def _about(summary: InterviewSummary) -> str:
    return f"{summary.candidate_name} · {summary.stage_name}"


def interviewer_dms(
    composer: BookingMessages,
    summary: InterviewSummary,
    change: Change,
    version: str,
    scheduler_slack_id: str | None,
    slack_ids: Iterable[str] | None = None,
) -> list[NewMessage]:
    """One DM per interviewer (or per one of `slack_ids`); a DM that cannot be delivered is
    told to the scheduler."""
    payload = composer.interviewer_notice(summary, change)
    return [
        NewMessage(
            key=f"booking-dm:{summary.interview_id}:{slack_id}:{change}:{version}",
            kind=DM_KIND,
            payload=payload,
            recipient=slack_id,
            summary=f"the {_DM_NAMES[change]} for {_about(summary)}",
            notify_slack_id=scheduler_slack_id,
        )
        for slack_id in (summary.interviewer_slack_ids if slack_ids is None else slack_ids)
    ]


def confirmation(
    uow: UnitOfWork,
    composer: BookingMessages,
    summary: InterviewSummary,
    scheduler_slack_id: str,
    revision: str,
    note: str = "",
) -> NewMessage:
    """The scheduler's confirmation: posted to them the first time, edited in place after
    (`revision` names the edit, e.g. `moved:12`)."""
    key = confirmation_key(summary.interview_id)
    payload = composer.confirmation(summary, note)
    what = f"the booking confirmation for {_about(summary)}"
    if uow.outbox.status_of(key) is None:
        return NewMessage(
            key=key,
            kind=CONFIRMATION_KIND,
            payload=payload,
            recipient=scheduler_slack_id,
            summary=what,
        )
    return NewMessage(
        key=f"{key}:{revision}",
        kind=CONFIRMATION_KIND,
        payload=payload,
        action=OutboxAction.UPDATE,
        target_key=key,
        summary=f"the update of {what}",
        notify_slack_id=scheduler_slack_id,
    )


def booking_undone(
    composer: BookingMessages, summary: InterviewSummary, told_slack_id: str, reason: str
) -> NewMessage:
    return NewMessage(
        key=f"booking-undone:{summary.interview_id}",
        kind=UNDONE_KIND,
        payload=composer.booking_undone(summary, reason),
        recipient=told_slack_id,
        summary=f"the notice that the booking for {_about(summary)} was undone",
    )


def enqueue(uow: UnitOfWork, messages: Sequence[NewMessage], now: datetime) -> tuple[str, ...]:
    """Add the messages to the outbox in this transaction; returns their keys, to deliver them
    right after the commit."""
    uow.outbox.enqueue_all(list(messages), now)
    return tuple(m.key for m in messages)
