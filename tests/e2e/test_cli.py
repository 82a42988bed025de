"""The `interview-bot` command line as an operator runs it (real processes): help and version
start nothing, every bad setting is one line naming its variable with exit code 2 in every entry
point (the production server's factory included), and `check` says one line per check."""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.app.config_check import checked_settings
from bot.app.main import main
from bot.settings import ConfigError
from tests.conftest import BOT_TOKEN, SERVER_DATABASES, SIGNING_SECRET
from tests.fakes.google_calendar import FakeGoogleCalendar, write_service_account_key
from tests.fakes.slack_api import FakeSlackAPI

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
INTERVIEW_BOT = str(BIN / "interview-bot")
COMMANDS = (
    "serve",
    "web",
    "worker",
    "release",
    "check",
    "demo",
    "help",
    "erase-candidate",
    "export-candidate",
    "export-audit",
    "rotate-keys",
)
# Variables a developer may have set that the tests choose themselves.
_OURS = ("SLACK_", "GOOGLE_", "DATABASE_", "DIGEST_", "CALENDAR_", "FIELD_ENCRYPTION_KEY")
_ALSO_OURS = {"ADMIN_SLACK_IDS", "TIMEZONE", "PORT", "METRICS_PORT", "LOG_FORMAT"}


def _environment(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_OURS) and k not in _ALSO_OURS}
    return env | {"PYTHONPATH": str(PROJECT)} | values


def _serving_env(folder: Path, **values: str) -> dict[str, str]:
    """Settings good enough to serve, with nothing reachable on the network."""
    good = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
        "DATABASE_URL": f"sqlite:///{folder / 'bot.db'}",
    }
    return _environment(**(good | values))


def _run(
    command: list[str], env: dict[str, str], folder: Path, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=folder, env=env, capture_output=True, text=True, timeout=timeout
    )


def _one_line(finished: subprocess.CompletedProcess[str]) -> str:
    """The single line a refused start prints, after checking it is one line and exit code 2."""
    assert finished.returncode == 2, finished
    assert finished.stdout == ""
    lines = finished.stderr.strip().splitlines()
    assert len(lines) == 1, finished.stderr
    assert lines[0].startswith("interview-bot: ")
    return lines[0]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- help and version -------------------------------------------------------------------------


def test_help_lists_every_command_and_starts_nothing(tmp_path: Path) -> None:
    # A database that would take DATABASE_WAIT_SECONDS to give up on, were anything started.
    env = _environment(
        DATABASE_URL=f"postgresql+psycopg://postgres@127.0.0.1:{_free_port()}/x",
        DATABASE_WAIT_SECONDS="30",
    )
    started = time.monotonic()
    finished = _run([INTERVIEW_BOT, "--help"], env, tmp_path)
    elapsed = time.monotonic() - started
    assert finished.returncode == 0, finished.stderr
    assert finished.stderr == ""
    listed = re.findall(r"^  ([a-z-]+)  ", finished.stdout.split("Commands:")[1], re.MULTILINE)
    assert listed == list(COMMANDS)
    assert elapsed < 10
    assert list(tmp_path.iterdir()) == []  # no database file, no output


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["help"], "Commands:"),
        (["-h"], "Commands:"),
        (["help", "release"], "Usage: python -m bot release"),
        (["serve", "--help"], "Usage: python -m bot serve"),
        (["version"], "interview-bot "),
    ],
)
def test_help_like_calls_of_python_m_bot_start_nothing(
    tmp_path: Path, arguments: list[str], expected: str
) -> None:
    env = _environment(DATABASE_URL=f"postgresql+psycopg://postgres@127.0.0.1:{_free_port()}/x")
    finished = _run([sys.executable, "-m", "bot", *arguments], env, tmp_path, timeout=20)
    assert finished.returncode == 0, finished.stderr
    assert expected in finished.stdout
    assert finished.stderr == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_its_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Usage: ") and f" {command} " in out.splitlines()[0]
    assert len(out.splitlines()) >= 4


def test_version_is_the_installed_package_version(tmp_path: Path) -> None:
    finished = _run([INTERVIEW_BOT, "--version"], _environment(), tmp_path)
    assert finished.returncode == 0
    assert finished.stdout == f"interview-bot {version('interview-bot')}\n"


# --- one line for every bad setting --------------------------------------------------------------

SERVICE_ACCOUNT = {"type": "service_account", "client_email": "bot@x.iam.gserviceaccount.com"}
KEY_FILES: dict[str, str | None] = {
    "missing": None,
    "not JSON": "{not json",
    "a user's credentials": json.dumps({"type": "authorized_user", "client_id": "1"}),
    "a broken key": json.dumps(
        SERVICE_ACCOUNT | {"private_key": "-----BEGIN PRIVATE KEY-----\nnope", "token_uri": "x"}
    ),
}


@pytest.mark.parametrize(
    ("values", "variable", "says"),
    [
        (
            {"DATABASE_URL": "postgres://hr:s3cret@db.example.com/hiring"},
            "DATABASE_URL",
            "postgresql+psycopg://",
        ),
        (
            {"DATABASE_URL": "mysql://hr:s3cret@db.example.com/hiring"},
            "DATABASE_URL",
            "mysql+pymysql://",
        ),
        ({"DATABASE_URL": "not-a-url"}, "DATABASE_URL", "not a database URL"),
        ({"DATABASE_URL": "oracle://hr:s3cret@db/hiring"}, "DATABASE_URL", "unsupported database"),
        ({"DATABASE_WAIT_SECONDS": "soon"}, "DATABASE_WAIT_SECONDS", "number"),
        ({"SLACK_BOT_TOKEN": "xoxb-your-bot-token"}, "SLACK_BOT_TOKEN", "interview-bot demo"),
        ({"SLACK_SIGNING_SECRET": "your-signing-secret"}, "SLACK_SIGNING_SECRET", ".env.example"),
        ({"SLACK_SIGNING_SECRET": ""}, "SLACK_SIGNING_SECRET", "required"),
        ({"TIMEZONE": "Paris"}, "TIMEZONE", "unknown time zone"),
    ],
)
def test_a_bad_setting_is_one_line_naming_its_variable(
    tmp_path: Path, values: dict[str, str], variable: str, says: str
) -> None:
    line = _one_line(_run([INTERVIEW_BOT], _serving_env(tmp_path, **values), tmp_path))
    assert variable in line and says in line
    assert "s3cret" not in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("key", KEY_FILES, ids=list(KEY_FILES))
def test_a_bad_service_account_key_is_one_line(tmp_path: Path, key: str) -> None:
    key_file = tmp_path / "key.json"
    if KEY_FILES[key] is not None:
        key_file.write_text(KEY_FILES[key] or "")
    env = _serving_env(
        tmp_path,
        CALENDAR_BACKEND="google",
        GOOGLE_SERVICE_ACCOUNT_FILE=str(key_file),
        GOOGLE_ORGANIZER_EMAIL="recruiting@example.com",
    )
    line = _one_line(_run([INTERVIEW_BOT, "serve"], env, tmp_path))
    assert line.startswith("interview-bot: GOOGLE_SERVICE_ACCOUNT_FILE: ")
    assert str(key_file) in line


def test_an_unreachable_database_is_one_line_after_the_stated_wait(tmp_path: Path) -> None:
    port = _free_port()  # nothing listens there: every attempt is refused
    env = _serving_env(
        tmp_path,
        DATABASE_URL=f"mysql+pymysql://root:s3cret@127.0.0.1:{port}/hiring",
        DATABASE_WAIT_SECONDS="2",
    )
    started = time.monotonic()
    line = _one_line(_run([INTERVIEW_BOT], env, tmp_path))
    elapsed = time.monotonic() - started
    where = f"the database 'hiring' on 127.0.0.1:{port}"
    assert line.startswith(f"interview-bot: DATABASE_URL: {where} did not answer")
    assert "within 2 s (DATABASE_WAIT_SECONDS)" in line and "s3cret" not in line
    assert 2 <= elapsed < 20


def _unknown_database(database_name: str, folder: Path) -> str:
    if database_name == "sqlite":
        return f"sqlite:///{folder / 'no-such-folder' / 'bot.db'}"
    server = make_url(SERVER_DATABASES[database_name])
    return server.set(database="ib_no_such_database").render_as_string(hide_password=False)


def test_an_unknown_database_is_one_line_at_once(database_name: str, tmp_path: Path) -> None:
    env = _serving_env(
        tmp_path,
        DATABASE_URL=_unknown_database(database_name, tmp_path),
        DATABASE_WAIT_SECONDS="60",
    )
    started = time.monotonic()
    line = _one_line(_run([INTERVIEW_BOT, "release"], env, tmp_path))
    assert line.startswith("interview-bot: DATABASE_URL: ")
    assert "cannot be used" in line
    assert time.monotonic() - started < 30  # refused at once, not after the 60 s wait


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "bot"],
        [INTERVIEW_BOT, "serve"],
        [INTERVIEW_BOT, "web"],
        [INTERVIEW_BOT, "worker"],
        [INTERVIEW_BOT, "release"],
        [INTERVIEW_BOT, "check"],
        [INTERVIEW_BOT, "export-audit"],
    ],
    ids=lambda command: " ".join(Path(part).name for part in command[-2:]),
)
def test_every_entry_point_refuses_a_malformed_url_in_one_line(
    tmp_path: Path, command: list[str]
) -> None:
    env = _serving_env(tmp_path, DATABASE_URL="postgres://db.example.com/hiring")
    assert "DATABASE_URL" in _one_line(_run(command, env, tmp_path))


@pytest.mark.parametrize(
    ("values", "variable"),
    [
        ({"SLACK_SIGNING_SECRET": ""}, "SLACK_SIGNING_SECRET"),
        ({"DATABASE_URL": "mysql://root@db.example.com/hiring"}, "DATABASE_URL"),
    ],
)
def test_the_production_server_factory_refuses_in_one_line(
    tmp_path: Path, values: dict[str, str], variable: str
) -> None:
    command = [
        str(BIN / "waitress-serve"),
        f"--listen=127.0.0.1:{_free_port()}",
        "--call",
        "bot.app.web:create_wsgi_app",
    ]
    line = _one_line(_run(command, _serving_env(tmp_path, **values), tmp_path))
    assert variable in line


def _example_values() -> dict[str, str]:
    """VARIABLE=value of every line of .env.example, commented out or not."""
    text = (PROJECT / ".env.example").read_text()
    return dict(re.findall(r"^#? ?([A-Z_]+)=(\S+)", text, re.MULTILINE))


EXAMPLE_CREDENTIALS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "GOOGLE_SERVICE_ACCOUNT_FILE",
    "GOOGLE_ORGANIZER_EMAIL",
    "DIGEST_RECIPIENT",
    "ADMIN_SLACK_IDS",
    "FIELD_ENCRYPTION_KEY",
)


@pytest.mark.parametrize("variable", EXAMPLE_CREDENTIALS)
def test_every_example_value_of_env_example_is_refused(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    example = _example_values()[variable]
    for name, value in _serving_env(Path("."), CALENDAR_BACKEND="local").items():
        if name.startswith(("SLACK_", "DATABASE_", "CALENDAR_")):
            monkeypatch.setenv(name, value)
    monkeypatch.setenv(variable, example)
    with pytest.raises(ConfigError) as refused:
        checked_settings(serving=True)
    assert variable in str(refused.value)
    assert "\n" not in str(refused.value)


# --- check ---------------------------------------------------------------------------------------


def _check_lines(finished: subprocess.CompletedProcess[str]) -> dict[str, str]:
    lines = finished.stdout.strip().splitlines()
    assert [line.split(":", 1)[0] for line in lines] == [
        "settings",
        "database",
        "schema",
        "slack",
        "google",
    ], finished.stdout + finished.stderr
    return {line.split(":", 1)[0]: line.split(": ", 1)[1] for line in lines}


def test_release_then_check_passes_on_a_good_sqlite_config(
    tmp_path: Path, fake_slack: FakeSlackAPI
) -> None:
    env = _environment(
        DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_API_URL=fake_slack.url,
    )
    assert _run([INTERVIEW_BOT, "release"], env, tmp_path).returncode == 0
    finished = _run([INTERVIEW_BOT, "check"], env, tmp_path)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    lines = _check_lines(finished)
    assert lines["settings"].startswith("ok")
    assert lines["database"] == f"ok (the SQLite file {tmp_path / 'bot.db'})"
    assert lines["schema"].startswith("ok (at head, ")
    assert lines["slack"] == "ok (auth.test: interview-bot in the workspace Acme)"
    assert lines["google"] == "skipped (CALENDAR_BACKEND is local)"
    assert len(fake_slack.calls("auth.test")) == 1


def test_check_fails_on_a_schema_behind_and_a_refused_token(tmp_path: Path) -> None:
    sqlite3.connect(tmp_path / "bot.db").close()  # a database the migrations never ran on
    with FakeSlackAPI(valid_tokens={"xoxb-another-token"}) as slack:
        env = _environment(
            DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_API_URL=slack.url,
        )
        finished = _run([INTERVIEW_BOT, "check"], env, tmp_path)
    assert finished.returncode == 1
    lines = _check_lines(finished)
    assert lines["database"].startswith("ok")
    assert lines["schema"] == "FAILED no schema yet; run `interview-bot release`"
    assert lines["slack"] == "FAILED auth.test answered invalid_auth (SLACK_BOT_TOKEN)"


def test_check_without_a_token_or_a_database_file_says_so(tmp_path: Path) -> None:
    env = _environment(DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}")
    finished = _run([INTERVIEW_BOT, "check"], env, tmp_path)
    assert finished.returncode == 1
    lines = _check_lines(finished)
    assert lines["database"].startswith("FAILED DATABASE_URL: the SQLite file")
    assert lines["schema"] == "not checked (no database)"
    assert lines["slack"] == "skipped (SLACK_BOT_TOKEN is not set)"
    assert not (tmp_path / "bot.db").exists()


def test_check_gets_a_google_token_for_the_organizer(tmp_path: Path) -> None:
    key_file = tmp_path / "key.json"
    with FakeGoogleCalendar() as google:
        write_service_account_key(key_file, google.token_uri)
        env = _environment(
            DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
            CALENDAR_BACKEND="google",
            GOOGLE_SERVICE_ACCOUNT_FILE=str(key_file),
            GOOGLE_ORGANIZER_EMAIL="recruiting@example.com",
            GOOGLE_CALENDAR_API_URL=google.url,
        )
        passed = _check_lines(_run([INTERVIEW_BOT, "check"], env, tmp_path))
        google.fail_next(1, 401, "unauthorized_client", path_contains="/token")
        refused = _check_lines(_run([INTERVIEW_BOT, "check"], env, tmp_path))
        [claims] = google.token_claims  # the refused request got no token
    assert passed["google"] == "ok (a calendar token for recruiting@example.com)"
    assert claims["sub"] == "recruiting@example.com"
    assert refused["google"].startswith("FAILED no token for recruiting@example.com")
