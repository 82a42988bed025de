"""`interview-bot check`: the settings, the database, its schema, Slack's token and Google's,
one line each. Exit 0 when all pass, 1 when one fails (a bad setting raises ConfigError: 2)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from bot.app.config_check import checked_settings, database_place, database_problem
from bot.app.startup import current_revisions, head_revisions
from bot.settings import Settings
from models.database import DatabaseUnreachable, make_engine, wait_for_database


@dataclass(frozen=True)
class Outcome:
    passed: bool
    line: str


def run_check(echo: Callable[[str], None]) -> int:
    settings = checked_settings(serving=False)
    echo(f"settings: ok (calendar {settings.calendar}, time zone {settings.timezone})")
    outcomes = [*_database_and_schema(settings), check_slack(settings), check_google(settings)]
    for outcome in outcomes:
        echo(outcome.line)
    return 0 if all(outcome.passed for outcome in outcomes) else 1


def _database_and_schema(settings: Settings) -> list[Outcome]:
    engine = make_engine(settings.database_url)
    try:
        reached = check_database(settings, engine)
        if not reached.passed:
            return [reached, Outcome(False, "schema: not checked (no database)")]
        return [reached, check_schema(engine)]
    finally:
        engine.dispose()


def check_database(settings: Settings, engine: Engine) -> Outcome:
    """One attempt: `check` answers at once rather than waiting DATABASE_WAIT_SECONDS. A SQLite
    file that does not exist is reported rather than created."""
    place = database_place(settings.database_url)
    parsed = make_url(settings.database_url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        if not Path(parsed.database).exists():
            return Outcome(
                False,
                f"database: FAILED DATABASE_URL: {place} does not exist "
                "(`interview-bot release` creates it)",
            )
    try:
        wait_for_database(engine, 0)
    except DatabaseUnreachable as exc:
        return Outcome(False, f"database: FAILED {database_problem(settings, exc)}")
    return Outcome(True, f"database: ok ({place})")


def check_schema(engine: Engine) -> Outcome:
    current, head = current_revisions(engine), head_revisions()
    if current == head:
        return Outcome(True, f"schema: ok (at head, {_names(head)})")
    if not current:
        return Outcome(False, "schema: FAILED no schema yet; run `interview-bot release`")
    return Outcome(
        False,
        f"schema: FAILED the database is at {_names(current)}, the code at {_names(head)}; "
        "run `interview-bot release`",
    )


def _names(revisions: frozenset[str]) -> str:
    return ", ".join(sorted(revisions))


def check_slack(settings: Settings) -> Outcome:
    if settings.slack_bot_token is None or not settings.slack_bot_token.get_secret_value():
        return Outcome(True, "slack: skipped (SLACK_BOT_TOKEN is not set)")
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError, SlackClientError

    client = WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=10,
    )
    try:
        answer = client.auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error", "an error")
        return Outcome(False, f"slack: FAILED auth.test answered {error} (SLACK_BOT_TOKEN)")
    except (SlackClientError, OSError) as exc:
        return Outcome(False, f"slack: FAILED {settings.slack_api_url} cannot be reached ({exc})")
    return Outcome(
        True, f"slack: ok (auth.test: {answer.get('user')} in the workspace {answer.get('team')})"
    )


def check_google(settings: Settings) -> Outcome:
    if settings.calendar != "google":
        return Outcome(True, "google: skipped (CALENDAR_BACKEND is local)")
    import google_auth_httplib2
    import httplib2
    from google.auth.exceptions import GoogleAuthError
    from google.oauth2 import service_account

    from calendars.google import CALENDAR_SCOPE

    assert settings.google_service_account_file and settings.google_organizer_email
    organizer = settings.google_organizer_email
    credentials = service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
        settings.google_service_account_file,
        scopes=[CALENDAR_SCOPE],
        subject=settings.google_organizer_email,
    )
    try:
        credentials.refresh(google_auth_httplib2.Request(httplib2.Http(timeout=10)))
    except (GoogleAuthError, OSError, httplib2.HttpLib2Error) as exc:
        reason = " ".join(str(exc).split())
        return Outcome(False, f"google: FAILED no token for {organizer}: {reason}")
    return Outcome(True, f"google: ok (a calendar token for {organizer})")
