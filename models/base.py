"""Declarative base, naming convention, the UTC datetime column type and encrypted text."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import DateTime, Enum, MetaData, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC on every database and hands back aware UTC datetimes.

    MariaDB's DATETIME and SQLite keep no zone, so we normalise at the edge once.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


# Every Fernet token starts with these characters (version byte 0x80, then the timestamp).
FERNET_TOKEN_PREFIX = "gAAAAA"
_field_cipher: MultiFernet | None = None


class UnreadableText(Exception):
    """Text encrypted with a key that FIELD_ENCRYPTION_KEY no longer lists."""


def use_field_keys(keys: Sequence[str]) -> None:
    """Encrypt EncryptedText columns with the first key and decrypt with any (none: plain)."""
    global _field_cipher
    _field_cipher = MultiFernet([Fernet(key) for key in keys]) if keys else None


def field_encryption_on() -> bool:
    return _field_cipher is not None


class EncryptedText(TypeDecorator[str]):
    """Text encrypted at rest with Fernet once keys are configured (use_field_keys).

    Rows written before encryption was turned on are read as they are; rotate them with
    `python -m bot rotate-keys`. The ciphertext is about 1.4 times the text plus 100 characters,
    hence TEXT columns.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or _field_cipher is None:
            return value
        return _field_cipher.encrypt(value.encode("utf-8")).decode("ascii")

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None or _field_cipher is None or not value.startswith(FERNET_TOKEN_PREFIX):
            return None if value is None else str(value)
        try:
            return _field_cipher.decrypt(value.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeEncodeError) as exc:
            raise UnreadableText("encrypted with a key FIELD_ENCRYPTION_KEY does not list") from exc


def enum_column(enum_class: type[enum.Enum]) -> Enum:
    """A portable enum: a VARCHAR holding the member's value, no native ENUM type."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
