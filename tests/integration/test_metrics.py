"""/metrics answers in the Prometheus text format and its counters move with the work.

The counters are process-wide, so each test reads them before and after what it does (deltas).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from bot.app.jobs import JOBS
from bot.app.scheduler import build_scheduler
from bot.app.web import make_wsgi_app
from bot.container import Container
from bot.shared.metrics import (
    DeliveryOutcome,
    new_registry,
    record_delivery,
    register_outbox_gauges,
)
from models.outbox import NewMessage
from tests.clock import FixedClock
from tests.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import block_suggestion, slash_command

PROJECT = Path(__file__).resolve().parents[2]
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def _parse(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def _scrape_http(base_url: str, accept: str | None = None) -> tuple[int, str, str]:
    request = urllib.request.Request(f"{base_url}/metrics")
    if accept is not None:
        request.add_header("Accept", accept)
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, response.headers["Content-Type"], response.read().decode()


def _scrape(app: Callable[..., Any]) -> Samples:
    """GET /metrics on the WSGI app, in process."""
    statuses: list[str] = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/metrics",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": BytesIO(b""),
    }
    body = b"".join(app(environ, lambda status, headers, *exc: statuses.append(status)))
    assert statuses == ["200 OK"]
    return _parse(body.decode())


def test_metrics_answers_in_the_prometheus_text_format(bot_url: str) -> None:
    status, content_type, text = _scrape_http(bot_url)
    assert status == 200
    # Without an Accept header: the classic text format, which every Prometheus reads.
    assert content_type == "text/plain; version=0.0.4; charset=utf-8"
    names = {family.name for family in text_string_to_metric_families(text)}
    assert {
        "http_requests",
        "http_request_duration_seconds",
        "slack_requests",
        "slack_request_duration_seconds",
        "job_runs",
        "job_failures",
        "job_duration_seconds",
        "outbox_deliveries",
        "outbox_depth",
        "outbox_oldest_age_seconds",
        "process_resident_memory_bytes",
    } <= names
    _, latest_type, latest_text = _scrape_http(bot_url, accept="text/plain; version=1.0.0")
    assert latest_type.startswith(CONTENT_TYPE_LATEST)
    assert "http_requests_total" in latest_text


def test_a_signed_slack_request_moves_the_request_counter_and_histogram(
    bot_url: str, fake_slack: FakeSlackAPI
) -> None:
    _, _, text = _scrape_http(bot_url)
    before = _parse(text)

    result = slash_command("/schedule-interview", user_id="U_ADMIN").post(bot_url, SIGNING_SECRET)
    assert result.status == 200
    fake_slack.wait_for("views.open")
    refused = slash_command("/schedule-interview", user_id="U_ADMIN").post(bot_url, "wrong")
    assert refused.status == 401

    _, _, text = _scrape_http(bot_url)
    after = _parse(text)

    def delta(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    route = "/slack/events"
    assert delta("http_requests_total", route=route, status="200") == 1
    assert delta("http_requests_total", route=route, status="401") == 1
    assert delta("http_request_duration_seconds_count", route=route) == 2
    assert delta("http_request_duration_seconds_bucket", route=route, le="+Inf") == 2
    assert delta("http_request_duration_seconds_sum", route=route) > 0
    assert delta("slack_requests_total", kind="command", status="200") == 1
    assert delta("slack_requests_total", kind="unknown", status="401") == 1  # never verified
    assert delta("slack_request_duration_seconds_count", kind="command") == 1
    # The first scrape itself was counted on its own route.
    assert delta("http_requests_total", route="/metrics", status="200") == 1


def test_an_options_request_is_counted_as_options(bot_url: str) -> None:
    _, _, text = _scrape_http(bot_url)
    before = _parse(text)
    request = block_suggestion("candidate_search", "ali", user_id="U_ADMIN")
    assert request.post(bot_url, SIGNING_SECRET).status == 200
    _, _, text = _scrape_http(bot_url)
    after = _parse(text)
    counted = _value(after, "slack_requests_total", kind="options", status="200")
    assert counted - _value(before, "slack_requests_total", kind="options", status="200") == 1


def test_other_paths_are_counted_under_other(bot_url: str) -> None:
    _, _, text = _scrape_http(bot_url)
    before = _value(_parse(text), "http_requests_total", route="other", status="404")
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{bot_url}/wp-login.php", timeout=5)
    assert missing.value.code == 404
    _, _, text = _scrape_http(bot_url)
    assert _value(_parse(text), "http_requests_total", route="other", status="404") == before + 1


def test_a_job_run_moves_the_job_counters_and_a_failing_one_the_failures(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_wsgi_app(container, None)
    scheduler = build_scheduler(container)
    before = _scrape(app)
    labels = {"job": "feedback_requests"}

    scheduler.get_job("feedback_requests").func()
    ran = _scrape(app)
    assert _value(ran, "job_runs_total", **labels) == _value(before, "job_runs_total", **labels) + 1
    assert _value(ran, "job_failures_total", **labels) == _value(
        before, "job_failures_total", **labels
    )
    assert (
        _value(ran, "job_duration_seconds_count", **labels)
        == _value(before, "job_duration_seconds_count", **labels) + 1
    )
    assert _value(ran, "job_last_success_timestamp_seconds", **labels) >= time.time() - 60

    def broken() -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(container.feedback, "send_due_requests", broken)
    scheduler.get_job("feedback_requests").func()  # logged, not raised
    failed = _scrape(app)
    assert _value(failed, "job_runs_total", **labels) == _value(ran, "job_runs_total", **labels) + 1
    assert (
        _value(failed, "job_failures_total", **labels)
        == _value(ran, "job_failures_total", **labels) + 1
    )
    # Every job of the table is listed from the start, run or not.
    for job in JOBS:
        assert ("job_runs_total", frozenset({("job", job.name)})) in failed


def test_the_outbox_gauges_show_what_the_reader_returns(container: Container) -> None:
    backlog: list[tuple[int, float | None]] = [(4, 12.5)]
    registry = new_registry()
    register_outbox_gauges(registry, lambda: backlog[-1])
    app = make_wsgi_app(container, None, registry=registry)

    samples = _scrape(app)
    assert _value(samples, "outbox_depth") == 4
    assert _value(samples, "outbox_oldest_age_seconds") == 12.5

    backlog.append((0, None))
    samples = _scrape(app)
    assert ("outbox_depth", frozenset()) in samples
    assert _value(samples, "outbox_depth") == 0
    assert _value(samples, "outbox_oldest_age_seconds") == 0


def test_a_failing_outbox_reader_leaves_the_gauges_out_not_the_scrape() -> None:
    def unreachable() -> tuple[int, float | None]:
        raise ConnectionError("database down")

    registry = CollectorRegistry()
    register_outbox_gauges(registry, unreachable)
    assert registry.get_sample_value("outbox_depth") is None
    assert list(registry.collect()) == []


def test_the_served_app_reads_the_outbox_backlog_from_the_database(
    container: Container, clock: FixedClock, fake_slack: FakeSlackAPI
) -> None:
    app = make_wsgi_app(container, None)
    samples = _scrape(app)
    assert ("outbox_depth", frozenset()) in samples
    assert _value(samples, "outbox_depth") == 0
    assert _value(samples, "outbox_oldest_age_seconds") == 0

    with container.unit_of_work() as uow:
        for key in ("metrics:1", "metrics:2"):
            message = NewMessage(key=key, kind="test", payload={"text": key}, recipient="U_ENG1")
            uow.outbox.enqueue(message, clock.now())
        uow.commit()
    clock.advance(seconds=90)
    samples = _scrape(app)
    assert _value(samples, "outbox_depth") == 2
    assert _value(samples, "outbox_oldest_age_seconds") == 90

    container.outbox.deliver_due()
    samples = _scrape(app)
    assert _value(samples, "outbox_depth") == 0
    assert _value(samples, "outbox_oldest_age_seconds") == 0


def test_deliveries_are_counted_by_outcome(container: Container) -> None:
    app = make_wsgi_app(container, None)
    before = _scrape(app)
    attempts: tuple[DeliveryOutcome, ...] = ("sent", "sent", "retried", "failed")
    for attempt in attempts:
        record_delivery(attempt)
    after = _scrape(app)
    for outcome, moved in (("sent", 2), ("retried", 1), ("failed", 1)):
        name = "outbox_deliveries_total"
        assert _value(after, name, outcome=outcome) - _value(before, name, outcome=outcome) == moved


# ------------------------------------------------------------------ the worker's own /metrics


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def running_worker(database_url: str, fake_slack: FakeSlackAPI, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GOOGLE_"))}
    env |= {
        "DATABASE_URL": database_url,
        "SLACK_API_URL": fake_slack.url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "METRICS_PORT": str(port),
        "PYTHONPATH": str(PROJECT),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "worker"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_worker_serves_its_job_metrics_on_metrics_port(running_worker: str) -> None:
    deadline = time.monotonic() + 60
    samples: Samples = {}
    while time.monotonic() < deadline:
        try:
            samples = _parse(_scrape_http(running_worker)[2])
        except OSError:
            time.sleep(0.2)
            continue
        if all(_value(samples, "job_runs_total", job=job.name) >= 1 for job in JOBS):
            break
        time.sleep(0.2)
    for job in JOBS:  # every job ran once at start-up
        assert _value(samples, "job_runs_total", job=job.name) >= 1, job.name
    with urllib.request.urlopen(f"{running_worker}/healthz", timeout=5) as response:
        assert response.status == 200
