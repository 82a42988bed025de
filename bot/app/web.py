"""The WSGI application: POST /slack/events for Slack, GET /healthz for the platform, GET /metrics
for Prometheus.

Every request gets a request id (the caller's `X-Request-Id`, else a new one, sent back in the
answer's `X-Request-Id`) that every log line of the request carries, and is counted and timed by
route and status; Slack requests also by kind. Nothing of this touches the database.
"""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

import prometheus_client
from prometheus_client import CollectorRegistry
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.app.candidate_page import create_app
from bot.app.observability import (
    RequestContext,
    configure_logging,
    metrics_registry,
    request_context,
    request_id_for,
)
from bot.app.startup import database_health
from bot.candidate_links.service import SCHEDULE_PATH
from bot.container import Container
from bot.shared.metrics import (
    HTTP_REQUEST_DURATION,
    HTTP_REQUESTS,
    SLACK_REQUEST_DURATION,
    SLACK_REQUESTS,
)
from models.directory import one_directory_per_request

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

SLACK_PATH = "/slack/events"
ROUTES = (SLACK_PATH, "/healthz", "/metrics")
# Slack's payloads are a few kilobytes; anything far bigger is refused before it is read.
MAX_BODY_BYTES = 1024 * 1024

log = logging.getLogger(__name__)


def make_wsgi_app(
    container: Container, bolt_app: App | None, *, registry: CollectorRegistry | None = None
) -> WsgiApp:
    """The app for `container`; without `bolt_app` (the worker's) it serves only /healthz and
    /metrics. `registry` defaults to a new one over the process's metrics."""
    metrics_app = prometheus_client.make_wsgi_app(registry or metrics_registry(container))
    slack_handler: WsgiApp = _not_found
    if bolt_app is not None:
        slack_handler = bounded(SlackRequestHandler(bolt_app, path=SLACK_PATH))
    candidate_page = _candidate_page(container) if bolt_app is not None else _not_found

    def route(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO")
        if path == "/healthz" and environ.get("REQUEST_METHOD") == "GET":
            return _health(container, start_response)
        if path == "/metrics":
            return metrics_app(environ, start_response)  # type: ignore[no-any-return]
        if str(path).startswith(SCHEDULE_PATH):
            return candidate_page(environ, start_response)
        return slack_handler(environ, start_response)

    return observed(route)


def _candidate_page(container: Container) -> WsgiApp:
    """The candidate's page when candidate links are set up (PUBLIC_URL and a link key)."""
    settings = container.settings
    if settings.public_url is None or settings.link_key is None:
        return _not_found
    return create_app(container).wsgi_app


def observed(app: WsgiApp) -> WsgiApp:
    """`app` inside a request context, counted and timed (a few microseconds per request)."""

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        status = "500"  # what the server answers when `app` raises

        with request_context(request_id_for(environ)) as request, one_directory_per_request():

            def start(status_line: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
                nonlocal status
                status = status_line.split(" ", 1)[0]
                headers = [*headers, ("X-Request-Id", request.request_id)]
                return start_response(status_line, headers, *exc_info)

            try:
                response = app(environ, start)
                try:
                    return list(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()
            finally:
                _record(environ, request, status, time.perf_counter() - started)

    return application


def bounded(app: WsgiApp, limit: int = MAX_BODY_BYTES) -> WsgiApp:
    """`app` for bodies of at most `limit` bytes of UTF-8: a bigger one is refused (413) from its
    Content-Length, or after reading `limit` + 1 bytes of a body sent without one (chunked)."""

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        declared = _content_length(environ)
        if declared is not None and declared > limit:
            return _refuse(start_response, "413 Content Too Large")
        stream = environ.get("wsgi.input")
        body = stream.read(limit + 1 if declared is None else declared) if stream else b""
        if len(body) > limit:
            return _refuse(start_response, "413 Content Too Large")
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return _refuse(start_response, "400 Bad Request")
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return app(environ, start_response)

    return application


def _content_length(environ: dict[str, Any]) -> int | None:
    """The declared length; None when there is none (a chunked body) or it is not a number."""
    value = str(environ.get("CONTENT_LENGTH") or "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


def _refuse(start_response: StartResponse, status: str) -> Iterable[bytes]:
    start_response(status, [("Content-Type", "text/plain")])
    return [status.split(" ", 1)[1].encode()]


def _route_label(path: str) -> str:
    return path if path in ROUTES else "other"


def _record(environ: dict[str, Any], request: RequestContext, status: str, seconds: float) -> None:
    route = _route_label(environ.get("PATH_INFO", ""))
    HTTP_REQUESTS.labels(route=route, status=status).inc()
    HTTP_REQUEST_DURATION.labels(route=route).observe(seconds)
    kind = ""
    if route == SLACK_PATH:
        kind = request.slack_kind or "unknown"
        SLACK_REQUESTS.labels(kind=kind, status=status).inc()
        SLACK_REQUEST_DURATION.labels(kind=kind).observe(seconds)
    level = logging.INFO if route == SLACK_PATH or status.startswith("5") else logging.DEBUG
    log.log(
        level,
        "%s %s %s%s %.1f ms",
        environ.get("REQUEST_METHOD"),
        environ.get("PATH_INFO"),
        status,
        f" {kind}" if kind else "",
        seconds * 1000,
    )


def _not_found(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"Not Found"]


def _health(container: Container, start_response: StartResponse) -> Iterable[bytes]:
    """200 when the database answers with its schema at the code's head; 503 when it is down or
    its schema is behind (the migrations have not run). At head, it only pings the database."""
    state = database_health(container.engine)
    body: dict[str, str] = {"status": "ok" if state == "up" else "unavailable"}
    body["database"] = "down" if state == "down" else "up"
    if state == "behind":
        body["schema"] = "behind"
    status = "200 OK" if state == "up" else "503 Service Unavailable"
    start_response(status, [("Content-Type", "application/json"), ("Cache-Control", "no-store")])
    return [json.dumps(body).encode()]


def create_wsgi_app() -> WsgiApp:
    """The production server's entry point (`waitress-serve --call bot.app.web:create_wsgi_app`).

    A bad setting, or a database that cannot be used, prints one line naming the variable on
    stderr and exits with code 2 (no traceback)."""
    from bot.app.config_check import checked_container, exit_on_config_error
    from bot.app.slack_app import build_bolt_app
    from bot.app.startup import head_revisions

    with exit_on_config_error():
        container = checked_container(serving=True)
    configure_logging(container.settings.log_format)
    head_revisions()  # read once now, not on the first /healthz
    return make_wsgi_app(container, build_bolt_app(container))
