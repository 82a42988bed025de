"""The Slack manifest and the Procfile say what the code does."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.app.startup import migrate

ROOT = Path(__file__).resolve().parents[2]


def test_manifest_declares_the_commands_scopes_and_one_request_url() -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    commands = manifest["features"]["slash_commands"]
    assert {c["command"] for c in commands} == {
        "/schedule-interview",
        "/interview-feedback",
        "/hiring-digest",
    }
    settings = manifest["settings"]
    urls = {c["url"] for c in commands} | {
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
        settings["interactivity"]["message_menu_options_url"],
    }
    assert urls == {"https://YOUR-HOST/slack/events"}
    assert {
        "commands",
        "chat:write",
        "im:write",
        "users:read",
        "users:read.email",
        "files:write",
    } <= set(manifest["oauth_config"]["scopes"]["bot"])
    assert "app_home_opened" in settings["event_subscriptions"]["bot_events"]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def test_procfile_has_release_web_and_worker() -> None:
    lines = dict(
        line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line
    )
    assert lines["release"] == "python -m bot release"
    assert "bot.app.web:create_wsgi_app" in lines["web"] and "$PORT" in lines["web"]
    assert lines["worker"] == "python -m bot worker"


def test_the_web_entry_point_serves_health(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/web.db"
    migrate(url)
    for name, value in {
        "DATABASE_URL": url,
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_URL": "http://127.0.0.1:9/",
    }.items():
        monkeypatch.setenv(name, value)
    from bot.app.web import create_wsgi_app

    app = create_wsgi_app()
    status: list[str] = []
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/healthz",
        "wsgi.input": BytesIO(b""),
        "QUERY_STRING": "",
    }
    body = b"".join(app(environ, lambda s, headers: status.append(s)))
    assert status == ["200 OK"]
    assert json.loads(body) == {"status": "ok", "database": "up"}
