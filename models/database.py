"""Engines, sessions and the unit of work: the one place that opens database connections."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any

from sqlalchemy import CursorResult, Engine, Result, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

SessionFactory = Callable[[], Session]


def make_engine(url: str, **options: Any) -> Engine:
    """An engine tuned per database: FK enforcement on SQLite, pre-ping for server databases."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
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


class UnitOfWork:
    """One transaction: rolls back unless `commit()` was called."""

    def __init__(self, session_factory: SessionFactory) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("unit of work used outside its `with` block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._session_factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back what was not committed and, unlike rollback(), leaves the loaded
        # objects readable after the block.
        self.session.close()
        self._session = None

    def commit(self) -> None:
        self.session.commit()
