"""The benchmarks say where they ran and how much their figures spread, use only databases they
create, and need nothing that `bin/run` does not install (no pytest, no hypothesis)."""

from __future__ import annotations

import os
import pkgutil
import platform
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from bench.machine import (
    Spread,
    cpu_model,
    describe_machine,
    header_line,
    memory_gib,
    repeat,
    spread,
)
from bench.scratch import ScratchError, kind_of, scratch_database

ROOT = Path(__file__).resolve().parents[2]
BENCH_MODULES = sorted(f"bench.{m.name}" for m in pkgutil.iter_modules([str(ROOT / "bench")]))
# Imports each module named on the command line with the dev-only packages made unimportable.
WITHOUT_DEV_TOOLS = """
import importlib, sys
DEV_ONLY = {"pytest", "_pytest", "hypothesis", "xdist", "mypy", "importlinter", "yaml"}
class DevToolsBlocked:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in DEV_ONLY:
            raise ModuleNotFoundError(f"{name} is a dev dependency", name=name)
        return None
sys.meta_path.insert(0, DevToolsBlocked())
for module in sys.argv[1:]:
    importlib.import_module(module)
"""


def _import_without_dev_tools(module: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_DEV_TOOLS, module],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_spread_is_min_median_max_whatever_the_order() -> None:
    assert spread([5.0, 1.0, 3.0, 2.0, 4.0]) == Spread(1.0, 3.0, 5.0)
    assert spread([4.0, 1.0, 2.0, 8.0]) == Spread(1.0, 3.0, 8.0)
    assert spread(x for x in [7.0]) == Spread(7.0, 7.0, 7.0)


def test_a_spread_reads_min_then_median() -> None:
    assert Spread(1.234, 2.5, 9.0).text() == "1.2 / 2.5"
    assert Spread(1.234, 2.5, 9.0).text(2) == "1.23 / 2.50"


def test_no_samples_is_an_error() -> None:
    with pytest.raises(ValueError, match="no samples"):
        spread([])


def test_repeat_runs_once_per_run_in_order() -> None:
    calls: list[int] = []

    def run() -> int:
        calls.append(len(calls))
        return len(calls) * 10

    assert repeat(run, 3) == [10, 20, 30]
    assert calls == [0, 1, 2]
    with pytest.raises(ValueError, match="at least 1"):
        repeat(run, 0)


def test_the_machine_line_names_cpu_cores_memory_os_and_python() -> None:
    line = describe_machine()

    assert f"{os.cpu_count()} logical cores" in line
    assert cpu_model() in line
    assert re.search(r"\d+\.\d GiB memory", line)
    assert platform.release() in line
    assert line.endswith(f"Python {platform.python_version()}")


def test_cpu_model_and_memory_are_read_from_the_proc_files(tmp_path: Path) -> None:
    cpuinfo, meminfo = tmp_path / "cpuinfo", tmp_path / "meminfo"
    cpuinfo.write_text("processor\t: 0\nvendor_id\t: X\nmodel name\t: Example  CPU @ 3.0GHz\n")
    meminfo.write_text("MemTotal:       16777216 kB\nMemFree:         1024 kB\n")

    assert cpu_model(cpuinfo) == "Example CPU @ 3.0GHz"
    assert memory_gib(meminfo) == 16.0


def test_the_machine_line_names_the_database_server(database_name: str, database_url: str) -> None:
    servers = {"sqlite": "SQLite", "mariadb": "MariaDB", "postgresql": "PostgreSQL"}

    line = describe_machine(database_url)

    assert re.search(rf", {servers[database_name]} \d+\.\d+(\.\d+)?$", line), line


def test_the_header_is_one_line_with_the_bench_the_runs_and_the_load() -> None:
    line = header_line("bench.example", 7)

    assert "\n" not in line
    assert line.startswith("bench.example, ")
    assert "min / median of 7 runs" in line
    assert re.search(r"load average \d+\.\d\d$", line)


@pytest.mark.parametrize("module", BENCH_MODULES)
def test_every_bench_module_imports_without_pytest_or_hypothesis(module: str) -> None:
    result = _import_without_dev_tools(module)
    assert result.returncode == 0, result.stderr


def test_the_dev_tools_blocker_does_block() -> None:
    result = _import_without_dev_tools("tests.conftest")  # it imports pytest
    assert result.returncode != 0
    assert "pytest is a dev dependency" in result.stderr


def test_the_bench_list_finds_the_benchmarks() -> None:
    expected = {"slot_finder", "digest", "scheduling_month", "ack_latency"}
    assert {f"bench.{name}" for name in expected} <= set(BENCH_MODULES)


def _scratch_url(database_url: str, tmp_path: Path) -> str:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///{tmp_path / 'scratch.db'}"
    return url.set(database=f"{url.database}_scratch").render_as_string(hide_password=False)


def _exists(url: str) -> bool:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return Path(str(parsed.database)).exists()
    postgres = parsed.get_backend_name() == "postgresql"
    admin = create_engine(parsed.set(database="postgres" if postgres else "mysql"))
    query = (
        "SELECT 1 FROM pg_database WHERE datname = :name"
        if postgres
        else "SELECT 1 FROM information_schema.schemata WHERE schema_name = :name"
    )
    try:
        with admin.connect() as connection:
            return connection.execute(text(query), {"name": parsed.database}).first() is not None
    finally:
        admin.dispose()


def test_a_scratch_database_is_new_and_empty_and_dropped_after(
    database_url: str, tmp_path: Path
) -> None:
    url = _scratch_url(database_url, tmp_path)

    with scratch_database(kind_of(url), "unused", url) as scratch:
        engine = create_engine(scratch)
        try:
            assert inspect(engine).get_table_names() == []
        finally:
            engine.dispose()
        assert _exists(url)

    assert not _exists(url)


def test_a_database_that_exists_is_refused_and_left_as_it_was(database_url: str) -> None:
    kind = kind_of(database_url)
    with pytest.raises(ScratchError, match="exists"), scratch_database(kind, "x", database_url):
        pytest.fail("a bench ran on a database it did not create")

    engine = create_engine(database_url)
    try:
        assert "candidates" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_a_server_that_does_not_answer_is_one_line_naming_it() -> None:
    with (
        pytest.raises(ScratchError) as raised,
        scratch_database("mariadb", "x", "mysql+pymysql://root@127.0.0.1:1/ib_helper_b3_nowhere"),
    ):
        pytest.fail("no server listens on port 1")

    assert "\n" not in str(raised.value)
    assert str(raised.value).startswith("mysql+pymysql://root@127.0.0.1:1/ib_helper_b3_nowhere: ")
