"""The feedback request job through the real APScheduler, as the worker runs it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app.jobs import JOBS
from bot.app.scheduler import build_scheduler
from bot.container import Container
from tests.clock import FixedClock
from tests.e2e.feedback_world import dms_to, hiring_world
from tests.fakes.slack_api import FakeSlackAPI


def test_the_worker_scheduler_sends_the_feedback_requests_once(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    assert {"feedback_requests", "feedback_reminders", "decision_requests"} <= {
        job.name for job in JOBS
    }
    now = datetime.now(UTC)
    clock.at = now
    hiring_world(container, start=now - timedelta(minutes=100))  # ended 10 minutes ago
    scheduler = build_scheduler(container)
    scheduler.start()
    try:
        fake_slack.wait_for(
            "chat.postMessage",
            2,
            timeout=15,
            where=lambda call: call.params.get("channel") in ("U_ENG1", "U_ENG2"),
        )
    finally:
        scheduler.shutdown(wait=True)
    assert len(dms_to(fake_slack, "U_ENG1")) == 1
    assert len(dms_to(fake_slack, "U_ENG2")) == 1
