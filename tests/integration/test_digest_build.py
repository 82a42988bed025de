"""The digest's figures from real queries, on SQLite, MariaDB and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, event

from bot.container import Container
from bot.digest.build import build_digest
from bot.digest.model import (
    Digest,
    FunnelStep,
    InterviewerLoad,
    Opinion,
    RoleFunnel,
    StageCount,
)
from models import DigestDelivery, Recommendation
from models.outbox import NewMessage
from tests import digest_scenario
from tests.digest_scenario import MONDAY, NOW


def _digest(container: Container, now: Any = NOW) -> Digest:
    with container.unit_of_work() as uow:
        return build_digest(uow, now, container.settings.zone)


def _hiring_week(container: Container, copies: range = range(1)) -> None:
    with container.unit_of_work() as uow:
        people = digest_scenario.team(uow.session)
        for copy in copies:
            digest_scenario.hiring_week(uow.session, people, copy)
        uow.commit()


@contextmanager
def _counting_statements(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_todays_interviews_show_time_candidate_stage_and_interviewers(
    container: Container,
) -> None:
    _hiring_week(container)
    today = _digest(container).interviews_today
    assert today.total == 1
    (ada,) = today.items
    assert (ada.candidate, ada.stage, ada.interviewer_slack_ids) == (
        "Ada",
        "HR screening",
        ("U_HR",),
    )
    assert ada.starts_at == NOW + timedelta(hours=5)


def test_feedback_since_the_last_digest_is_grouped_by_interview(container: Container) -> None:
    _hiring_week(container)
    digest = _digest(container)
    # No digest sent yet: since the start of the previous working day (Monday, Paris).
    assert digest.feedback_since == MONDAY - timedelta(hours=1)
    (bob,) = digest.feedback_received.items
    assert (bob.candidate, bob.stage) == ("Bob", "Hiring manager interview")
    assert bob.opinions == (Opinion("U_ENG", Recommendation.YES),)


def _digest_sent(container: Container, day: date, claimed_at: Any, sent_at: Any | None) -> None:
    """A digest as the job and the outbox leave it: the day's claim and its post, delivered at
    `sent_at` (None: not delivered yet)."""
    with container.unit_of_work() as uow:
        uow.session.add(DigestDelivery(digest_date=day, recipient="U_HEAD", claimed_at=claimed_at))
        key = f"digest:{day.isoformat()}"
        uow.outbox.enqueue(NewMessage(key, "digest", {"text": "digest"}, "U_HEAD"), claimed_at)
        uow.flush()
        row = uow.outbox.by_key(key)
        assert row is not None
        if sent_at is not None:
            uow.outbox.mark_sent(row.id, key, "DU_HEAD", "1.1", sent_at)
        uow.commit()


def test_feedback_window_starts_at_the_previous_digest(container: Container) -> None:
    _hiring_week(container)
    _digest_sent(
        container, date(2026, 11, 23), MONDAY + timedelta(hours=8), MONDAY + timedelta(hours=17)
    )
    digest = _digest(container)
    assert digest.feedback_since == MONDAY + timedelta(hours=17)
    assert not digest.feedback_received


def test_the_window_counts_a_digest_once_its_post_is_delivered(container: Container) -> None:
    """Enqueued is not sent; and a digest of the same day (sent at 09:00) never opens the window."""
    _hiring_week(container)
    _digest_sent(container, date(2026, 11, 23), MONDAY + timedelta(hours=8), None)
    _digest_sent(container, NOW.date(), NOW, NOW + timedelta(minutes=1))
    digest = _digest(container, NOW + timedelta(hours=2))
    assert digest.feedback_since == MONDAY - timedelta(hours=1)
    (bob,) = digest.feedback_received.items
    assert bob.candidate == "Bob"


def test_overdue_feedback_is_24_hours_after_the_interview(container: Container) -> None:
    _hiring_week(container)
    overdue = _digest(container).overdue_feedback
    assert overdue.total == 1
    (cleo,) = overdue.items
    assert (cleo.interviewer_slack_id, cleo.candidate, cleo.stage) == (
        "U_ENG",
        "Cleo",
        "Technical test",
    )
    assert cleo.late_by == timedelta(days=3, hours=20, minutes=30)
    # Bob's second scorecard becomes overdue 24 h after his interview ended (Monday 15:00 UTC).
    later = _digest(container, MONDAY + timedelta(days=1, hours=15, minutes=1)).overdue_feedback
    assert [item.candidate for item in later.items] == ["Cleo", "Bob"]


def test_candidates_wait_for_a_decision_when_asked_or_when_all_feedback_is_in(
    container: Container,
) -> None:
    _hiring_week(container)
    waiting = _digest(container).awaiting_decision
    assert [(w.candidate, w.decision_requested) for w in waiting.items] == [
        ("Dan", False),
        ("Eve", True),
    ]
    dan = waiting.items[0]
    assert dict(dan.recommendations) == {Recommendation.STRONG_YES: 1, Recommendation.YES: 1}
    assert dan.waiting_for == timedelta(days=3)


def test_pipeline_counts_active_candidates_with_median_days_in_stage(
    container: Container,
) -> None:
    _hiring_week(container)
    (role,) = _digest(container).pipeline
    assert role.role == "Lead Backend Developer"
    assert role.stages == (
        StageCount("HR screening", 2, 1.5),
        StageCount("Hiring manager interview", 1, 10.0),
        StageCount("Technical test", 1, 20.0),
        StageCount("Onsite", 2, 32.5),
    )


def test_load_counts_this_weeks_interviews_per_interviewer(container: Container) -> None:
    _hiring_week(container)
    load = _digest(container).load
    assert load.items == (
        InterviewerLoad("U_ENG", 1, 60, None),
        InterviewerLoad("U_ENG2", 1, 60, None),
        InterviewerLoad("U_HR", 1, 30, None),
    )


def test_funnel_counts_who_reached_each_stage_among_the_last_30_days_candidates(
    container: Container,
) -> None:
    _hiring_week(container)
    assert _digest(container).funnel == (
        RoleFunnel(
            "Lead Backend Developer",
            (
                FunnelStep("HR screening", 6),
                FunnelStep("Hiring manager interview", 3),
                FunnelStep("Technical test", 2),
                FunnelStep("Onsite", 1),
            ),
        ),
    )


def test_an_empty_database_gives_an_empty_digest(container: Container) -> None:
    digest = _digest(container)
    assert digest.is_empty
    assert not digest.has_chart


def test_the_digest_takes_the_same_number_of_queries_whatever_the_data_size(
    container: Container,
) -> None:
    _hiring_week(container)
    with _counting_statements(container.engine) as small:
        small_digest = _digest(container)
    _hiring_week_copies(container, 12)
    with _counting_statements(container.engine) as large:
        large_digest = _digest(container)
    assert large_digest.pipeline[0].candidates == 13 * small_digest.pipeline[0].candidates
    assert len(large) == len(small) == 9


def _hiring_week_copies(container: Container, copies: int) -> None:
    with container.unit_of_work() as uow:
        people = digest_scenario.Team(
            *(
                uow.people.person_by_slack_id(slack_id)
                for slack_id in ("U_HEAD", "U_HR", "U_ENG", "U_ENG2", "U_CTO")
            )
        )
        for copy in range(1, copies + 1):
            digest_scenario.hiring_week(uow.session, people, copy)
        uow.commit()
