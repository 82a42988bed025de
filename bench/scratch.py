"""Scratch databases for the benchmarks: created empty before a run and dropped after it.

By kind (`sqlite`, `mariadb`, `postgresql`) a bench uses its own database name on the local
server (a leftover of that name, from an interrupted run, is replaced). Given a URL, it creates
the database the URL names and refuses one that already exists: a bench never touches data it
did not make.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

KINDS = ("sqlite", "mariadb", "postgresql")
LOCAL_SERVERS = {
    "mariadb": "mysql+pymysql://root@127.0.0.1:3306/{name}?charset=utf8mb4",
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:5432/{name}",
}


class ScratchError(Exception):
    """Why a scratch database could not be had, in one line."""


def kind_of(url: str) -> str:
    backend = make_url(url).get_backend_name()
    return "mariadb" if backend == "mysql" else backend


@contextmanager
def scratch_database(kind: str, name: str, url: str | None = None) -> Iterator[str]:
    """The URL of a new, empty database: `url` if given, else `name` on the local `kind`."""
    if url is None and kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / f'{name}.db'}"
        return
    if url is None:
        with _server_database(make_url(LOCAL_SERVERS[kind].format(name=name)), replace=True):
            yield LOCAL_SERVERS[kind].format(name=name)
        return
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        with _sqlite_file(parsed):
            yield url
        return
    with _server_database(parsed, replace=False):
        yield url


@contextmanager
def _sqlite_file(url: URL) -> Iterator[None]:
    if not url.database or url.database == ":memory:":
        raise ScratchError(f"{url}: the benchmark needs a SQLite file, e.g. sqlite:///bench.db")
    path = Path(url.database)
    if path.exists():
        raise ScratchError(f"{path} exists: the benchmark only uses a database it creates")
    try:
        yield
    finally:
        for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))):
            leftover.unlink(missing_ok=True)


@contextmanager
def _server_database(url: URL, replace: bool) -> Iterator[None]:
    if not url.database:
        raise ScratchError(f"{url.render_as_string()}: name the database to create in the URL")
    postgres = url.get_backend_name() == "postgresql"
    admin = create_engine(
        url.set(database="postgres" if postgres else "mysql"), isolation_level="AUTOCOMMIT"
    )
    quoted = f'"{url.database}"' if postgres else f"`{url.database}`"
    try:
        with _in_one_line(url):
            _create(admin, url.database, quoted, postgres, replace)
        try:
            yield
        finally:
            with _in_one_line(url):
                _drop(admin, quoted)
    finally:
        admin.dispose()


@contextmanager
def _in_one_line(url: URL) -> Iterator[None]:
    """A server that does not answer, or refuses the user, as one line naming it."""
    try:
        yield
    except OperationalError as error:
        reason = " ".join(str(error.orig).split())
        raise ScratchError(f"{url.render_as_string()}: {reason}") from error


def _create(admin: Engine, name: str, quoted: str, postgres: bool, replace: bool) -> None:
    with admin.connect() as connection:
        if _exists(connection, name, postgres):
            if not replace:
                raise ScratchError(
                    f"database {name} exists: the benchmark only uses a database it creates"
                )
            connection.execute(text(f"DROP DATABASE {quoted}"))
        extra = "" if postgres else " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        connection.execute(text(f"CREATE DATABASE {quoted}{extra}"))


def _exists(connection: Connection, name: str, postgres: bool) -> bool:
    query = (
        "SELECT 1 FROM pg_database WHERE datname = :name"
        if postgres
        else "SELECT 1 FROM information_schema.schemata WHERE schema_name = :name"
    )
    return connection.execute(text(query), {"name": name}).first() is not None


def _drop(admin: Engine, quoted: str) -> None:
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {quoted}"))
