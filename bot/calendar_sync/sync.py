"""Keeping our interviews in step with the organizer's calendar.

Changes are found by comparing the calendar with our records, so re-reading everything (first
run, expired sync token) reports nothing twice, and the bot's own moves are not news.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.scheduling.service import BUFFER, SchedulingService, audit
from bot.scheduling.summary import InterviewSummary
from bot.shared.clock import Clock
from calendars.provider import CalendarEvent, CalendarProvider, ChangeSet, SyncTokenExpired
from models.hiring import (
    CalendarSyncState,
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
    who_email: str | None = None
    who_slack_id: str | None = None
    who_person_id: int | None = None
    replacements: tuple[Replacement, ...] = ()


@dataclass(frozen=True)
class Notice:
    """A change with what its messages need."""

    change: CalendarChange
    summary: InterviewSummary


class CalendarSync:
    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        calendar: CalendarProvider,
        clock: Clock,
        scheduling: SchedulingService,
    ) -> None:
        self._uow = unit_of_work
        self._calendar = calendar
        self._clock = clock
        self._scheduling = scheduling

    def run(self) -> list[Notice]:
        token = self._token()
        try:
            changes = self._calendar.list_changes(token)
        except SyncTokenExpired:
            changes = self._calendar.list_changes(None)
        found = self._apply(changes)
        return [
            Notice(self._with_replacements(change), self._scheduling.summary(change.interview_id))
            for change in found
        ]

    def _token(self) -> str | None:
        with self._uow() as uow:
            state = uow.interviews.sync_state(ORGANIZER_CALENDAR)
            return state.sync_token if state else None

    def _apply(self, changes: ChangeSet) -> list[CalendarChange]:
        now = self._clock.now()
        found: list[CalendarChange] = []
        with self._uow() as uow:
            for event in changes.events:
                row = uow.interviews.interview_event_by_calendar_id(event.event_id)
                if row is not None and row.interview.status == InterviewStatus.SCHEDULED:
                    found.extend(_follow(uow, row, event, now))
            state = uow.interviews.sync_state(ORGANIZER_CALENDAR)
            if state is None:
                state = CalendarSyncState(calendar_key=ORGANIZER_CALENDAR)
                uow.interviews.add(state)
            state.sync_token, state.synced_at = changes.next_sync_token, now
            uow.commit()
        return found

    def _with_replacements(self, change: CalendarChange) -> CalendarChange:
        """For a declined interviewer: who else from the session's pool is free then."""
        if change.kind != "declined" or change.who_person_id is None:
            return change
        with self._uow() as uow:
            options = _pool_alternatives(uow, change.interview_id, change.who_person_id)
        if not options:
            return change
        start, end, people = options
        busy = self._calendar.free_busy(
            [p.email or "" for p in people], start - BUFFER, end + BUFFER
        )
        free = tuple(
            Replacement(p.id, p.slack_id, p.name) for p in people if not busy.get(p.email or "")
        )
        return dataclasses.replace(change, replacements=free[:3])


def _follow(
    uow: UnitOfWork, row: InterviewEvent, event: CalendarEvent, now: datetime
) -> list[CalendarChange]:
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
        return [CalendarChange("deleted", interview.id)]
    found: list[CalendarChange] = []
    if (event.start, event.end) != (row.starts_at, row.ends_at):
        row.starts_at, row.ends_at = event.start, event.end
        interview.starts_at = min(e.starts_at for e in interview.events)
        interview.ends_at = max(e.ends_at for e in interview.events)
        interview.updated_at = now
        audit(
            uow,
            now,
            None,
            "interview.moved_in_calendar",
            interview.id,
            {"event": event.event_id, "starts_at": event.start.isoformat()},
        )
        found.append(CalendarChange("moved", interview.id))
    answers = {a.email.lower(): a.response_status for a in event.attendees}
    for participant in row.participants:
        answer = answers.get(participant.email.lower())
        if answer is None or answer == participant.response_status:
            continue
        participant.response_status = answer
        if answer == "declined":
            found.append(_declined(uow, participant, interview.id, now))
    return found


def _declined(
    uow: UnitOfWork, participant: InterviewParticipant, interview_id: int, now: datetime
) -> CalendarChange:
    audit(uow, now, None, "interview.declined", interview_id, {"email": participant.email})
    person = participant.person
    return CalendarChange(
        "declined",
        interview_id,
        who_email=participant.email,
        who_slack_id=person.slack_id if person else None,
        who_person_id=person.id if person else None,
    )


def _pool_alternatives(
    uow: UnitOfWork, interview_id: int, person_id: int
) -> tuple[datetime, datetime, list[Person]] | None:
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
        return event.starts_at, event.ends_at, others
    return None
