"""Following the organizer's calendar: what changed outside the bot, and what that means here.

Changes are found by comparing the calendar with our records, so re-reading everything (first
run, expired sync token) reports nothing twice, and the bot's own moves are not news. Each change
carries a fingerprint (the event and its new start, the participant who declined, the deleted
event) from which its messages' outbox keys are made: the same change found twice (two syncs that
overlapped) is told once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from bot.scheduling.service import audit
from bot.scheduling.summary import InterviewSummary
from calendars.provider import CalendarEvent, ResponseStatus
from models.hiring import (
    InterviewEvent,
    InterviewParticipant,
    InterviewStatus,
    ParticipantKind,
    Person,
)
from models.unit_of_work import UnitOfWork

ORGANIZER_CALENDAR = "organizer"
ChangeKind = Literal["declined", "moved", "deleted"]


@dataclass(frozen=True)
class Replacement:
    person_id: int
    slack_id: str
    name: str


@dataclass(frozen=True)
class CalendarChange:
    kind: ChangeKind
    interview_id: int
    fingerprint: str  # names this change for good: the same change read twice has the same one
    who_email: str | None = None
    who_slack_id: str | None = None
    who_person_id: int | None = None
    replacements: tuple[Replacement, ...] = ()


@dataclass(frozen=True)
class Notice:
    """A change with what its messages need."""

    change: CalendarChange
    summary: InterviewSummary


@dataclass(frozen=True)
class PoolAlternatives:
    """Who else from a declined session's pool could take it, and when that session is."""

    start: datetime
    end: datetime
    people: list[Person]
    buffer: timedelta  # the stage's: a replacement must be free this long around the session


def follow_event(
    uow: UnitOfWork, row: InterviewEvent, event: CalendarEvent, now: datetime
) -> list[CalendarChange]:
    """Bring one of our interview events in line with the calendar; returns what changed."""
    interview = row.interview
    if event.status == "cancelled":
        interview.status = InterviewStatus.CANCELLED
        interview.updated_at = now
        audit(
            uow,
            now,
            None,
            "interview.cancelled_in_calendar",
            interview.id,
            {"event": event.event_id},
        )
        return [CalendarChange("deleted", interview.id, f"event{row.id}")]
    found: list[CalendarChange] = []
    if (event.start, event.end) != (row.starts_at, row.ends_at):
        interview.move_event(row, event.start, event.end, now)
        audit(
            uow,
            now,
            None,
            "interview.moved_in_calendar",
            interview.id,
            {"event": event.event_id, "starts_at": event.start.isoformat()},
        )
        starts = event.start.astimezone(UTC)
        found.append(CalendarChange("moved", interview.id, f"event{row.id}@{starts:%Y%m%dT%H%MZ}"))
    for participant, answer in new_answers(row, event):
        participant.response_status = answer
        if answer == "declined":
            found.append(_declined(uow, participant, interview.id, now))
    return found


def new_answers(
    row: InterviewEvent, event: CalendarEvent
) -> list[tuple[InterviewParticipant, ResponseStatus]]:
    """The participants whose answer in the calendar differs from the one we know."""
    answers = {a.email.lower(): a.response_status for a in event.attendees}
    changed = []
    for participant in row.participants:
        answer = answers.get(participant.email.lower())
        if answer is not None and answer != participant.response_status:
            changed.append((participant, answer))
    return changed


def _declined(
    uow: UnitOfWork, participant: InterviewParticipant, interview_id: int, now: datetime
) -> CalendarChange:
    person = participant.person
    # Who declined, by reference only: the audit keeps no email (a candidate's is personal data).
    who: dict[str, object] = {"participant": participant.kind.value}
    if person is not None:
        who["person_id"] = person.id
    audit(uow, now, None, "interview.declined", interview_id, who)
    return CalendarChange(
        "declined",
        interview_id,
        f"participant{participant.id}",
        who_email=participant.email,
        who_slack_id=person.slack_id if person else None,
        who_person_id=person.id if person else None,
    )


def pool_alternatives(
    uow: UnitOfWork, interview_id: int, person_id: int
) -> PoolAlternatives | None:
    """The other active members, with an email, of the pool of the session `person_id` left."""
    interview = uow.interviews.interview_with_events(interview_id)
    if interview is None:
        return None
    sessions = {s.id: s for s in interview.stage.sessions}
    for event in interview.events:
        ids = {p.person_id for p in event.participants if p.kind == ParticipantKind.INTERVIEWER}
        if person_id not in ids:
            continue
        session = sessions.get(event.stage_session_id or 0) or interview.stage.sessions[0]
        members = uow.people.pool_members([session.pool_key])[session.pool_key]
        others = [p for p in members if p.id not in ids and p.email]
        buffer = timedelta(minutes=interview.stage.buffer_minutes)
        return PoolAlternatives(event.starts_at, event.ends_at, others, buffer)
    return None
