"""The periodic jobs the worker runs. Each reads the clock afresh and is safe to run twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.container import Container


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[Container], object]
    every: timedelta
    first_delay_seconds: float = 0


def _jobs() -> list[Job]:
    # Imported here so that `bot.app.jobs` stays importable by every job module.
    from handlers.calendar_sync.listeners import run_calendar_sync
    from handlers.decisions.notify import send_decision_requests
    from handlers.digest.job import send_daily_digest
    from handlers.feedback.notify_reminders import send_feedback_reminders
    from handlers.feedback.notify_requests import send_feedback_requests

    jobs = [Job("calendar_sync", run_calendar_sync, every=timedelta(minutes=2))]
    jobs.append(Job(name="daily_digest", run=send_daily_digest, every=timedelta(minutes=1)))
    jobs.append(Job("feedback_requests", send_feedback_requests, every=timedelta(minutes=1)))
    jobs.append(Job("feedback_reminders", send_feedback_reminders, every=timedelta(minutes=1)))
    jobs.append(Job("decision_requests", send_decision_requests, every=timedelta(minutes=1)))
    return jobs


JOBS: list[Job] = _jobs()
