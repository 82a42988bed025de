"""The daily retention job: a candidate idle for RETENTION_MONTHS is gone from every table and
from the calendar the bot owns; a more recent one stays; a calendar failure is retried."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app.jobs import JOBS
from bot.container import Container
from bot.privacy.service import PrivacyService
from calendars.provider import CalendarError
from models import AuditEntry, Candidate, Interview, InterviewStatus, LocalCalendarEvent
from tests.clock import FixedClock
from tests.e2e.privacy_world import (
    ADA_EMAIL,
    ADA_NAME,
    NOTE,
    SUMMARY,
    booked_and_reviewed,
    recent_candidate,
    rows_mentioning,
    rows_referencing,
)
from tests.fakes.slack_api import FakeSlackAPI

RETENTION = next(job for job in JOBS if job.name == "retention")


def _interview_ids(container: Container, candidate_id: int) -> set[int]:
    with container.unit_of_work() as uow:
        return set(
            uow.session.scalars(select(Interview.id).where(Interview.candidate_id == candidate_id))
        )


def test_a_candidate_idle_25_months_is_erased_everywhere_and_one_idle_23_months_stays(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    ada = booked_and_reviewed(bot_url, fake_slack, container, clock)
    bob_id = recent_candidate(container, clock, months_later=2)
    assert rows_mentioning(container, ADA_EMAIL, SUMMARY)  # the check below can fail
    clock.at = clock.now() + timedelta(days=25 * 30.5)

    RETENTION.run(container)

    assert rows_mentioning(container, ADA_EMAIL, ADA_NAME, SUMMARY, NOTE) == []
    assert rows_referencing(container, "candidates", {ada.candidate_id}) == []
    assert rows_referencing(container, "interviews", {ada.interview_id}) == []
    with container.unit_of_work() as uow:
        s = uow.session
        assert s.get(Candidate, ada.candidate_id) is None
        assert s.get(Candidate, bob_id) is not None
        assert _interview_ids(container, bob_id)
        local = s.scalars(
            select(LocalCalendarEvent).where(
                LocalCalendarEvent.event_id.in_(ada.calendar_event_ids)
            )
        ).all()
        assert local == []
        erased = s.scalars(select(AuditEntry).where(AuditEntry.action == "candidate.erased")).one()
        assert (erased.subject_type, erased.subject_id) == ("candidate", ada.candidate_id)
        assert erased.detail == {"why": "retention"}
    left = {event.event_id for event in container.calendar.list_changes(None).events}
    assert left.isdisjoint(ada.calendar_event_ids)


def test_the_digest_naming_the_erased_candidate_keeps_the_others(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    booked_and_reviewed(bot_url, fake_slack, container, clock)
    clock.at = clock.now() + timedelta(days=25 * 30.5)
    RETENTION.run(container)
    with container.unit_of_work() as uow:
        digest = uow.outbox.by_key("digest:2026-11-26")
        assert digest is not None
        assert digest.payload["text"] == "Waiting for a decision: [erased] <[erased]>, Bob Martin"


def test_a_calendar_failure_keeps_everything_until_the_next_run(
    bot_url: str, container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    ada = booked_and_reviewed(bot_url, fake_slack, container, clock)
    clock.at = clock.now() + timedelta(days=25 * 30.5)
    working = container.privacy

    class Unreachable:
        def cancel_event(self, event_id: str, notify: bool = True) -> None:
            raise CalendarError("calendar down")

    container.privacy = PrivacyService(
        container.unit_of_work,
        clock,
        Unreachable(),  # type: ignore[arg-type]
        retention_months=24,
    )
    RETENTION.run(container)
    with container.unit_of_work() as uow:
        interview = uow.session.get(Interview, ada.interview_id)
        assert interview is not None and interview.status == InterviewStatus.CANCELLED
        assert uow.session.get(Candidate, ada.candidate_id) is not None
    container.outbox.deliver_due()
    fake_slack_posts = len(fake_slack.calls("chat.postMessage"))
    container.calendar_sync.follow_calendar()  # the sync tells no one about the erasure

    container.privacy = working
    RETENTION.run(container)
    container.outbox.deliver_due()
    assert rows_mentioning(container, ADA_EMAIL, SUMMARY) == []
    assert len(fake_slack.calls("chat.postMessage")) == fake_slack_posts
