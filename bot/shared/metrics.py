"""Every Prometheus metric the bot keeps, defined once for the composition root and the features.

The metric objects are process-wide and belong to no registry: `new_registry()` gathers them
(with the process collectors) into the registry a `/metrics` endpoint serves, so each app built in
a test gets its own registry over the same counters. Read counters as deltas in tests.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Literal

from prometheus_client import (
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

# No `*_created` series beside each counter and histogram: they double the output for nothing an
# operator reads (Prometheus knows when a counter restarts).
disable_created_metrics()  # type: ignore[no-untyped-call]

# Slack wants an answer within 3 s: the buckets are finest below that.
_REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
_JOB_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)

HTTP_REQUESTS = Counter(
    "http_requests",
    "HTTP requests answered, by route (/slack/events, /healthz, /metrics, other) and status code.",
    ["route", "status"],
    registry=None,
)
HTTP_REQUEST_DURATION = Histogram(
    "http_request_duration_seconds",
    "Time to answer an HTTP request, by route.",
    ["route"],
    buckets=_REQUEST_BUCKETS,
    registry=None,
)
SLACK_REQUESTS = Counter(
    "slack_requests",
    "Requests on /slack/events by kind (command, action, view_submission, view_closed, options, "
    "shortcut, event, unknown when rejected or answered by Bolt itself) and status code.",
    ["kind", "status"],
    registry=None,
)
SLACK_REQUEST_DURATION = Histogram(
    "slack_request_duration_seconds",
    "Time to acknowledge a Slack request, by kind (Slack gives up after 3 s).",
    ["kind"],
    buckets=_REQUEST_BUCKETS,
    registry=None,
)

JOB_RUNS = Counter(
    "job_runs", "Scheduler job runs, failed ones included, by job.", ["job"], registry=None
)
JOB_FAILURES = Counter(
    "job_failures", "Scheduler job runs that raised, by job.", ["job"], registry=None
)
JOB_DURATION = Histogram(
    "job_duration_seconds",
    "Duration of a scheduler job run, by job.",
    ["job"],
    buckets=_JOB_BUCKETS,
    registry=None,
)
JOB_LAST_SUCCESS = Gauge(
    "job_last_success_timestamp_seconds",
    "Unix time at which the job last ended without raising, by job.",
    ["job"],
    registry=None,
)

DeliveryOutcome = Literal["sent", "retried", "failed"]
DELIVERY_OUTCOMES: tuple[DeliveryOutcome, ...] = ("sent", "retried", "failed")
OUTBOX_DELIVERIES = Counter(
    "outbox_deliveries",
    "Outbox delivery attempts by outcome: sent, retried (a temporary error, tried again later), "
    "failed (a permanent error or the retry limit; the row is given up).",
    ["outcome"],
    registry=None,
)
for _outcome in DELIVERY_OUTCOMES:
    OUTBOX_DELIVERIES.labels(outcome=_outcome)  # every outcome is shown from the start, at 0


def record_delivery(outcome: DeliveryOutcome) -> None:
    """Count one outbox delivery attempt (the dispatcher calls it once per attempt)."""
    OUTBOX_DELIVERIES.labels(outcome=outcome).inc()


# What an outbox reader answers: how many rows wait to be delivered, and how many seconds the
# oldest of them has waited (None when none waits).
OutboxReader = Callable[[], tuple[int, float | None]]


class OutboxGauges:
    """`outbox_depth` and `outbox_oldest_age_seconds`, read from `read` at each scrape (one query
    per scrape, none per request). With no row waiting the age is 0; when the reader fails the
    two gauges are left out of that scrape and the failure is logged."""

    def __init__(self, read: OutboxReader) -> None:
        self._read = read

    def describe(self) -> Iterable[Metric]:
        return self._families()

    def collect(self) -> Iterable[Metric]:
        try:
            depth, oldest_age = self._read()
        except Exception:  # a scrape must answer even when the database does not
            log.warning("could not read the outbox backlog for /metrics", exc_info=True)
            return []
        return self._families(depth, oldest_age or 0.0)

    @staticmethod
    def _families(depth: int | None = None, oldest_age: float | None = None) -> list[Metric]:
        depth_family = GaugeMetricFamily(
            "outbox_depth", "Outbox rows waiting to be delivered.", value=depth
        )
        age_family = GaugeMetricFamily(
            "outbox_oldest_age_seconds",
            "Seconds since the oldest undelivered outbox row was enqueued (0 when none waits).",
            value=oldest_age,
        )
        return [depth_family, age_family]


def register_outbox_gauges(registry: CollectorRegistry, read: OutboxReader) -> OutboxGauges:
    gauges = OutboxGauges(read)
    registry.register(gauges)
    return gauges


_APPLICATION_METRICS: tuple[Collector, ...] = (
    HTTP_REQUESTS,
    HTTP_REQUEST_DURATION,
    SLACK_REQUESTS,
    SLACK_REQUEST_DURATION,
    JOB_RUNS,
    JOB_FAILURES,
    JOB_DURATION,
    JOB_LAST_SUCCESS,
    OUTBOX_DELIVERIES,
)


def new_registry() -> CollectorRegistry:
    """A registry with every metric above plus the process, platform and GC collectors (the
    outbox gauges are added by `register_outbox_gauges`, since they need a reader)."""
    registry = CollectorRegistry()
    for collector in (*_APPLICATION_METRICS, PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
        registry.register(collector)
    return registry
