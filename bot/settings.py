"""Settings read once from the environment (and a `.env` file)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import time
from functools import cached_property
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from cryptography.fernet import Fernet
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_GOOGLE_CALENDAR_API_URL = "https://www.googleapis.com/"

# Derives the links' key from SLACK_SIGNING_SECRET when LINK_SECRET is unset; never change it
# (every link sent would stop working).
LINK_KEY_SALT = b"interview-bot candidate links v1"

LogFormat = Literal["json", "text"]

URL_FORMS = (
    "sqlite:///path/to/file.db, mysql+pymysql://user:password@host:3306/name or "
    "postgresql+psycopg://user:password@host:5432/name"
)
# The driver installed with interview-bot for each server database.
DRIVERS = {"mysql": "mysql+pymysql", "mariadb": "mysql+pymysql", "postgresql": "postgresql+psycopg"}


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    database_url: str = "sqlite:///interview_bot.db"
    # How long start-up waits for an unreachable database before giving up with one line.
    database_wait_seconds: float = Field(default=30, ge=0, le=3600)
    calendar_backend: Literal["google", "local"] | None = None
    google_service_account_file: str | None = None
    google_organizer_email: str | None = None
    google_calendar_api_url: str = DEFAULT_GOOGLE_CALENDAR_API_URL
    timezone: str = "Europe/Paris"
    # ISO 3166 code of the country whose public holidays are not working days; blank: none.
    holiday_country: str | None = "FR"
    digest_time: time = time(9, 0)
    digest_recipient: str | None = None
    admin_slack_ids: Annotated[list[str], NoDecode] = Field(default_factory=list)
    port: int = Field(default=3000, ge=1, le=65535)
    log_format: LogFormat = "text"
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    # Candidates with no activity for this long are erased (the CNIL's guidance: two years).
    retention_months: int = Field(default=24, ge=1, le=1200)
    # Fernet keys, comma-separated: the first encrypts feedback text, all decrypt (rotation).
    field_encryption_key: SecretStr | None = None
    # Signs the candidates' scheduling links; unset: derived from SLACK_SIGNING_SECRET.
    link_secret: SecretStr | None = None
    # The public HTTPS address of the `web` process, for candidates' links; unset: no links.
    public_url: str | None = None
    # Candidate emails: smtp://user:pass@host:587 (STARTTLS) or smtps://…; unset: none sent.
    smtp_url: SecretStr | None = None
    mail_from: str | None = None

    @field_validator("database_url")
    @classmethod
    def _usable_database_url(cls, value: str) -> str:
        problem = database_url_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("holiday_country")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        code = (value or "").strip().upper()
        if not code:
            return None
        if code not in holidays.list_supported_countries():
            raise ValueError(f"unknown country code {value!r} (an ISO 3166 code, e.g. FR)")
        return code

    @field_validator("admin_slack_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("metrics_port", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("field_encryption_key")
    @classmethod
    def _fernet_keys(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        for key in _split_keys(value.get_secret_value()):
            try:
                Fernet(key)
            except ValueError as exc:
                raise ValueError(
                    "each key must be 32 url-safe base64-encoded bytes (Fernet.generate_key())"
                ) from exc
        return value

    @field_validator("slack_api_url", "google_calendar_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @field_validator("public_url")
    @classmethod
    def _no_trailing_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value and value.strip() else None

    @property
    def link_key(self) -> bytes | None:
        """The key that signs candidates' links: LINK_SECRET, or when it is unset a key derived
        from SLACK_SIGNING_SECRET with a fixed salt (so links work without new configuration,
        and the signing secret itself never signs anything but Slack's requests). None when
        neither is set: no links can be made."""
        if self.link_secret is not None and self.link_secret.get_secret_value().strip():
            return self.link_secret.get_secret_value().strip().encode()
        if self.slack_signing_secret is None or not self.slack_signing_secret.get_secret_value():
            return None
        signing = self.slack_signing_secret.get_secret_value().encode()
        return hmac.new(signing, LINK_KEY_SALT, hashlib.sha256).hexdigest().encode()

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def field_encryption_keys(self) -> list[str]:
        """The feedback text keys, newest first; empty: feedback text is stored as typed."""
        if self.field_encryption_key is None:
            return []
        return _split_keys(self.field_encryption_key.get_secret_value())

    @property
    def calendar(self) -> Literal["google", "local"]:
        if self.calendar_backend is not None:
            return self.calendar_backend
        return "google" if self.google_service_account_file else "local"

    def require_serving(self) -> None:
        """Refuse to serve Slack without credentials, naming the first missing variable."""
        for name in ("slack_bot_token", "slack_signing_secret"):
            secret = getattr(self, name)
            if secret is None or not secret.get_secret_value().strip():
                raise ConfigError(
                    f"{name.upper()} is required to serve Slack requests; set it "
                    "in the environment or in .env"
                )
        if self.calendar == "google":
            for name in ("google_service_account_file", "google_organizer_email"):
                if not getattr(self, name):
                    raise ConfigError(f"{name.upper()} is required when CALENDAR_BACKEND is google")


def database_url_problem(url: str) -> str | None:
    """What is wrong with a database URL, in words that never quote it (it may hold a password);
    None when SQLAlchemy can open it with an installed driver."""
    try:
        parsed = make_url(url.strip())
    except (ArgumentError, NoSuchModuleError, ValueError):
        return f"not a database URL; use {URL_FORMS}"
    backend, _, _driver = parsed.drivername.partition("+")
    if backend == "postgres":
        return "'postgres://' is not a SQLAlchemy URL; write postgresql+psycopg:// instead"
    if backend == "sqlite":
        return None
    if backend not in DRIVERS:
        return f"unsupported database {backend!r}; use {URL_FORMS}"
    if not _driver_installed(parsed.drivername):
        return f"no driver for {parsed.drivername}://; write {DRIVERS[backend]}:// instead"
    if not parsed.database:
        return "the URL names no database; add /name at its end"
    return None


def _driver_installed(drivername: str) -> bool:
    try:
        make_url(f"{drivername}://").get_dialect().import_dbapi()
    except (ImportError, NoSuchModuleError):
        return False
    return True


def _split_keys(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning pydantic's report into one line per bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(f"{str(err['loc'][0]).upper()}: {err['msg']}" for err in exc.errors())
        raise ConfigError(f"invalid configuration: {problems}") from exc
