"""The wheel `pip install .` builds carries the migrations, the pipelines and the console script,
and `release` then `check` run from it in another directory, against SQLite.

The wheel is built from a copy of the sources (pip builds in the source tree), then unpacked
and put first on PYTHONPATH: the same files a `pip install .` puts in site-packages, without
reinstalling the dependencies (a full install into an empty venv is measured in the README)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "README.md", "bot", "handlers", "calendars", "models", "migrations")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (PROJECT / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(PROJECT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(PROJECT / name, source / name)
    dist = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(dist)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    [path] = dist.glob("interview_bot-*.whl")
    return path


def _names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_carries_the_migrations_pipelines_and_console_script(wheel: Path) -> None:
    names = _names(wheel)
    assert {"migrations/env.py", "migrations/script.py.mako"} <= names
    versions = {
        f"migrations/versions/{p.name}" for p in (PROJECT / "migrations/versions").glob("*.py")
    }
    assert len(versions) > 5 and versions <= names
    pipelines = {f"bot/pipelines/{p.name}" for p in (PROJECT / "bot/pipelines").glob("*.toml")}
    assert pipelines and pipelines <= names
    [entry_points] = [name for name in names if name.endswith(".dist-info/entry_points.txt")]
    with zipfile.ZipFile(wheel) as archive:
        scripts = archive.read(entry_points).decode()
    assert "interview-bot = bot.app.main:run" in scripts
    assert not any(name.startswith(("tests/", "bench/")) for name in names)


def test_release_and_check_run_from_the_wheel_in_another_directory(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "GOOGLE_", "DATABASE_", "CALENDAR_"))
    }
    env |= {"PYTHONPATH": str(site), "DATABASE_URL": "sqlite:///hiring.db"}

    def run(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *arguments],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    where = run("-c", "import bot, migrations; print(bot.__file__, migrations.__file__)")
    assert where.stdout.split() == [
        str(site / "bot" / "__init__.py"),
        str(site / "migrations" / "__init__.py"),
    ]
    released = run("-m", "bot", "release")
    assert released.returncode == 0, released.stderr
    checked = run("-m", "bot", "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "schema: ok (at head, " in checked.stdout
    assert (elsewhere / "hiring.db").exists()
