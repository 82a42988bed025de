"""Where and how a benchmark ran: one line naming the machine, and the spread of repeated runs.

Every script in bench/ starts with `print_header`, so a figure always travels with the machine,
the date and the load it was measured under, and gives each figure as `min / median` of
`--runs N` runs (`add_runs_argument`).
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

T = TypeVar("T")
DEFAULT_RUNS = 5
CPUINFO = Path("/proc/cpuinfo")
MEMINFO = Path("/proc/meminfo")


@dataclass(frozen=True)
class Spread:
    min: float
    median: float
    max: float

    def text(self, digits: int = 1) -> str:
        """`min / median`, the pair every figure in the README is quoted as."""
        return f"{self.min:.{digits}f} / {self.median:.{digits}f}"


def spread(samples: Iterable[float]) -> Spread:
    values = sorted(samples)
    if not values:
        raise ValueError("no samples")
    return Spread(values[0], statistics.median(values), values[-1])


def repeat(run: Callable[[], T], runs: int) -> list[T]:
    """Call `run` `runs` times, one after the other; its results in order."""
    if runs < 1:
        raise ValueError(f"runs must be at least 1, not {runs}")
    return [run() for _ in range(runs)]


def describe_machine(database_url: str | None = None) -> str:
    """CPU model, logical cores, memory, OS, Python and, given a URL, the database server."""
    parts = [
        cpu_model(),
        _cores(),
        f"{memory_gib():.1f} GiB memory",
        _operating_system(),
        f"{platform.python_implementation()} {platform.python_version()}",
    ]
    if database_url is not None:
        parts.append(database_version(database_url))
    return ", ".join(parts)


def cpu_model(cpuinfo: Path = CPUINFO) -> str:
    try:
        lines = cpuinfo.read_text().splitlines()
    except OSError:
        lines = []
    for line in lines:
        key, _, value = line.partition(":")
        if key.strip() in ("model name", "Processor", "cpu model") and value.strip():
            return " ".join(value.split())
    return platform.processor() or platform.machine() or "unknown CPU"


def _cores() -> str:
    logical = os.cpu_count() or 1
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else logical
    return f"{logical} logical cores" + (f" ({usable} usable)" if usable < logical else "")


def memory_gib(meminfo: Path = MEMINFO) -> float:
    try:
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024**2  # the figure is in KiB
    except (OSError, ValueError, IndexError):
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3


def _operating_system() -> str:
    kernel = f"{platform.system()} {platform.release()}"
    try:
        name = platform.freedesktop_os_release().get("PRETTY_NAME")
    except OSError:
        name = None
    return f"{name} ({kernel})" if name else kernel


def database_version(url: str) -> str:
    """`SQLite 3.40.1`, `MariaDB 10.11.6`, `PostgreSQL 15.5`: asks the server for a server URL."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if backend == "postgresql":
                version = str(connection.exec_driver_sql("SHOW server_version").scalar())
                return f"PostgreSQL {version.split()[0]}"
            version = str(connection.exec_driver_sql("SELECT VERSION()").scalar())
    finally:
        engine.dispose()
    server = "MariaDB" if "mariadb" in version.lower() else "MySQL"
    return f"{server} {version.split('-')[0]}"


def header_line(bench: str, runs: int, database_url: str | None = None) -> str:
    """`bench.x, <date> UTC, min / median of N runs; <machine>; load average L`."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{bench}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, min / median of {runs} runs; "
        f"{describe_machine(database_url)}; load average {load:.2f}"
    )


def print_header(
    bench: str,
    runs: int,
    database_url: str | None = None,
    out: Callable[[str], None] = print,
) -> None:
    out(header_line(bench, runs, database_url))


def add_runs_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--runs",
        type=_positive,
        default=DEFAULT_RUNS,
        help=f"how many runs each figure is the min / median of (default {DEFAULT_RUNS})",
    )


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number
