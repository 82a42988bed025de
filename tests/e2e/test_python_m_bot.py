"""`python -m bot` as an operator runs it: health, a signed command, refusals, bad config."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import slash_command

PROJECT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(**values: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GOOGLE_"))}
    keep.update(values)
    return keep


def _wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"bot exited early: {process.communicate()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("bot did not become healthy within 60 s")


@pytest.fixture
def running_bot(database_url: str, fake_slack: FakeSlackAPI, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = _environment(
        DATABASE_URL=database_url,
        SLACK_API_URL=fake_slack.url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        ADMIN_SLACK_IDS="U_ADMIN",
        PORT=str(port),
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=env | {"PYTHONPATH": str(PROJECT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_python_m_bot_serves_health_and_opens_the_modal_fast(
    running_bot: str, fake_slack: FakeSlackAPI
) -> None:
    with urllib.request.urlopen(f"{running_bot}/healthz", timeout=5) as response:
        assert json.loads(response.read())["database"] == "up"
    request = slash_command("/schedule-interview", user_id="U_ADMIN", trigger_id="trig-7")
    result = request.post(running_bot, SIGNING_SECRET)
    assert result.status == 200
    assert result.elapsed_seconds < 1.5
    call = fake_slack.wait_for("views.open")[0]
    assert call.params["trigger_id"] == "trig-7"
    assert call.params["view"]["callback_id"] == "schedule_interview"


def test_python_m_bot_refuses_bad_signatures_without_calling_slack(
    running_bot: str, fake_slack: FakeSlackAPI
) -> None:
    request = slash_command("/schedule-interview", user_id="U_ADMIN")
    assert request.post(running_bot, "wrong-secret").status == 401
    assert request.post(running_bot, SIGNING_SECRET, timestamp=int(time.time()) - 600).status == 401
    time.sleep(0.3)
    assert fake_slack.calls("views.open") == []


def _run_bot(env: dict[str, str], folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=folder,
        env=env | {"PYTHONPATH": str(PROJECT)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_starting_without_signing_secret_prints_one_clear_error(tmp_path: Path) -> None:
    env = _environment(SLACK_BOT_TOKEN=BOT_TOKEN, DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
    finished = _run_bot(env, tmp_path)
    assert finished.returncode == 2
    lines = finished.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "SLACK_SIGNING_SECRET" in lines[0]
    assert finished.stdout == ""


def test_malformed_setting_prints_one_clear_error(tmp_path: Path) -> None:
    env = _environment(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET="s", TIMEZONE="Paris")
    finished = _run_bot(env, tmp_path)
    assert finished.returncode == 2
    assert finished.stderr.strip().splitlines() == [
        "interview-bot: invalid configuration: TIMEZONE: Value error, unknown time zone 'Paris'"
    ]
