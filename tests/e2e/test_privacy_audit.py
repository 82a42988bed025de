"""The audit log holds no candidate email: a decline seen in the calendar is recorded by
reference."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.container import Container
from calendars.local import LocalCalendarProvider
from calendars.provider import EventRequest
from models import AuditEntry, Interview
from tests.e2e.feedback_world import hiring_world


def test_a_candidate_declining_is_audited_without_their_email(container: Container) -> None:
    world = hiring_world(container)
    calendar = container.calendar
    assert isinstance(calendar, LocalCalendarProvider)
    with container.unit_of_work() as uow:
        interview = uow.session.get(Interview, world.interview_id)
        assert interview is not None
        [event] = interview.events
        emails = tuple(p.email for p in event.participants)
        calendar.create_event(
            EventRequest(event.calendar_event_id, "Review", event.starts_at, event.ends_at, emails)
        )
    container.calendar_sync.follow_calendar()
    calendar.respond(event.calendar_event_id, "ada@example.com", "declined")
    calendar.respond(event.calendar_event_id, "u_eng1@example.com", "declined")
    container.calendar_sync.follow_calendar()
    with container.unit_of_work() as uow:
        declines = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "interview.declined")
        ).all()
        details = sorted((entry.detail for entry in declines), key=json.dumps)
    assert details == [
        {"participant": "candidate"},
        {"participant": "interviewer", "person_id": world.people["U_ENG1"]},
    ]
    assert "@" not in json.dumps(details)
