"""Feedback text encrypted at rest with FIELD_ENCRYPTION_KEY, read back, and rotated."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from bot.container import Container
from bot.settings import ConfigError
from models.base import use_field_keys
from tests.clock import FixedClock
from tests.conftest import make_settings, prepared_container
from tests.e2e.feedback_world import hiring_world, submit_directly
from tests.fakes.slack_api import FakeSlackAPI

OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()
STORED = "Stored directly."


@pytest.fixture(autouse=True)
def _plain_text_afterwards() -> Iterator[None]:
    yield
    use_field_keys([])


def _container(
    database_url: str, fake: FakeSlackAPI, clock: FixedClock, key: str | None
) -> AbstractContextManager[Container]:
    settings = make_settings(database_url, fake.url, field_encryption_key=key)
    return prepared_container(settings, clock)


def _raw_summaries(container: Container) -> list[str]:
    with container.engine.connect() as connection:
        return list(connection.execute(text("SELECT summary FROM feedback")).scalars())


def _read_summaries(container: Container) -> list[str]:
    with container.unit_of_work() as uow:
        candidates = [row.id for row in uow.privacy.candidates_by_email("ada@example.com")]
        ids = [i.id for c in candidates for i in uow.privacy.interviews_of(c)]
        return [f.summary for f in uow.privacy.feedback_on(ids)]


def _reviewed(container: Container) -> None:
    world = hiring_world(container)
    submit_directly(container, "U_ENG1", world.interview_id)


def test_feedback_text_is_ciphertext_in_the_row_and_plain_when_read(
    database_url: str, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    clock.at = clock.at.replace(hour=12)
    with _container(database_url, fake_slack, clock, OLD_KEY) as container:
        _reviewed(container)
        [raw] = _raw_summaries(container)
        assert raw != STORED and raw.startswith("gAAAAA")
        assert Fernet(OLD_KEY.encode()).decrypt(raw.encode()).decode() == STORED
        assert _read_summaries(container) == [STORED]


def test_rotation_reencrypts_with_the_first_key_and_plain_rows_too(
    database_url: str, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    clock.at = clock.at.replace(hour=12)
    with _container(database_url, fake_slack, clock, None) as container:
        _reviewed(container)
        assert _raw_summaries(container) == [STORED]  # without a key nothing changes
    with _container(database_url, fake_slack, clock, OLD_KEY) as container:
        assert _read_summaries(container) == [STORED]  # written before the key: read as is
        assert container.privacy.rotate_keys() >= 1
        [raw] = _raw_summaries(container)
        assert Fernet(OLD_KEY.encode()).decrypt(raw.encode()).decode() == STORED
    with _container(database_url, fake_slack, clock, f"{NEW_KEY},{OLD_KEY}") as container:
        assert _read_summaries(container) == [STORED]
        container.privacy.rotate_keys()
        [raw] = _raw_summaries(container)
        assert Fernet(NEW_KEY.encode()).decrypt(raw.encode()).decode() == STORED
    with _container(database_url, fake_slack, clock, NEW_KEY) as container:
        assert _read_summaries(container) == [STORED]  # the old key can go


def test_a_malformed_key_is_refused_by_name() -> None:
    with pytest.raises(ConfigError, match="FIELD_ENCRYPTION_KEY"):
        make_settings("sqlite://", "http://x", field_encryption_key="not-a-key")
