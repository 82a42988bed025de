"""The WSGI application: POST /slack/events for Slack, GET /healthz for the platform."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.container import Container
from models.database import database_is_up

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def make_wsgi_app(container: Container, bolt_app: App) -> WsgiApp:
    slack_handler = SlackRequestHandler(bolt_app, path="/slack/events")

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") == "GET":
            return _health(container, start_response)
        return slack_handler(environ, start_response)

    return application


def _health(container: Container, start_response: StartResponse) -> Iterable[bytes]:
    up = database_is_up(container.engine)
    body = json.dumps({"status": "ok" if up else "unavailable", "database": "up" if up else "down"})
    status = "200 OK" if up else "503 Service Unavailable"
    start_response(status, [("Content-Type", "application/json"), ("Cache-Control", "no-store")])
    return [body.encode()]


def create_wsgi_app() -> WsgiApp:
    """The production server's entry point (`waitress-serve --call bot.app.web:create_wsgi_app`)."""
    from bot.app.bootstrap import serving_container
    from bot.app.slack_app import build_bolt_app

    container = serving_container()
    return make_wsgi_app(container, build_bolt_app(container))
