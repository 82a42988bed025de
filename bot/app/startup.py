"""Start-up: wait for the database, migrate it, load the pipelines, enrol the first admins."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text
from tenacity import before_sleep_log, retry, stop_after_delay, wait_exponential

from bot.container import Container
from models.pipelines import read_pipeline_file

log = logging.getLogger(__name__)
PROJECT_ROOT = Path(__file__).resolve().parents[2]
PIPELINES_DIR = PROJECT_ROOT / "bot" / "pipelines"


@retry(
    stop=stop_after_delay(60),
    wait=wait_exponential(multiplier=0.5, max=5),
    before_sleep=before_sleep_log(log, logging.WARNING),
    reraise=True,
)
def wait_for_database(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def migrate(database_url: str) -> None:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["database_url"] = database_url
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")


def load_pipelines(container: Container, folder: Path = PIPELINES_DIR) -> list[str]:
    """Load every pipeline file; returns the role keys loaded."""
    loaded = []
    with container.unit_of_work() as uow:
        for path in sorted(folder.glob("*.toml")):
            role = uow.candidates.upsert_pipeline(read_pipeline_file(path))
            loaded.append(role.key)
        uow.commit()
    return loaded


def prepare(container: Container) -> None:
    wait_for_database(container.engine)
    migrate(container.settings.database_url)
    roles = load_pipelines(container)
    container.team.enrol_admins()
    log.info("database ready; pipelines loaded: %s", ", ".join(roles))
