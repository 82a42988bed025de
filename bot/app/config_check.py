"""Every setting checked before anything starts: each problem is one ConfigError whose message
names the variable and what is wrong, printed as one line with exit code 2 by every entry point
(the command line and the production server's factory)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from bot.settings import ConfigError, Settings, load_settings
from models.database import DatabaseUnreachable, wait_for_database

if TYPE_CHECKING:
    from bot.container import Container

PROGRAM = "interview-bot"
# What .env.example's example values look like; none of them can be a real setting.
_PLACEHOLDER_MARKS = ("your-", "yourcompany", "...", "/path/to/")
_EXAMPLE_SLACK_ID = "U0123456789"
_TRY_THE_DEMO = "; to try the bot without a Slack app, run `interview-bot demo`"
_WHAT_TO_PUT = {
    "SLACK_BOT_TOKEN": "the app's Bot User OAuth Token (xoxb-...)" + _TRY_THE_DEMO,
    "SLACK_SIGNING_SECRET": "the app's Signing Secret (Basic Information)" + _TRY_THE_DEMO,
    "SLACK_APP_TOKEN": "an app-level token (xapp-...) for Socket Mode, or leave it unset",
    "GOOGLE_SERVICE_ACCOUNT_FILE": "the path of the service account's JSON key",
    "GOOGLE_ORGANIZER_EMAIL": "the address of the calendar that owns the interviews",
    "DIGEST_RECIPIENT": "a Slack user or channel id, or leave it unset",
    "ADMIN_SLACK_IDS": "the Slack user ids of the first recruiters",
}


@contextmanager
def exit_on_config_error() -> Iterator[None]:
    """For entry points outside the command line: the one line on stderr, then exit code 2."""
    try:
        yield
    except ConfigError as exc:
        print(error_line(exc), file=sys.stderr)
        raise SystemExit(2) from None


def error_line(error: ConfigError) -> str:
    return f"{PROGRAM}: {error}"


def checked_settings(*, serving: bool) -> Settings:
    """The environment's settings, every one checked; `serving` also needs Slack's credentials."""
    settings = load_settings()
    refuse_placeholders(settings)
    if serving:
        settings.require_serving()
    check_calendar(settings)
    return settings


def checked_container(*, serving: bool) -> Container:
    """The container over checked settings, once its database answers."""
    settings = checked_settings(serving=serving)
    from bot.app.bootstrap import bootstrap  # imported once the settings are good: 1 s saved

    container = bootstrap(settings)
    reach_database(container.engine, settings)
    return container


def refuse_placeholders(settings: Settings) -> None:
    """Refuse the example values of .env.example (only the demo may run on made-up values)."""
    for name, value in _example_prone_values(settings):
        if _is_placeholder(value):
            raise ConfigError(
                f"{name} is still the example value of .env.example: set it to {_WHAT_TO_PUT[name]}"
            )


def _example_prone_values(settings: Settings) -> Iterator[tuple[str, str]]:
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        secret = getattr(settings, name.lower())
        if secret is not None:
            yield name, secret.get_secret_value()
    yield "GOOGLE_SERVICE_ACCOUNT_FILE", settings.google_service_account_file or ""
    yield "GOOGLE_ORGANIZER_EMAIL", settings.google_organizer_email or ""
    yield "DIGEST_RECIPIENT", settings.digest_recipient or ""
    for slack_id in settings.admin_slack_ids:
        yield "ADMIN_SLACK_IDS", slack_id


def _is_placeholder(value: str) -> bool:
    lowered = value.strip().lower()
    return lowered == _EXAMPLE_SLACK_ID.lower() or any(m in lowered for m in _PLACEHOLDER_MARKS)


def check_calendar(settings: Settings) -> None:
    """With the Google calendar: its two settings are there and the key file is a service
    account's key."""
    if settings.calendar != "google":
        return
    for name in ("google_service_account_file", "google_organizer_email"):
        if not getattr(settings, name):
            raise ConfigError(f"{name.upper()} is required when CALENDAR_BACKEND is google")
    assert settings.google_service_account_file is not None
    check_service_account_key(Path(settings.google_service_account_file))


def check_service_account_key(path: Path) -> None:
    variable = "GOOGLE_SERVICE_ACCOUNT_FILE"
    if not path.is_file():
        raise ConfigError(f"{variable}: there is no file at {path}")
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{variable}: {path} cannot be read ({_one_line(exc)})") from None
    except json.JSONDecodeError as exc:
        where = f"{exc.msg}, line {exc.lineno}"
        raise ConfigError(f"{variable}: {path} is not JSON ({where})") from None
    kind = info.get("type") if isinstance(info, dict) else None
    if kind != "service_account":
        raise ConfigError(
            f"{variable}: {path} is not a service-account key (its type is {kind!r}, not "
            "'service_account'); create a JSON key for the service account in Google Cloud"
        )
    from google.oauth2 import service_account

    try:
        service_account.Credentials.from_service_account_info(info)  # type: ignore[no-untyped-call]
    except ValueError as exc:  # google-auth's MalformedError is a ValueError
        raise ConfigError(
            f"{variable}: {path} is not a usable service-account key ({_one_line(exc)})"
        ) from None


def reach_database(engine: Engine, settings: Settings) -> None:
    """Wait up to DATABASE_WAIT_SECONDS for the database; ConfigError when it cannot be used."""
    try:
        wait_for_database(engine, settings.database_wait_seconds)
    except DatabaseUnreachable as exc:
        raise ConfigError(database_problem(settings, exc)) from None


def database_problem(settings: Settings, unreachable: DatabaseUnreachable) -> str:
    where = database_place(settings.database_url)
    if unreachable.permanent:
        return f"DATABASE_URL: {where} cannot be used: {unreachable.reason}"
    return (
        f"DATABASE_URL: {where} did not answer within {settings.database_wait_seconds:g} s "
        f"(DATABASE_WAIT_SECONDS): {unreachable.reason}"
    )


def database_place(url: str) -> str:
    """Where the database is, without the URL's password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"the SQLite file {parsed.database}" if parsed.database else "SQLite in memory"
    port = parsed.port or {"postgresql": 5432}.get(parsed.get_backend_name(), 3306)
    return f"the database {parsed.database!r} on {parsed.host or 'localhost'}:{port}"


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
