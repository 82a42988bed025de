"""A candidate with everything the bot can hold about them, and a check that none of it is left."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.container import Container
from models import Base, Interview, TeamRole
from models.feedback_schemas import ScorecardDraft
from models.outbox import NewMessage
from tests import builders
from tests.clock import FixedClock
from tests.e2e.scheduling_helpers import book_hr_screening
from tests.fakes.slack_api import FakeSlackAPI

ADA_NAME, ADA_EMAIL = "Ada Lovelace", "ada@example.com"
SUMMARY = "Clear about why she wants the role; fluent in French and English."
NOTE = "Asked sharp questions about the team."


@dataclass(frozen=True)
class Booked:
    candidate_id: int
    interview_id: int
    calendar_event_ids: list[str]


def booked_and_reviewed(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container, clock: FixedClock
) -> Booked:
    """Ada booked through the scheduling modal, her HR screening held, scored by Hanna, her
    decision asked for, and a digest naming her in the outbox."""
    interview_id = int(book_hr_screening(bot_url, fake_slack, container))
    with container.unit_of_work() as uow:
        interview = uow.session.get(Interview, interview_id)
        assert interview is not None
        candidate_id, ends_at = interview.candidate_id, interview.ends_at
        event_ids = [event.calendar_event_id for event in interview.events]
    clock.at = ends_at + timedelta(minutes=10)
    container.feedback.send_due_requests()
    container.feedback.submit("U_HR", _scorecard(interview_id))
    container.decisions.send_decision_requests()
    with container.unit_of_work() as uow:
        digest = {"text": f"Waiting for a decision: {ADA_NAME} <{ADA_EMAIL}>, Bob Martin"}
        uow.outbox.enqueue(
            NewMessage(key="digest:2026-11-26", kind="digest", payload=digest, recipient="C1"),
            clock.now(),
        )
        uow.commit()
    return Booked(candidate_id, interview_id, event_ids)


def _scorecard(interview_id: int) -> ScorecardDraft:
    return ScorecardDraft(
        interview_id=interview_id,
        base_version=0,
        view_id="V_HR_SCORECARD",
        ratings={"motivation": "4", "languages": "3", "decision-clarity": "3"},
        notes={"motivation": NOTE},
        recommendation="yes",
        summary=SUMMARY,
    )


def recent_candidate(container: Container, clock: FixedClock, months_later: int) -> int:
    """Bob, created and interviewed `months_later` months after now (by 30-day months)."""
    when = clock.now() + timedelta(days=30 * months_later)
    with container.unit_of_work() as uow:
        s = uow.session
        grace = builders.person(s, "U_GRACE", "Grace", TeamRole.INTERVIEWER)
        bob = builders.candidate(s, "Bob Martin", "bob@example.com", when, "hr-screening")
        builders.interview(s, bob, "hr-screening", when, [grace])
        uow.commit()
        return bob.id


def every_row(container: Container) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, read raw (no column type decodes anything)."""
    found: dict[str, list[dict[str, Any]]] = {}
    with container.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            rows = connection.exec_driver_sql(f"SELECT * FROM {table.name}").mappings()
            found[table.name] = [dict(row) for row in rows]
    return found


def rows_mentioning(container: Container, *texts: str) -> list[tuple[str, dict[str, Any]]]:
    """The rows, in any table, whose raw columns contain one of `texts`."""
    hits = []
    for table, rows in every_row(container).items():
        for row in rows:
            flat = json.dumps(row, default=str, ensure_ascii=False)
            if any(text in flat for text in texts):
                hits.append((table, row))
    return hits


def rows_referencing(container: Container, table: str, ids: set[int]) -> list[str]:
    """Tables holding a row whose foreign key points at one of `ids` in `table`."""
    referencing = []
    with container.engine.connect() as connection:
        for other in Base.metadata.sorted_tables:
            for fk in other.foreign_keys:
                if fk.column.table.name != table:
                    continue
                column = fk.parent
                found = connection.execute(select(column).where(column.in_(sorted(ids)))).first()
                if found is not None:
                    referencing.append(f"{other.name}.{column.name}")
    return referencing
