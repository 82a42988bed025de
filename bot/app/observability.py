"""What operators see: the logging set-up, the request / job-run context every log line carries,
and the metrics registry a process serves on /metrics.

The context lives in `contextvars`: the WSGI app opens a `request_context` per request, the
scheduler a `job_context` per job run, and `ContextFilter` copies them onto each log record, so any
line logged while they are open, by any module, carries the request id or the job and its run id.
"""

from __future__ import annotations

import contextvars
import logging
import re
import sys
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ParamSpec, TextIO, TypeVar

from prometheus_client import CollectorRegistry
from pythonjsonlogger.json import JsonFormatter
from slack_bolt.request import payload_utils

from bot.container import Container
from bot.settings import LogFormat
from bot.shared.metrics import new_registry, register_outbox_gauges

P = ParamSpec("P")
T = TypeVar("T")

CONTEXT_FIELDS = ("request_id", "job", "job_run_id")
_HANDLER_NAME = "interview-bot"
# Slack's clients log whole request and answer bodies (names, emails) at DEBUG, SQLAlchemy its
# rows: none of them goes below INFO, even when the bot logs at DEBUG.
_QUIET_LOGGERS = {
    "alembic": logging.WARNING,
    "apscheduler.executors": logging.WARNING,
    "slack_sdk": logging.INFO,
    "slack_bolt": logging.INFO,
    "sqlalchemy": logging.WARNING,
}
# An incoming X-Request-Id is kept only when it cannot forge a log line or a huge label.
_ACCEPTABLE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
REDACTED_EMAIL = "<email>"


@dataclass
class RequestContext:
    request_id: str
    slack_kind: str | None = None  # set by `label_slack_kind` once Bolt has verified the request


@dataclass(frozen=True)
class JobRun:
    job: str
    run_id: str


_request: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "request", default=None
)
_job_run: contextvars.ContextVar[JobRun | None] = contextvars.ContextVar("job_run", default=None)


def _new_id() -> str:
    return uuid.uuid4().hex


def request_id_for(environ: dict[str, Any]) -> str:
    """The caller's `X-Request-Id` when it has a sane shape, else a new one."""
    incoming = environ.get("HTTP_X_REQUEST_ID", "")
    if isinstance(incoming, str) and _ACCEPTABLE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return _new_id()


@contextmanager
def request_context(request_id: str) -> Iterator[RequestContext]:
    context = RequestContext(request_id)
    token = _request.set(context)
    try:
        yield context
    finally:
        _request.reset(token)


def current_request() -> RequestContext | None:
    return _request.get()


@contextmanager
def job_context(job: str) -> Iterator[JobRun]:
    run = JobRun(job, _new_id()[:16])
    token = _job_run.set(run)
    try:
        yield run
    finally:
        _job_run.reset(token)


# ----------------------------------------------------------------------------------- logging


class ContextFilter(logging.Filter):
    """Puts the open request's id, or the running job and its run id, on each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = _request.get()
        if request is not None and not hasattr(record, "request_id"):
            record.request_id = request.request_id
        run = _job_run.get()
        if run is not None and not hasattr(record, "job"):
            record.job = run.job
            record.job_run_id = run.run_id
        return True


class PersonalDataFilter(logging.Filter):
    """Blanks email addresses out of a record's message and traceback: a driver's error text
    quotes the values it refused, and no log line may hold a candidate's email."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _EMAIL.search(message):
            record.msg, record.args = _EMAIL.sub(REDACTED_EMAIL, message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and _EMAIL.search(record.exc_text):
            # Formatters print exc_text when exc_info is gone (the JSON one re-reads exc_info).
            record.exc_text, record.exc_info = _EMAIL.sub(REDACTED_EMAIL, record.exc_text), None
        return True


def _context_tags(record: logging.LogRecord) -> str:
    values = ((name, getattr(record, name, None)) for name in CONTEXT_FIELDS)
    return " ".join(f"{name}={value}" for name, value in values if value is not None)


class TextFormatter(logging.Formatter):
    """`2026-11-24 09:00:00,123 INFO bot.app.web [request_id=…] message` (tags only when set)."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        tags = _context_tags(record)
        if not tags:
            return super().formatMessage(record)
        return f"{record.asctime} {record.levelname} {record.name} [{tags}] {record.message}"


class JsonLineFormatter(JsonFormatter):
    """One JSON object per line: time (ISO 8601, UTC), level, logger, message, then the context
    (request_id, job, job_run_id) and any `extra=` fields, and `exception` with its traceback."""

    def __init__(self) -> None:
        super().__init__(
            "{asctime}{levelname}{name}{message}",
            style="{",
            rename_fields={
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
                "exc_info": "exception",
            },
        )

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


def configure_logging(
    log_format: LogFormat, *, stream: TextIO | None = None, level: int = logging.INFO
) -> logging.Handler:
    """Send every log record to `stream` (stderr) in `log_format`, with the context filter.

    Called once by each entry point (`python -m bot`, the waitress `web` app); calling it again
    replaces the handler it installed before and leaves other handlers alone.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.addFilter(ContextFilter())
    handler.addFilter(PersonalDataFilter())
    handler.setFormatter(JsonLineFormatter() if log_format == "json" else TextFormatter())
    root = logging.getLogger()
    for previous in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(previous)
    root.addHandler(handler)
    root.setLevel(level)
    # Neither format shows where a call was made from nor which process: skip finding it for
    # every record (the logging HOWTO's "Optimization" section; a Slack request logs a line).
    logging._srcfile = None
    logging.logMultiprocessing = False
    for name, quiet_level in _QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(quiet_level)
    return handler


class ContextCopyingExecutor(ThreadPoolExecutor):
    """A thread pool whose tasks run in a copy of the submitter's context, so what a Bolt listener
    logs after the acknowledgement still carries the request id (give it to `App` as
    `listener_executor`)."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        context = contextvars.copy_context()

        def run_in_context() -> T:
            return context.run(fn, *args, **kwargs)

        return super().submit(run_in_context)


# ----------------------------------------------------------------------------------- metrics


def slack_request_kind(body: dict[str, Any]) -> str:
    """command, action, view_submission, view_closed, options, shortcut, event or other."""
    if payload_utils.is_slash_command(body):
        return "command"
    if payload_utils.is_view_submission(body):
        return "view_submission"
    if payload_utils.is_view_closed(body):
        return "view_closed"
    if payload_utils.is_options(body):
        return "options"
    if payload_utils.is_shortcut(body):
        return "shortcut"
    if payload_utils.is_action(body):
        return "action"
    if payload_utils.is_event(body):
        return "event"
    return "other"


def note_slack_kind(body: dict[str, Any]) -> None:
    """Tell the open request which kind of Slack request it is, from the body Bolt has already
    parsed and verified (no second read or parse of the body); called by the Bolt middleware."""
    request = _request.get()
    if request is not None:
        request.slack_kind = slack_request_kind(body)


def metrics_registry(container: Container) -> CollectorRegistry:
    """The registry a process serves on /metrics: every metric of bot.shared.metrics, the process
    collectors, and the outbox gauges, read from the database at scrape time (one query)."""
    registry = new_registry()
    register_outbox_gauges(registry, container.outbox.undelivered)
    return registry
