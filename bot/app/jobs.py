"""The periodic jobs the worker runs. Each reads the clock afresh and is safe to run twice, and in
any number of worker processes at once: each claims its work in the database row by row (outbox
rows, feedback requests, reminders and escalations, decision requests, pending bookings, the
digest's day), and the calendar sync, which follows one shared cursor, and the retention job hold
a job lease."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.container import Container


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[Container], object]
    every: timedelta


MINUTE = timedelta(minutes=1)

JOBS: tuple[Job, ...] = (
    Job("outbox", lambda c: c.outbox.deliver_due(), every=timedelta(seconds=5)),
    Job("calendar_sync", lambda c: c.calendar_sync.follow_calendar(), every=2 * MINUTE),
    Job("daily_digest", lambda c: c.digest.send_daily_digest(), every=MINUTE),
    Job("feedback_requests", lambda c: c.feedback.send_due_requests(), every=MINUTE),
    Job("feedback_reminders", lambda c: c.feedback.send_due_reminders(), every=MINUTE),
    Job("decision_requests", lambda c: c.decisions.send_decision_requests(), every=MINUTE),
    Job("pending_bookings", lambda c: c.scheduling.reconcile_pending_bookings(), every=MINUTE),
    # Candidates idle for RETENTION_MONTHS; one worker at a time (the `retention` lease).
    Job("retention", lambda c: c.privacy.erase_idle_candidates(), every=timedelta(days=1)),
)
