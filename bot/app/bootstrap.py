"""bootstrap(): wires settings, database, clock, calendar and Slack client into one container."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from sqlalchemy.orm import Session, sessionmaker

from bot.container import Container
from bot.settings import Settings, load_settings
from bot.shared.clock import Clock, SystemClock
from calendars.provider import CalendarProvider
from models.database import make_engine, make_session_factory


def make_slack_client(settings: Settings) -> WebClient:
    """A Web API client that retries rate limits, 5xx answers and dropped connections."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    client = WebClient(token=token, base_url=settings.slack_api_url, timeout=10)
    client.retry_handlers.extend(
        [
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ]
    )
    return client


def make_calendar(settings: Settings, session_factory: sessionmaker[Session]) -> CalendarProvider:
    if settings.calendar == "google":
        from calendars.google import GoogleCalendarProvider

        assert settings.google_service_account_file and settings.google_organizer_email
        return GoogleCalendarProvider.from_service_account_file(
            settings.google_service_account_file,
            settings.google_organizer_email,
            settings.google_calendar_api_url,
        )
    from calendars.local import LocalCalendarProvider

    return LocalCalendarProvider(session_factory)


def bootstrap(
    settings: Settings,
    *,
    clock: Clock | None = None,
    calendar: CalendarProvider | None = None,
    slack: WebClient | None = None,
) -> Container:
    engine = make_engine(settings.database_url)
    session_factory = make_session_factory(engine)
    return Container(
        settings=settings,
        engine=engine,
        session_factory=session_factory,
        clock=clock or SystemClock(),
        calendar=calendar or make_calendar(settings, session_factory),
        slack=slack or make_slack_client(settings),
    )


def serving_container() -> Container:
    """The container for serving Slack, from the environment; raises ConfigError, naming the
    variable, when a setting is missing or malformed."""
    settings = load_settings()
    settings.require_serving()
    return bootstrap(settings)
