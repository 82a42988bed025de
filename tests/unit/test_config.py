from __future__ import annotations

from datetime import time

import pytest

from bot.settings import ConfigError, load_settings


def test_defaults_follow_the_design_card(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LOG_FORMAT", "METRICS_PORT", "HOLIDAY_COUNTRY"):  # not cleared by conftest
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(_env_file=None)
    assert settings.database_url == "sqlite:///interview_bot.db"
    assert settings.timezone == "Europe/Paris"
    assert settings.digest_time == time(9, 0)
    assert settings.port == 3000
    assert settings.calendar == "local"
    assert settings.admin_slack_ids == []
    assert settings.log_format == "text"
    assert settings.metrics_port is None
    assert settings.holiday_country == "FR"


def test_every_variable_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    values = {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s3cret",
        "SLACK_APP_TOKEN": "xapp-1",
        "SLACK_API_URL": "http://127.0.0.1:9/api",
        "DATABASE_URL": "postgresql+psycopg://u@h/db",
        "CALENDAR_BACKEND": "google",
        "GOOGLE_SERVICE_ACCOUNT_FILE": "/keys/sa.json",
        "GOOGLE_ORGANIZER_EMAIL": "recruiting@example.com",
        "GOOGLE_CALENDAR_API_URL": "http://127.0.0.1:8/",
        "TIMEZONE": "America/New_York",
        "DIGEST_TIME": "08:30",
        "DIGEST_RECIPIENT": "U_HEAD",
        "ADMIN_SLACK_IDS": "U1, U2,U3",
        "PORT": "8080",
        "LOG_FORMAT": "json",
        "METRICS_PORT": "9100",
        "HOLIDAY_COUNTRY": "us",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    settings = load_settings(_env_file=None)
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-1"
    assert settings.slack_app_token is not None
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"
    assert settings.database_url.startswith("postgresql+psycopg://")
    assert settings.calendar == "google"
    assert settings.google_organizer_email == "recruiting@example.com"
    assert settings.zone.key == "America/New_York"
    assert settings.digest_time == time(8, 30)
    assert settings.digest_recipient == "U_HEAD"
    assert settings.admin_slack_ids == ["U1", "U2", "U3"]
    assert settings.port == 8080
    assert settings.log_format == "json"
    assert settings.metrics_port == 9100
    assert settings.holiday_country == "US"
    settings.require_serving()


def test_dotenv_file_is_read(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / ".env").write_text("SLACK_SIGNING_SECRET=from-dotenv\nTIMEZONE=Europe/London\n")
    monkeypatch.chdir(folder)
    settings = load_settings()
    assert settings.slack_signing_secret is not None
    assert settings.slack_signing_secret.get_secret_value() == "from-dotenv"
    assert settings.timezone == "Europe/London"


def test_google_is_the_calendar_when_credentials_are_set() -> None:
    settings = load_settings(_env_file=None, google_service_account_file="/k.json")
    assert settings.calendar == "google"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("TIMEZONE", "Mars/Olympus"),
        ("DIGEST_TIME", "25:99"),
        ("PORT", "http"),
        ("CALENDAR_BACKEND", "outlook"),
        ("LOG_FORMAT", "bogus"),
        ("METRICS_PORT", "http"),
        ("METRICS_PORT", "0"),
        ("HOLIDAY_COUNTRY", "XX"),
        ("HOLIDAY_COUNTRY", "France"),
    ],
)
def test_malformed_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as error:
        load_settings(_env_file=None)
    assert variable in str(error.value)
    assert "\n" not in str(error.value)


def test_log_format_is_json_or_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_FORMAT", "bogus")
    with pytest.raises(ConfigError) as error:
        load_settings(_env_file=None)
    assert str(error.value) == "invalid configuration: LOG_FORMAT: Input should be 'json' or 'text'"
    monkeypatch.setenv("LOG_FORMAT", " JSON ")
    assert load_settings(_env_file=None).log_format == "json"
    monkeypatch.setenv("METRICS_PORT", "")
    assert load_settings(_env_file=None).metrics_port is None


def test_an_unknown_holiday_country_is_refused_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOLIDAY_COUNTRY", "XX")
    with pytest.raises(ConfigError) as error:
        load_settings(_env_file=None)
    assert str(error.value) == (
        "invalid configuration: HOLIDAY_COUNTRY: Value error, unknown country code 'XX' "
        "(an ISO 3166 code, e.g. FR)"
    )


def test_a_blank_holiday_country_means_no_public_holidays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOLIDAY_COUNTRY", "")
    assert load_settings(_env_file=None).holiday_country is None
    monkeypatch.setenv("HOLIDAY_COUNTRY", " de ")
    assert load_settings(_env_file=None).holiday_country == "DE"


@pytest.mark.parametrize("missing", ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"])
def test_serving_without_slack_credentials_names_the_variable(missing: str) -> None:
    values = {"slack_bot_token": "xoxb-1", "slack_signing_secret": "s"}
    values[missing.lower()] = ""
    settings = load_settings(_env_file=None, **values)
    with pytest.raises(ConfigError, match=missing):
        settings.require_serving()


def test_google_backend_needs_its_organizer() -> None:
    settings = load_settings(
        _env_file=None,
        slack_bot_token="x",
        slack_signing_secret="s",
        calendar_backend="google",
        google_service_account_file="/k.json",
    )
    with pytest.raises(ConfigError, match="GOOGLE_ORGANIZER_EMAIL"):
        settings.require_serving()
