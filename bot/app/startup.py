"""Start-up: migrate the database, load the pipelines, enrol the first admins; and whether a
database's schema is at the code's head (for /healthz and `interview-bot check`).

The migrations and pipelines are found next to the installed packages (`migrations/` is a
top-level package beside `bot/`, in the repository and in the wheel alike), so this works from
any directory; alembic.ini is only for the `alembic` command in the repository.
"""

from __future__ import annotations

import logging
import weakref
from functools import cache
from pathlib import Path
from typing import Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.container import Container
from models.database import database_is_up
from models.pipelines import read_pipeline_file

log = logging.getLogger(__name__)
PROJECT_ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
PIPELINES_DIR = PROJECT_ROOT / "bot" / "pipelines"

# Engines seen at head: a schema does not go back, so /healthz asks the database only until then.
_AT_HEAD: weakref.WeakSet[Engine] = weakref.WeakSet()


def alembic_config(database_url: str | None = None) -> Config:
    """Alembic's configuration built in code, pointing at the installed migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    config.attributes["database_url"] = database_url
    config.attributes["configure_logger"] = False
    return config


def migrate(database_url: str) -> None:
    command.upgrade(alembic_config(database_url), "head")


@cache
def head_revisions() -> frozenset[str]:
    """The code's head revision(s), read once from the migration scripts (about 0.1 s)."""
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(engine: Engine) -> frozenset[str]:
    """The revision(s) the database is at; empty before the first migration."""
    with engine.connect() as connection:
        return frozenset(MigrationContext.configure(connection).get_current_heads())


def schema_at_head(engine: Engine) -> bool:
    """Whether the database's schema is at the code's head; raises when it cannot be asked."""
    if engine in _AT_HEAD:
        return True
    if current_revisions(engine) != head_revisions():
        return False
    _AT_HEAD.add(engine)
    return True


def database_health(engine: Engine) -> Literal["up", "down", "behind"]:
    """For /healthz: "up" (answering, schema at head), "down", or "behind" (migrations due)."""
    if not database_is_up(engine):
        return "down"
    try:
        return "up" if schema_at_head(engine) else "behind"
    except SQLAlchemyError:
        return "down"


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
    """Migrate, load the pipelines and enrol the admins (the database must answer)."""
    migrate(container.settings.database_url)
    roles = load_pipelines(container)
    container.team.enrol_admins()
    log.info("database ready; pipelines loaded: %s", ", ".join(roles))
