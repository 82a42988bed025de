"""How fast the daily digest is built from a large hiring history, on each database.

    python -m bench.digest                         # SQLite, MariaDB and PostgreSQL, full size
    python -m bench.digest --database mariadb      # one of them (sqlite, mariadb, postgresql)
    python -m bench.digest --database-url URL      # a database the bench creates at URL
    python -m bench.digest --quick --runs 9        # a tenth of the data; min / median of 9 builds

Full size: 10,000 candidates, 50,000 interviews, 150,000 feedback, in a scratch database: a
temporary SQLite file, or `interview_bot_bench` on the local MariaDB / PostgreSQL (created and
dropped; `--database-url` names another, which must not exist yet). Prints how long filling
took, the build time as min / median of `--runs` builds (default 5) after a warm-up build, and
how many SQL statements a build takes. Prints figures; it is not a pass/fail test and exits 0
(2 when the database cannot be had).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, event, text

from bench import digest_data
from bench.machine import Spread, add_runs_argument, database_version, print_header, spread
from bench.scratch import KINDS, ScratchError, kind_of, scratch_database
from bot.app.startup import PIPELINES_DIR, migrate
from bot.digest.build import build_digest
from models.database import make_engine, make_session_factory
from models.pipelines import read_pipeline_file, upsert_pipeline
from models.unit_of_work import UnitOfWork

SCRATCH_NAME = "interview_bot_bench"
ZONE = ZoneInfo("Europe/Paris")
TARGET_MS = 500.0


@dataclass(frozen=True)
class Measure:
    database: str
    rows: dict[str, int]
    fill_seconds: float
    build_ms: Spread
    queries: int
    slowest: list[tuple[float, str]]


def measure(url: str, scale: digest_data.Scale, runs: int) -> Measure:
    """Fill a migrated copy of the schema at `url`, then time `runs` builds after a warm-up."""
    migrate(url)
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        rows = _fill(engine, scale)
        fill_seconds = time.perf_counter() - started
        build_ms, queries, slowest = _time_builds(engine, runs)
    finally:
        engine.dispose()
    name = f"{kind_of(url)} ({database_version(url)})"
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
        tables = ", ".join(table.name for table, _ in rows.tables())
        if engine.dialect.name == "sqlite":
            connection.execute(text("ANALYZE"))
        elif engine.dialect.name == "postgresql":
            connection.execute(text(f"ANALYZE {tables}"))
        else:
            connection.execute(text(f"ANALYZE TABLE {tables}"))
    return counts


def _time_builds(engine: Engine, runs: int) -> tuple[Spread, int, list[tuple[float, str]]]:
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
    return spread(durations[1:]), len(statements), slowest


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


def print_measure(m: Measure, runs: int) -> None:
    rows = ", ".join(f"{count:,} {table}" for table, count in m.rows.items())
    verdict = "met" if m.build_ms.median < TARGET_MS else "MISSED"
    print(f"{m.database}: {rows}")
    print(
        f"  fill {m.fill_seconds:.1f} s; build {m.build_ms.text()} ms (min / median of {runs}); "
        f"{m.queries} SQL statements (target < {TARGET_MS:.0f} ms: {verdict})"
    )
    for elapsed, statement in m.slowest:
        print(f"    {elapsed:7.1f} ms  {statement}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database", choices=(*KINDS, "all"), default="all")
    parser.add_argument(
        "--database-url", help="run on a new database at this URL instead (must not exist)"
    )
    parser.add_argument("--quick", action="store_true", help="a tenth of the data")
    add_runs_argument(parser)
    args = parser.parse_args(argv)
    scale = digest_data.QUICK if args.quick else digest_data.FULL
    kinds = KINDS if args.database == "all" else (args.database,)
    if args.database_url:
        kinds = (kind_of(args.database_url),)
    print_header("bench.digest", args.runs)
    print("Daily digest build; slowest statements of the last build below each line.\n")
    try:
        for kind in kinds:
            with scratch_database(kind, SCRATCH_NAME, args.database_url) as url:
                print_measure(measure(url, scale, args.runs), args.runs)
    except ScratchError as error:
        print(f"bench.digest: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
