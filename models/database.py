"""Engines, sessions and the unit of work: the one place that opens database connections."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import CursorResult, Engine, Result, create_engine, event, text
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

SessionFactory = Callable[[], Session]

# How long a connection attempt may take: a listener must still answer Slack within 3 s.
CONNECT_TIMEOUT_SECONDS = 2


def make_engine(url: str, **options: Any) -> Engine:
    """An engine tuned per database: FK enforcement on SQLite, pre-ping for server databases.

    Its errors never carry the statement's parameters (names, emails, feedback text), so that a
    logged database error holds no personal data."""
    options.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    options.setdefault("connect_args", {"connect_timeout": CONNECT_TIMEOUT_SECONDS})
    return create_engine(url, pool_pre_ping=True, pool_recycle=3600, **options)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def changed_one_row(result: Result[Any]) -> bool:
    """Whether a conditional UPDATE (a claim) changed exactly one row: this caller won it."""
    return isinstance(result, CursorResult) and result.rowcount == 1


def database_is_up(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # any driver error means "down" to a health check
        return False
    return True


def is_outage(error: BaseException) -> bool:
    """Whether `error` says the database cannot be reached (down, restarting, pool exhausted),
    rather than that a statement was wrong."""
    return isinstance(error, (OperationalError, InterfaceError, PoolTimeout))


# MariaDB's answers that waiting cannot change: unknown database, access denied.
_MYSQL_REFUSALS = frozenset({1044, 1045, 1049, 1698})
# PostgreSQL's FATAL answers that do go away with time.
_POSTGRES_PASSING = ("starting up", "shutting down", "too many clients", "recovery mode")


class DatabaseUnreachable(Exception):
    """The database cannot be used: `permanent` when it answered and refused us (unknown
    database, bad credentials, a file that cannot be opened), else it did not answer in time."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def wait_for_database(
    engine: Engine,
    seconds: float,
    *,
    sleep: Callable[[float], None] = time.sleep,
    monotonic: Callable[[], float] = time.monotonic,
) -> None:
    """Return once the database answers; raise DatabaseUnreachable at once when it refuses us,
    or when it has not answered for `seconds` (one attempt when 0)."""
    deadline = monotonic() + seconds
    pause = 0.25
    while True:
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return
        except (OperationalError, InterfaceError) as exc:
            unreachable = describe_connection_error(exc)
            left = deadline - monotonic()
            if unreachable.permanent or left <= 0:
                raise unreachable from exc
        sleep(min(pause, left))
        pause = min(pause * 2, 2.0)


def describe_connection_error(error: OperationalError | InterfaceError) -> DatabaseUnreachable:
    """The driver's reason in one line, and whether waiting could help."""
    original = error.orig
    args: tuple[Any, ...] = original.args if original is not None else ()
    if type(original).__module__.startswith("pymysql"):
        code = args[0] if args and isinstance(args[0], int) else None
        message = str(args[1]) if len(args) > 1 else str(original)
        return DatabaseUnreachable(_one_line(message), permanent=code in _MYSQL_REFUSALS)
    message = str(original)
    if "FATAL:" in message:  # PostgreSQL answered, then refused
        reason = _one_line(message.split("FATAL:", 1)[1])
        passing = any(words in reason for words in _POSTGRES_PASSING)
        return DatabaseUnreachable(reason, permanent=not passing)
    if type(original).__module__.startswith("sqlite3"):
        return DatabaseUnreachable(_one_line(message), permanent=True)
    first = message.strip().splitlines()[0] if message.strip() else type(original).__name__
    reason = _one_line(first.removeprefix("connection failed: "))
    return DatabaseUnreachable(reason, permanent=False)


def _one_line(text_: str) -> str:
    return " ".join(text_.split())


class WriteConflict(Exception):
    """A write lost to a concurrent one (a unique key taken, a deadlock); nothing was kept."""


@contextmanager
def conflicts_reported(session: Session) -> Iterator[None]:
    """Turn the driver's unique-key and deadlock errors into WriteConflict, rolled back. Its
    message names the error's kind only: the driver's text quotes the values (an email)."""
    try:
        yield
    except (IntegrityError, OperationalError) as exc:
        session.rollback()
        raise WriteConflict(type(exc.orig).__name__) from None
