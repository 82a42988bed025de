"""What the bot holds about a candidate: who has been idle too long, all of it for an export, and
its erasure (the rows, the outbox messages about them, the personal data in the audit log).

A candidate's rows: the candidate, their interviews with events and participants, scheduling
requests, feedback requests, feedback with every version and its ratings, decisions (on the
interviews), the local calendar's copies of their events and the outbox messages keyed by any of
them. Outbox messages about many people (a digest) lose the candidate's name and email instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Text, and_, cast, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from models.hiring import (
    AuditEntry,
    Candidate,
    Feedback,
    FeedbackRating,
    FeedbackRequest,
    Interview,
    InterviewEvent,
    InterviewParticipant,
    InterviewStatus,
    SchedulingRequest,
)
from models.local_calendar import LocalCalendarAttendee, LocalCalendarEvent
from models.outbox import OutboxMessage

ERASED = "[erased]"
# Outbox keys naming an interview or a feedback request (bot/*/messages, requests, reminders):
# the exact key, or the key followed by ":...".
INTERVIEW_KEYS = (
    "confirmation",
    "booking-dm",
    "booking-undone",
    "calendar-change",
    "decision-card",
    "decision-update",
)
FEEDBACK_REQUEST_KEYS = (
    "feedback-request",
    "feedback-submitted",
    "feedback-reminder",
    "feedback-escalation",
)
# Shorter names would match unrelated text in a digest.
MIN_REDACTED_LENGTH = 3


class PrivacyRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # -- finding ---------------------------------------------------------------------------

    def idle_candidates(self, active_before: datetime, limit: int) -> list[int]:
        """Candidates with nothing since `active_before`: not created or moved to a stage, no
        interview created, held or decided, no feedback, no scheduling request."""
        recent_interview = exists().where(
            Interview.candidate_id == Candidate.id,
            or_(
                Interview.created_at >= active_before,
                Interview.ends_at >= active_before,
                Interview.decided_at >= active_before,
            ),
        )
        recent_feedback = exists().where(
            Interview.candidate_id == Candidate.id,
            Feedback.interview_id == Interview.id,
            Feedback.submitted_at >= active_before,
        )
        recent_request = exists().where(
            SchedulingRequest.candidate_id == Candidate.id,
            or_(
                SchedulingRequest.created_at >= active_before,
                SchedulingRequest.updated_at >= active_before,
            ),
        )
        return list(
            self._session.scalars(
                select(Candidate.id)
                .where(
                    Candidate.created_at < active_before,
                    Candidate.stage_entered_at < active_before,
                    ~recent_interview,
                    ~recent_feedback,
                    ~recent_request,
                )
                .order_by(Candidate.id)
                .limit(limit)
            )
        )

    def candidates_by_email(self, email: str) -> list[Candidate]:
        """Every candidate file with this email (one per role applied to)."""
        return list(
            self._session.scalars(
                select(Candidate)
                .where(func.lower(Candidate.email) == email.strip().lower())
                .options(selectinload(Candidate.role), selectinload(Candidate.current_stage))
                .order_by(Candidate.id)
            )
        )

    def candidate(self, candidate_id: int) -> Candidate | None:
        return self._session.get(Candidate, candidate_id)

    def interviews_of(self, candidate_id: int) -> list[Interview]:
        return list(
            self._session.scalars(
                select(Interview)
                .where(Interview.candidate_id == candidate_id)
                .options(
                    selectinload(Interview.stage),
                    selectinload(Interview.events).selectinload(InterviewEvent.participants),
                )
                .order_by(Interview.starts_at, Interview.id)
            )
        )

    def feedback_on(self, interview_ids: Sequence[int]) -> list[Feedback]:
        """Every version of every scorecard on these interviews, with its ratings."""
        return list(
            self._session.scalars(
                select(Feedback)
                .where(Feedback.interview_id.in_(interview_ids))
                .options(selectinload(Feedback.ratings).selectinload(FeedbackRating.competency))
                .order_by(Feedback.interview_id, Feedback.interviewer_id, Feedback.version)
            )
        )

    def feedback_requests_on(self, interview_ids: Sequence[int]) -> list[FeedbackRequest]:
        return list(
            self._session.scalars(
                select(FeedbackRequest)
                .where(FeedbackRequest.interview_id.in_(interview_ids))
                .order_by(FeedbackRequest.id)
            )
        )

    def scheduling_requests_of(self, candidate_id: int) -> list[SchedulingRequest]:
        return list(
            self._session.scalars(
                select(SchedulingRequest)
                .where(SchedulingRequest.candidate_id == candidate_id)
                .options(selectinload(SchedulingRequest.stage))
                .order_by(SchedulingRequest.id)
            )
        )

    def audit_about(self, candidate_id: int) -> list[AuditEntry]:
        """The audit entries whose subject is the candidate or one of their rows."""
        return list(
            self._session.scalars(
                select(AuditEntry)
                .where(self._about(candidate_id))
                .order_by(AuditEntry.at, AuditEntry.id)
            )
        )

    # -- erasing ---------------------------------------------------------------------------

    def withdraw_interviews(self, candidate_id: int, now: datetime) -> None:
        """Cancel their interviews here first, quietly: the calendar sync follows only scheduled
        interviews, so the calendar events cancelled next are not news to tell anyone."""
        self._session.execute(
            update(Interview)
            .where(
                Interview.candidate_id == candidate_id,
                Interview.status != InterviewStatus.CANCELLED,
            )
            .values(status=InterviewStatus.CANCELLED, updated_at=now)
            .execution_options(synchronize_session=False)
        )

    def erase(self, candidate_id: int, calendar_event_ids: Sequence[str]) -> None:
        """Delete the candidate and everything about them; scrub their audit entries."""
        candidate = self._session.get(Candidate, candidate_id)
        if candidate is None:
            return
        interview_ids = self._ids(Interview.id, Interview.candidate_id == candidate_id)
        self._forget_messages(candidate, interview_ids)
        self._scrub_audit(candidate_id)
        self._delete_rows(candidate_id, interview_ids)
        self._delete_local_events(calendar_event_ids)

    def _delete_rows(self, candidate_id: int, interview_ids: list[int]) -> None:
        feedback_ids = self._ids(Feedback.id, Feedback.interview_id.in_(interview_ids))
        event_ids = self._ids(InterviewEvent.id, InterviewEvent.interview_id.in_(interview_ids))
        for statement in (
            delete(FeedbackRating).where(FeedbackRating.feedback_id.in_(feedback_ids)),
            delete(Feedback).where(Feedback.id.in_(feedback_ids)),
            delete(FeedbackRequest).where(FeedbackRequest.interview_id.in_(interview_ids)),
            delete(InterviewParticipant).where(
                InterviewParticipant.interview_event_id.in_(event_ids)
            ),
            delete(InterviewEvent).where(InterviewEvent.id.in_(event_ids)),
            delete(SchedulingRequest).where(
                or_(
                    SchedulingRequest.candidate_id == candidate_id,
                    SchedulingRequest.interview_id.in_(interview_ids),
                )
            ),
            delete(Interview).where(Interview.id.in_(interview_ids)),
            delete(Candidate).where(Candidate.id == candidate_id),
        ):
            self._session.execute(statement.execution_options(synchronize_session=False))

    def _delete_local_events(self, calendar_event_ids: Sequence[str]) -> None:
        """The local calendar's rows of these events (none when the calendar is Google's)."""
        if not calendar_event_ids:
            return
        local_ids = self._ids(
            LocalCalendarEvent.id, LocalCalendarEvent.event_id.in_(list(calendar_event_ids))
        )
        self._session.execute(
            delete(LocalCalendarAttendee).where(LocalCalendarAttendee.event_pk.in_(local_ids))
        )
        self._session.execute(
            delete(LocalCalendarEvent).where(LocalCalendarEvent.id.in_(local_ids))
        )

    def _forget_messages(self, candidate: Candidate, interview_ids: list[int]) -> None:
        request_ids = self._ids(FeedbackRequest.id, FeedbackRequest.interview_id.in_(interview_ids))
        keyed = [
            *_keys_of(INTERVIEW_KEYS, interview_ids),
            *_keys_of(FEEDBACK_REQUEST_KEYS, request_ids),
        ]
        message_ids = self._ids(OutboxMessage.id, or_(*keyed)) if keyed else []
        # The notices that one of those messages could not be delivered.
        keyed_notices = _keys_of(("undelivered",), message_ids)
        if keyed_notices:
            message_ids += self._ids(OutboxMessage.id, or_(*keyed_notices))
        self._session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(message_ids)))
        self._redact_mentions(_mentions(candidate))

    def _redact_mentions(self, mentions: list[str]) -> None:
        """Messages about several people (a digest) keep their place, without the candidate."""
        if not mentions:
            return
        text = cast(OutboxMessage.payload, Text)
        found = or_(
            *[text.contains(m, autoescape=True) for m in mentions],
            *[OutboxMessage.summary.contains(m, autoescape=True) for m in mentions],
        )
        for message in self._session.scalars(select(OutboxMessage).where(found)):
            message.payload = _redacted(message.payload, mentions)
            message.summary = _redact_text(message.summary, mentions)

    def _scrub_audit(self, candidate_id: int) -> None:
        """Entries about them keep who did what and when, not what it said about them."""
        self._session.execute(
            update(AuditEntry)
            .where(self._about(candidate_id))
            .values(detail={"erased_candidate": candidate_id})
            .execution_options(synchronize_session=False)
        )

    def _about(self, candidate_id: int) -> ColumnElement[bool]:
        interview_ids = select(Interview.id).where(Interview.candidate_id == candidate_id)
        feedback_ids = select(Feedback.id).where(Feedback.interview_id.in_(interview_ids))
        request_ids = select(SchedulingRequest.id).where(
            SchedulingRequest.candidate_id == candidate_id
        )
        return or_(
            and_(AuditEntry.subject_type == "candidate", AuditEntry.subject_id == candidate_id),
            and_(AuditEntry.subject_type == "interview", AuditEntry.subject_id.in_(interview_ids)),
            and_(AuditEntry.subject_type == "feedback", AuditEntry.subject_id.in_(feedback_ids)),
            and_(
                AuditEntry.subject_type == "scheduling_request",
                AuditEntry.subject_id.in_(request_ids),
            ),
        )

    def _ids(self, column: Any, condition: ColumnElement[bool]) -> list[int]:
        return list(self._session.scalars(select(column).where(condition)))

    # -- encryption at rest ----------------------------------------------------------------

    def reencrypt_feedback_text(self) -> int:
        """Write every feedback summary and rating note again, so the first key encrypts them
        (rows written in plain text or with an older key); returns the rows written."""
        written = 0
        for feedback_id, summary in self._session.execute(select(Feedback.id, Feedback.summary)):
            self._session.execute(
                update(Feedback).where(Feedback.id == feedback_id).values(summary=summary)
            )
            written += 1
        for rating_id, note in self._session.execute(
            select(FeedbackRating.id, FeedbackRating.note)
        ):
            self._session.execute(
                update(FeedbackRating).where(FeedbackRating.id == rating_id).values(note=note)
            )
            written += 1
        return written


def _keys_of(prefixes: Iterable[str], ids: Sequence[int]) -> list[ColumnElement[bool]]:
    key = OutboxMessage.key
    conditions: list[ColumnElement[bool]] = []
    for prefix in prefixes:
        for row_id in ids:
            exact = f"{prefix}:{row_id}"
            conditions += [key == exact, key.startswith(exact + ":", autoescape=True)]
    return conditions


def _mentions(candidate: Candidate) -> list[str]:
    """The candidate's name and email as they appear in a JSON payload and in mrkdwn."""
    found: set[str] = set()
    for text in (candidate.name, candidate.email):
        if len(text.strip()) < MIN_REDACTED_LENGTH:
            continue
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        for form in (text, escaped):
            found |= {form, json.dumps(form)[1:-1], json.dumps(form, ensure_ascii=False)[1:-1]}
    return sorted(found, key=len, reverse=True)


def _redacted(value: Any, mentions: list[str]) -> Any:
    if isinstance(value, str):
        return _redact_text(value, mentions)
    if isinstance(value, list):
        return [_redacted(item, mentions) for item in value]
    if isinstance(value, dict):
        return {key: _redacted(item, mentions) for key, item in value.items()}
    return value


def _redact_text(text: str, mentions: list[str]) -> str:
    for mention in mentions:
        text = text.replace(mention, ERASED)
    return text
