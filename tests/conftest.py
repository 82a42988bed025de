"""Shared fixtures: the three databases, the fake Slack, the bot served over real HTTP.

Every test that asks for `database_url` runs on SQLite, MariaDB and PostgreSQL (choose with
`--databases` or TEST_DATABASES). A database that does not answer fails the run, never skips it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from bot.app.bootstrap import bootstrap
from bot.app.startup import load_pipelines, migrate
from bot.container import Container
from bot.settings import Settings, load_settings
from models import Base
from models.database import make_engine
from models.directory import DirectoryVersion
from tests.clock import FixedClock
from tests.fakes.slack_api import FakeSlackAPI

SERVER_DATABASES = {
    "mariadb": os.environ.get(
        "TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/interview_bot_test?charset=utf8mb4"
    ),
    "postgresql": os.environ.get(
        "TEST_POSTGRESQL_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/interview_bot_test"
    ),
}
ALL_DATABASES = ("sqlite", "mariadb", "postgresql")
SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
# A Tuesday morning in Paris (08:00 UTC = 09:00 CET).
DEFAULT_NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--databases",
        default=os.environ.get("TEST_DATABASES", ",".join(ALL_DATABASES)),
        help="comma-separated databases to run database tests on (sqlite,mariadb,postgresql)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database_name" in metafunc.fixturenames:
        chosen = [name.strip() for name in metafunc.config.getoption("--databases").split(",")]
        unknown = set(chosen) - set(ALL_DATABASES)
        if unknown:
            raise pytest.UsageError(f"unknown databases: {sorted(unknown)}")
        metafunc.parametrize("database_name", chosen, scope="session")


def _worker_suffix() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"_{worker}" if worker else ""


def _recreate_server_database(url: str) -> str:
    """Drop and create the test database (per xdist worker) on a MariaDB/PostgreSQL server."""
    parsed = make_url(url)
    name = f"{parsed.database}{_worker_suffix()}"
    admin_db = "postgres" if parsed.get_backend_name() == "postgresql" else "mysql"
    admin = create_engine(parsed.set(database=admin_db), isolation_level="AUTOCOMMIT")
    quote = '"' if parsed.get_backend_name() == "postgresql" else "`"
    try:
        with admin.connect() as connection:
            if parsed.get_backend_name() == "postgresql":
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
                    ),
                    {"n": name},
                )
            connection.execute(text(f"DROP DATABASE IF EXISTS {quote}{name}{quote}"))
            extra = " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" if quote == "`" else ""
            connection.execute(text(f"CREATE DATABASE {quote}{name}{quote}{extra}"))
    finally:
        admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def migrated_database(
    database_name: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Engine]]:
    if database_name == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'interview_bot.db'}"
    else:
        url = _recreate_server_database(SERVER_DATABASES[database_name])
    migrate(url)
    engine = make_engine(url)
    yield url, engine
    engine.dispose()


@pytest.fixture
def database_url(migrated_database: tuple[str, Engine]) -> str:
    """A migrated, empty database; tables are emptied before each test."""
    url, engine = migrated_database
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
        connection.execute(DirectoryVersion.__table__.insert().values(id=1, version=1))
    return url


@pytest.fixture(autouse=True)
def _no_developer_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A developer's SLACK_*/GOOGLE_* variables or .env never leak into a test."""
    for name in list(os.environ):
        if name.startswith(("SLACK_", "GOOGLE_", "DIGEST_")) or name in (
            "DATABASE_URL",
            "CALENDAR_BACKEND",
            "ADMIN_SLACK_IDS",
            "TIMEZONE",
            "LOG_FORMAT",
            "METRICS_PORT",
            "HOLIDAY_COUNTRY",
        ):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(DEFAULT_NOW)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI() as fake:
        yield fake


def make_settings(database_url: str, slack_api_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "_env_file": None,
        "database_url": database_url,
        "slack_api_url": slack_api_url,
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "calendar_backend": "local",
        "admin_slack_ids": "U_ADMIN",
    }
    values.update(overrides)
    return load_settings(**values)


@pytest.fixture
def settings(database_url: str, fake_slack: FakeSlackAPI) -> Settings:
    return make_settings(database_url, fake_slack.url)


@contextmanager
def prepared_container(settings: Settings, clock: FixedClock) -> Iterator[Container]:
    """A container over a migrated database, with the pipelines loaded and the admins enrolled."""
    built = bootstrap(settings, clock=clock)
    load_pipelines(built)
    built.team.enrol_admins()
    try:
        yield built
    finally:
        built.engine.dispose()


@pytest.fixture
def container(settings: Settings, clock: FixedClock) -> Iterator[Container]:
    with prepared_container(settings, clock) as built:
        yield built


@contextmanager
def serve_bot(container: Container) -> Iterator[str]:
    """The bot's WSGI app served by waitress (the production server) on a loopback port."""
    from waitress import wasyncore
    from waitress.server import create_server

    from bot.app.slack_app import build_bolt_app
    from bot.app.web import make_wsgi_app

    server = create_server(
        make_wsgi_app(container, build_bolt_app(container)), host="127.0.0.1", port=0, threads=4
    )
    stop = threading.Event()

    def serve() -> None:
        # Our own loop, so the sockets are closed by the thread that polls them.
        while not stop.is_set():
            wasyncore.loop(timeout=0.05, map=server._map, count=1)  # type: ignore[attr-defined]
        wasyncore.close_all(server._map)  # type: ignore[attr-defined]
        server.task_dispatcher.shutdown()  # type: ignore[attr-defined]

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"  # type: ignore[union-attr]
    finally:
        stop.set()
        thread.join(timeout=10)


@pytest.fixture
def bot_url(container: Container) -> Iterator[str]:
    with serve_bot(container) as url:
        yield url
