"""APScheduler wiring: the periodic jobs, each keeping its state in our tables."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.app.jobs import JOBS, Job
from bot.container import Container

log = logging.getLogger(__name__)


def build_scheduler(container: Container, *, blocking: bool = False) -> BaseScheduler:
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    scheduler: BaseScheduler = scheduler_class(timezone=container.settings.zone)
    # The scheduler fires on the wall clock; each job reads the container's clock itself.
    now = datetime.now(UTC)
    for job in JOBS:
        scheduler.add_job(
            _guarded(job, container),
            "interval",
            seconds=job.every.total_seconds(),
            id=job.name,
            name=job.name,
            # Run once at start-up so work that fell due while we were down is done now.
            next_run_time=now,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=int(job.every.total_seconds()),
        )
    return scheduler


def _guarded(job: Job, container: Container) -> Callable[[], None]:
    def run() -> None:
        try:
            job.run(container)
        except Exception:  # a failed run is logged and tried again at the next tick
            log.exception("job %s failed", job.name)

    return run
