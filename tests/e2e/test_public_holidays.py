"""Public holidays of the company's country (HOLIDAY_COUNTRY, FR by default) are days off: no
proposals, no reminders, no digest on them. Through /slack/events, the job table, the outbox and
the fake Slack Web API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app.jobs import JOBS
from bot.container import Container
from bot.digest.delivery import Outcome
from models import DigestDelivery
from tests.clock import FixedClock
from tests.conftest import make_settings, prepared_container
from tests.e2e.feedback_world import hiring_world
from tests.e2e.scheduling_helpers import (
    busy,
    proposal_buttons,
    proposals_in,
    schedule_values,
    seed_people,
    stage_id,
    submit,
)
from tests.fakes.slack_api import FakeSlackAPI

CHRISTMAS = date(2026, 12, 25)  # a Friday
BASTILLE_DAY = date(2026, 7, 14)  # a Tuesday


def _run_job(container: Container, name: str) -> object:
    (job,) = [job for job in JOBS if job.name == name]
    return job.run(container)


def test_proposals_skip_christmas(
    bot_url: str, fake_slack: FakeSlackAPI, container: Container, clock: FixedClock
) -> None:
    clock.at = datetime(2026, 12, 22, 8, 0, tzinfo=UTC)  # Tuesday 09:00 in Paris
    seed_people(container)
    # Hanna is busy all Thursday 24 December: without the holiday, Friday 25 would come first.
    busy(
        container,
        "u_hr@example.com",
        datetime(2026, 12, 24, 8, tzinfo=UTC),
        datetime(2026, 12, 24, 17, tzinfo=UTC),
        "christmas-eve",
    )
    values = schedule_values(
        stage_id(container, "hr-screening"), ["U_HR"], date(2026, 12, 24), date(2026, 12, 28)
    )
    submit(bot_url, values)

    buttons = proposal_buttons(proposals_in(fake_slack, "V_SCHED"))
    starts = [datetime.fromisoformat(json.loads(str(b["value"]))["starts"]["1"]) for b in buttons]
    assert starts
    assert starts[0] == datetime(2026, 12, 28, 8, 0, tzinfo=UTC)  # Monday 09:00 in Paris
    assert all(start.date() != CHRISTMAS for start in starts)


@pytest.fixture
def digest_container(
    database_url: str, fake_slack: FakeSlackAPI, clock: FixedClock
) -> Iterator[Container]:
    settings = make_settings(database_url, fake_slack.url, digest_recipient="U_HEAD")
    with prepared_container(settings, clock) as built:
        yield built


def _claimed_days(container: Container) -> list[date]:
    with container.unit_of_work() as uow:
        return list(uow.session.scalars(select(DigestDelivery.digest_date)))


def test_the_digest_job_sends_nothing_on_bastille_day(
    digest_container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    clock.at = datetime(2026, 7, 14, 7, 0, tzinfo=UTC)  # 09:00 in Paris
    for _ in range(3):  # all day long
        assert _run_job(digest_container, "daily_digest") == Outcome.NOT_DUE
        _run_job(digest_container, "outbox")
        clock.at += timedelta(hours=4)
    assert fake_slack.calls("chat.postMessage") == []
    assert _claimed_days(digest_container) == []

    clock.at = datetime(2026, 7, 15, 7, 0, tzinfo=UTC)  # the next morning, a working day
    assert _run_job(digest_container, "daily_digest") == Outcome.ENQUEUED
    assert [call.params["channel"] for call in fake_slack.calls("chat.postMessage")] == ["U_HEAD"]
    assert _claimed_days(digest_container) == [date(2026, 7, 15)]


def test_a_reminder_due_on_a_holiday_moves_to_the_next_working_morning(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    # Monday 13 July 2026, 14:00-15:30 UTC: 16:00-17:30 in Paris, 10:00-11:30 in New York.
    start = datetime(2026, 7, 13, 14, 0, tzinfo=UTC)
    hiring_world(container, timezones={"U_ENG2": "America/New_York"}, start=start)
    end = start + timedelta(minutes=90)
    clock.at = end
    reminders: dict[str, list[datetime]] = {}
    while clock.at <= end + timedelta(hours=72):
        before = len(fake_slack.calls("chat.postMessage"))
        _run_job(container, "feedback_requests")
        _run_job(container, "feedback_reminders")
        _run_job(container, "outbox")
        for call in fake_slack.calls("chat.postMessage")[before:]:
            if call.params.get("thread_ts"):
                reminders.setdefault(str(call.params["channel"]), []).append(clock.at)
        clock.at += timedelta(minutes=5)

    # Paris: 4 h after the end is 21:30, and the next morning is Bastille Day: Wednesday 09:00.
    assert reminders["DU_ENG1"] == [
        datetime(2026, 7, 15, 7, 0, tzinfo=UTC),
        datetime(2026, 7, 16, 7, 0, tzinfo=UTC),
    ]
    # New York: 4 h after the end is 15:30 there, inside the day; the company's holiday is a day
    # off in New York too, so the next one is Wednesday 09:00 there.
    assert reminders["DU_ENG2"] == [
        end + timedelta(hours=4),
        datetime(2026, 7, 15, 13, 0, tzinfo=UTC),
        datetime(2026, 7, 16, 13, 0, tzinfo=UTC),
    ]
    everyone = [moment for moments in reminders.values() for moment in moments]
    assert all(moment.astimezone(UTC).date() != BASTILLE_DAY for moment in everyone)
