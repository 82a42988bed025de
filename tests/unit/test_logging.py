"""Structured logs: one JSON object per line with LOG_FORMAT=json, a readable line otherwise, each
carrying the id of the request or of the job run it was written in."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.app.bootstrap import bootstrap
from bot.app.observability import ContextCopyingExecutor, configure_logging, request_context
from bot.app.scheduler import build_scheduler
from bot.app.slack_app import build_bolt_app
from bot.app.web import make_wsgi_app
from bot.container import Container
from bot.settings import LogFormat
from tests.clock import FixedClock
from tests.conftest import DEFAULT_NOW, SIGNING_SECRET, make_settings
from tests.fakes.slack_requests import slash_command

Logs = Callable[[LogFormat], io.StringIO]


@pytest.fixture
def logs() -> Iterator[Logs]:
    """Configures logging as the entry points do, into a buffer; undone after the test."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    installed: list[logging.Handler] = []

    def configure(log_format: LogFormat) -> io.StringIO:
        buffer = io.StringIO()
        installed.append(configure_logging(log_format, stream=buffer))
        return buffer

    yield configure
    for handler in installed:
        root.removeHandler(handler)
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def offline_container(tmp_path: Path) -> Iterator[Container]:
    """A container whose database and Slack are never reached by these tests."""
    settings = make_settings(f"sqlite:///{tmp_path}/never.db", "http://127.0.0.1:9/api/")
    built = bootstrap(settings, clock=FixedClock(DEFAULT_NOW))
    yield built
    built.engine.dispose()


def _post(app: Any, body: str, headers: dict[str, str]) -> tuple[str, dict[str, str]]:
    raw = body.encode()
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_LENGTH": str(len(raw)),
        "wsgi.input": io.BytesIO(raw),
    }
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE",) else f"HTTP_{key}"] = value
    answer: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], *_: Any) -> None:
        answer["status"], answer["headers"] = status, dict(response_headers)

    b"".join(app(environ, start_response))
    return answer["status"], answer["headers"]


def _json_lines(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_a_json_line_carries_the_request_id_of_its_request(
    logs: Logs, offline_container: Container
) -> None:
    buffer = logs("json")
    app = make_wsgi_app(offline_container, build_bolt_app(offline_container))
    request = slash_command("/schedule-interview", user_id="U_ADMIN")
    headers = request.signed_headers("not-the-secret") | {"X-Request-Id": "req-42"}

    status, answer_headers = _post(app, request.body, headers)

    assert status.startswith("401")
    assert answer_headers["X-Request-Id"] == "req-42"
    lines = _json_lines(buffer)  # every line is a JSON object
    access = [line for line in lines if line["logger"] == "bot.app.web"]
    assert len(access) == 1
    assert access[0]["request_id"] == "req-42"
    assert access[0]["level"] == "INFO"
    assert access[0]["message"].startswith("POST /slack/events 401")
    assert access[0]["time"].endswith("+00:00")
    # Bolt's own line about the bad signature was written during the request: it carries it too.
    assert any(line["logger"].startswith("slack_bolt") for line in lines)
    assert all(line.get("request_id") == "req-42" for line in lines)


def test_each_request_gets_its_own_id_when_none_is_given(
    logs: Logs, offline_container: Container
) -> None:
    buffer = logs("json")
    app = make_wsgi_app(offline_container, build_bolt_app(offline_container))
    request = slash_command("/schedule-interview")
    ids = []
    for incoming in ({}, {"X-Request-Id": "bad id\nforged line"}):
        headers = request.signed_headers("not-the-secret") | incoming
        ids.append(_post(app, request.body, headers)[1]["X-Request-Id"])
    assert len(set(ids)) == 2
    assert all(len(request_id) == 32 for request_id in ids)  # a new uuid4, not the forged one
    access = [line for line in _json_lines(buffer) if line["logger"] == "bot.app.web"]
    assert [line["request_id"] for line in access] == ids


def test_a_text_line_shows_the_request_id(logs: Logs, offline_container: Container) -> None:
    buffer = logs("text")
    app = make_wsgi_app(offline_container, build_bolt_app(offline_container))
    request = slash_command("/schedule-interview")
    headers = request.signed_headers(SIGNING_SECRET, timestamp=1) | {"X-Request-Id": "req-7"}
    _post(app, request.body, headers)
    access = [line for line in buffer.getvalue().splitlines() if " bot.app.web " in line]
    assert len(access) == 1
    assert " INFO bot.app.web [request_id=req-7] POST /slack/events 401" in access[0]


def test_a_failing_job_logs_its_name_run_id_and_traceback(
    logs: Logs, offline_container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    buffer = logs("json")

    def broken() -> None:
        logging.getLogger("bot.feedback").info("looking for due requests")
        raise RuntimeError("database gone")

    monkeypatch.setattr(offline_container.feedback, "send_due_requests", broken)
    job = build_scheduler(offline_container).get_job("feedback_requests")
    job.func()
    job.func()

    lines = _json_lines(buffer)
    started = [line for line in lines if line["message"] == "looking for due requests"]
    failed = [line for line in lines if line["message"] == "job feedback_requests failed"]
    assert len(started) == len(failed) == 2
    for first, last in zip(started, failed, strict=True):
        assert first["job"] == last["job"] == "feedback_requests"
        assert first["job_run_id"] == last["job_run_id"]
        assert "request_id" not in last
    assert started[0]["job_run_id"] != started[1]["job_run_id"]
    assert failed[0]["level"] == "ERROR"
    assert "RuntimeError: database gone" in failed[0]["exception"]
    assert "Traceback" in failed[0]["exception"]


def test_a_text_line_shows_the_job_and_its_run(
    logs: Logs, offline_container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    buffer = logs("text")

    def broken() -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(offline_container.feedback, "send_due_requests", broken)
    build_scheduler(offline_container).get_job("feedback_requests").func()
    text = buffer.getvalue()
    assert " ERROR bot.app.scheduler [job=feedback_requests job_run_id=" in text
    assert "] job feedback_requests failed\nTraceback" in text
    assert "RuntimeError: database gone" in text


def test_lines_logged_outside_a_request_or_job_carry_no_id(logs: Logs) -> None:
    buffer = logs("json")
    logging.getLogger("bot.test").warning("plain %s", "line", extra={"candidate_id": 7})
    (line,) = _json_lines(buffer)
    assert line["message"] == "plain line"
    assert line["candidate_id"] == 7
    assert not {"request_id", "job", "job_run_id"} & set(line)


def test_work_handed_to_the_listener_pool_keeps_the_request_id(logs: Logs) -> None:
    buffer = logs("json")
    with ContextCopyingExecutor(max_workers=1) as pool, request_context("req-9"):
        pool.submit(logging.getLogger("handlers.test").info, "after the ack").result()
    (line,) = _json_lines(buffer)
    assert line["request_id"] == "req-9"


def test_configuring_twice_keeps_one_handler(logs: Logs) -> None:
    logs("text")
    second = logs("json")
    ours = [h for h in logging.getLogger().handlers if h.get_name() == "interview-bot"]
    assert len(ours) == 1
    logging.getLogger("bot.test").info("once")
    assert len(second.getvalue().splitlines()) == 1
