"""INSERT that leaves an existing row alone (same unique key) on SQLite, MariaDB and PostgreSQL.

Two workers inserting the same row at once both succeed; the row exists once. This is how a job
claims "this is due now" without a lock table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Insert
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Session


def insert_ignoring_duplicates(
    session: Session, model: type[DeclarativeBase], rows: Sequence[dict[str, Any]]
) -> None:
    if not rows:
        return
    session.execute(_statement(session, model, next(iter(rows))), list(rows))


def _statement(session: Session, model: type[DeclarativeBase], sample: dict[str, Any]) -> Insert:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(model).on_conflict_do_nothing()
    if dialect in ("mysql", "mariadb"):
        statement = mysql.insert(model)
        # Setting a key column to itself is MariaDB's way of "do nothing" on a duplicate key.
        column = next(iter(sample))
        return statement.on_duplicate_key_update({column: statement.inserted[column]})
    raise NotImplementedError(f"no duplicate-tolerant insert for {dialect}")
