"""/healthz answers 503 when the database cannot be reached."""

from __future__ import annotations

import json
from collections.abc import Iterator
from io import BytesIO
from typing import Any

import pytest

from bot.app.bootstrap import bootstrap
from bot.app.slack_app import build_bolt_app
from bot.app.web import make_wsgi_app
from bot.container import Container
from tests.clock import FixedClock
from tests.conftest import DEFAULT_NOW, make_settings


@pytest.fixture
def unreachable() -> Iterator[Container]:
    # Port 9 on loopback: nothing listens, the connection is refused at once.
    settings = make_settings(
        "postgresql+psycopg://postgres@127.0.0.1:9/nothing?connect_timeout=2",
        "http://127.0.0.1:9/api/",
    )
    container = bootstrap(settings, clock=FixedClock(DEFAULT_NOW))
    yield container
    container.engine.dispose()


def _call(app: Any, path: str) -> tuple[str, dict[str, Any]]:
    status: list[str] = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "wsgi.input": BytesIO(b""),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "QUERY_STRING": "",
    }
    body = b"".join(app(environ, lambda s, headers: status.append(s)))
    return status[0], json.loads(body)


def test_healthz_is_503_when_the_database_is_down(unreachable: Container) -> None:
    app = make_wsgi_app(unreachable, build_bolt_app(unreachable))
    status, body = _call(app, "/healthz")
    assert status.startswith("503")
    assert body == {"status": "unavailable", "database": "down"}
