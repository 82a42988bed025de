"""The boundaries of the code base hold by a check: import contracts that bite, thin listeners.

The contracts themselves are in pyproject.toml ([tool.importlinter]) and run in bin/test; these
tests prove they fail when a boundary is crossed, on a copy of the code with one bad import added.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "calendars", "models")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy_of_the_code(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=where,
        env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _add_import(module: Path, statement: str) -> None:
    source = module.read_text()
    module.write_text(
        source.replace(
            "from __future__ import annotations\n",
            f"from __future__ import annotations\n\n{statement}\n",
            1,
        )
    )


def test_the_import_contracts_hold_on_the_code_as_it_is(tmp_path: Path) -> None:
    result = _lint_imports(_copy_of_the_code(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "statement", "broken"),
    [
        ("bot/feedback/visibility.py", "import sqlalchemy  # noqa", "know neither Slack"),
        ("bot/digest/build.py", "import handlers.digest.messages  # noqa", "Layers: root"),
        ("bot/scheduling/form.py", "import slack_sdk  # noqa", "know neither Slack"),
        ("models/people.py", "import bot.team.people  # noqa", "never reach up"),
        ("bot/team/people.py", "import bot.decisions.asking  # noqa", "No import cycle"),
    ],
)
def test_crossing_a_boundary_breaks_a_contract(
    tmp_path: Path, module: str, statement: str, broken: str
) -> None:
    where = _copy_of_the_code(tmp_path)
    _add_import(where / module, statement)
    result = _lint_imports(where)
    assert result.returncode == 1, result.stdout
    broken_lines = [line for line in result.stdout.splitlines() if line.endswith("BROKEN")]
    assert any(broken in line for line in broken_lines), result.stdout


def _sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_services_never_reach_for_the_database_session() -> None:
    # The offline demo reads its own scratch database to tell what happened; it is no service.
    demo = ROOT / "bot" / "app" / "demo"
    offenders = [
        str(p) for p in _sources("bot") if "uow.session" in p.read_text() and demo not in p.parents
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "pattern", [r"\.unit_of_work\(", r"\.commit\(", r"\.clock\b", r"\.settings\b"]
)
def test_listeners_neither_commit_nor_read_the_clock_or_settings(pattern: str) -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _sources("handlers")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(pattern, line)
    ]
    assert offenders == []
