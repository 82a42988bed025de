"""How fast the daily digest is built from a large hiring history, on SQLite and MariaDB.

    python -m bench.digest                      # SQLite and MariaDB, full size
    python -m bench.digest --database mariadb   # one database
    python -m bench.digest --quick              # a tenth of the data, a few seconds

Full size: 10,000 candidates, 50,000 interviews, 150,000 feedback (a scratch SQLite file, and the
MariaDB database `interview_bot_bench`, created and dropped). Prints how long filling took, the
build time (median of several runs after a warm-up) and how many SQL statements a build takes.
Prints figures; it is not a pass/fail test and always exits 0.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from bench import digest_data
from bot.app.startup import PIPELINES_DIR, migrate
from bot.digest.build import build_digest
from models.database import make_engine, make_session_factory
from models.pipelines import read_pipeline_file, upsert_pipeline
from models.unit_of_work import UnitOfWork

MARIADB_URL = "mysql+pymysql://root@127.0.0.1:3306/interview_bot_bench?charset=utf8mb4"
ZONE = ZoneInfo("Europe/Paris")
TARGET_MS = 500.0


@dataclass(frozen=True)
class Measure:
    database: str
    rows: dict[str, int]
    fill_seconds: float
    build_ms: float
    queries: int
    slowest: list[tuple[float, str]]


def measure(name: str, url: str, scale: digest_data.Scale, runs: int) -> Measure:
    migrate(url)
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        rows = _fill(engine, scale)
        fill_seconds = time.perf_counter() - started
        build_ms, queries, slowest = _time_builds(engine, runs)
    finally:
        engine.dispose()
    return Measure(name, rows, fill_seconds, build_ms, queries, slowest)


def _fill(engine: Engine, scale: digest_data.Scale) -> dict[str, int]:
    sessions = make_session_factory(engine)
    with UnitOfWork(sessions) as uow:
        for path in sorted(PIPELINES_DIR.glob("*.toml")):
            upsert_pipeline(uow.session, read_pipeline_file(path))
        uow.commit()
        stages = digest_data.stage_ids(uow.session)
    rows = digest_data.generate(scale, stages)
    with engine.begin() as connection:
        counts = digest_data.insert_all(connection, rows)
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(text("ANALYZE"))
        else:
            tables = ", ".join(table.name for table, _ in rows.tables())
            connection.execute(text(f"ANALYZE TABLE {tables}"))
    return counts


def _time_builds(engine: Engine, runs: int) -> tuple[float, int, list[tuple[float, str]]]:
    sessions = make_session_factory(engine)
    durations = []
    with _statement_timer(engine) as statements:
        for _ in range(runs + 1):  # the first run warms caches and is not counted
            statements.clear()
            with UnitOfWork(sessions) as uow:
                started = time.perf_counter()
                build_digest(uow, digest_data.NOW, ZONE)
                durations.append((time.perf_counter() - started) * 1000)
    slowest = sorted(statements, reverse=True)[:3]
    return statistics.median(durations[1:]), len(statements), slowest


@contextmanager
def _statement_timer(engine: Engine) -> Iterator[list[tuple[float, str]]]:
    statements: list[tuple[float, str]] = []
    started: list[float] = []

    def before(*_args: Any) -> None:
        started.append(time.perf_counter())

    def after(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        elapsed = (time.perf_counter() - started.pop()) * 1000
        statements.append((elapsed, " ".join(statement.split())[:90]))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


@contextmanager
def scratch_database(name: str) -> Iterator[str]:
    if name == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'interview_bot_bench.db'}"
        return
    url = make_url(MARIADB_URL)
    admin = create_engine(url.set(database="mysql"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS `{url.database}`"))
            connection.execute(text(f"CREATE DATABASE `{url.database}` CHARACTER SET utf8mb4"))
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS `{url.database}`"))
        admin.dispose()


def print_measure(m: Measure) -> None:
    rows = ", ".join(f"{count:,} {table}" for table, count in m.rows.items())
    verdict = (
        ""
        if m.database != "mariadb"
        else (f"  (target < {TARGET_MS:.0f} ms: {'met' if m.build_ms < TARGET_MS else 'MISSED'})")
    )
    print(f"{m.database}: {rows}")
    print(
        f"  fill {m.fill_seconds:.1f} s; build {m.build_ms:.1f} ms (median); "
        f"{m.queries} SQL statements{verdict}"
    )
    for elapsed, statement in m.slowest:
        print(f"    {elapsed:7.1f} ms  {statement}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database", choices=("sqlite", "mariadb", "all"), default="all")
    parser.add_argument("--quick", action="store_true", help="a tenth of the data, fewer runs")
    args = parser.parse_args(argv)
    scale = digest_data.QUICK if args.quick else digest_data.FULL
    runs = 3 if args.quick else 9
    names = ("sqlite", "mariadb") if args.database == "all" else (args.database,)
    print(
        f"Daily digest build, median of {runs} runs after a warm-up; slowest statements "
        "of the last run below each line.\n"
    )
    for name in names:
        with scratch_database(name) as url:
            print_measure(measure(name, url, scale, runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
