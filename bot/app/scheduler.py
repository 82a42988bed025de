"""APScheduler wiring: the periodic jobs, each keeping its state in our tables.

Each run is counted and timed by job (bot.shared.metrics) and runs in a job context, so every log
line it emits carries the job's name and the run's id.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.app.jobs import JOBS, Job
from bot.app.observability import job_context
from bot.container import Container
from bot.shared.metrics import JOB_DURATION, JOB_FAILURES, JOB_LAST_SUCCESS, JOB_RUNS

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
    # The label children are made once, so /metrics lists every job at 0 before its first run.
    runs, failures = JOB_RUNS.labels(job=job.name), JOB_FAILURES.labels(job=job.name)
    duration = JOB_DURATION.labels(job=job.name)

    def run() -> None:
        with job_context(job.name):
            started = time.perf_counter()
            try:
                job.run(container)
            except Exception:  # a failed run is logged and tried again at the next tick
                failures.inc()
                log.exception("job %s failed", job.name)
            else:
                JOB_LAST_SUCCESS.labels(job=job.name).set_to_current_time()
            finally:
                runs.inc()
                duration.observe(time.perf_counter() - started)

    return run
