"""/healthz answers 503 while the database's schema is behind the code's migrations, 200 once
they have run; at head it no longer asks the database for its revision."""

from __future__ import annotations

import json
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from bot.app.bootstrap import bootstrap
from bot.app.slack_app import build_bolt_app
from bot.app.startup import alembic_config, head_revisions, migrate
from bot.app.web import make_wsgi_app
from bot.container import Container
from tests.clock import FixedClock
from tests.conftest import (
    DEFAULT_NOW,
    SERVER_DATABASES,
    _recreate_server_database,
    make_settings,
)
from tests.fakes.slack_api import FakeSlackAPI


@pytest.fixture
def empty_database(database_name: str, tmp_path: Path) -> Iterator[str]:
    """A database the migrations never ran on (its own, beside the suite's test database)."""
    if database_name == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    server = make_url(SERVER_DATABASES[database_name])
    url = _recreate_server_database(
        server.set(database=f"{server.database}_schema").render_as_string(hide_password=False)
    )
    yield url
    _drop(url)


def _drop(url: str) -> None:
    from sqlalchemy import create_engine

    parsed = make_url(url)
    postgres = parsed.get_backend_name() == "postgresql"
    admin = create_engine(
        parsed.set(database="postgres" if postgres else "mysql"), isolation_level="AUTOCOMMIT"
    )
    quoted = f'"{parsed.database}"' if postgres else f"`{parsed.database}`"
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {quoted}"))
    admin.dispose()


@pytest.fixture
def container(empty_database: str, fake_slack: FakeSlackAPI) -> Iterator[Container]:
    built = bootstrap(make_settings(empty_database, fake_slack.url), clock=FixedClock(DEFAULT_NOW))
    yield built
    built.engine.dispose()


def _health(container: Container) -> tuple[str, dict[str, Any]]:
    app = make_wsgi_app(container, build_bolt_app(container))
    status: list[str] = []
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/healthz", "wsgi.input": BytesIO(b"")}
    body = b"".join(app(environ, lambda s, headers: status.append(s)))
    return status[0], json.loads(body)


BEHIND = (
    "503 Service Unavailable",
    {"status": "unavailable", "database": "up", "schema": "behind"},
)
AT_HEAD = ("200 OK", {"status": "ok", "database": "up"})


def test_healthz_is_503_until_the_migrations_have_run(
    container: Container, empty_database: str
) -> None:
    assert _health(container) == BEHIND
    [head] = head_revisions()
    before_head = ScriptDirectory.from_config(alembic_config()).get_revision(head).down_revision
    assert isinstance(before_head, str)
    command.upgrade(alembic_config(empty_database), before_head)  # one migration short
    assert _health(container) == BEHIND
    migrate(empty_database)
    assert _health(container) == AT_HEAD


def test_at_head_healthz_only_pings_the_database(container: Container, empty_database: str) -> None:
    migrate(empty_database)
    assert _health(container) == AT_HEAD
    statements: list[str] = []
    event.listen(
        container.engine,
        "before_cursor_execute",
        lambda _conn, _cursor, statement, *_: statements.append(statement),
    )
    assert _health(container) == AT_HEAD
    assert _health(container) == AT_HEAD
    assert statements == ["SELECT 1", "SELECT 1"]
