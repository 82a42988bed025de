"""`alembic upgrade head` produces exactly the models' schema on every database, keeping data."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    DateTime,
    Integer,
    String,
    Time,
    column,
    insert,
    inspect,
    select,
    table,
)
from sqlalchemy.sql.expression import TableClause
from sqlalchemy.types import TypeEngine

from bot.app.startup import PROJECT_ROOT
from models import Base
from models.base import UTCDateTime
from models.database import make_engine
from models.hiring import Feedback, Interview
from models.outbox import OutboxMessage, OutboxStatus


def test_upgraded_schema_matches_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
            tables = set(inspect(connection).get_table_names())
    finally:
        engine.dispose()
    assert differences == []
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def _table(name: str, *columns: tuple[str, TypeEngine[Any]]) -> TableClause:
    """The table as the 0004 schema has it (the models describe the current one)."""
    return table(name, *(column(column_name, type_) for column_name, type_ in columns))


NAIVE_NOW = datetime(2026, 11, 24, 8, 0)
_WORKDAY = {"work_start": time(9), "work_end": time(18), "is_active": True}
PEOPLE = _table(
    "people",
    ("id", Integer()),
    ("slack_id", String()),
    ("name", String()),
    ("timezone", String()),
    ("work_start", Time()),
    ("work_end", Time()),
    ("is_active", Boolean()),
)
ROLES = _table(
    "roles",
    ("id", Integer()),
    ("key", String()),
    ("title", String()),
    ("location", String()),
    ("is_open", Boolean()),
)
STAGES = _table(
    "stages",
    ("id", Integer()),
    ("role_id", Integer()),
    ("position", Integer()),
    ("key", String()),
    ("name", String()),
    ("format", String()),
    ("gap_minutes", Integer()),
)
CANDIDATES = _table(
    "candidates",
    ("id", Integer()),
    ("role_id", Integer()),
    ("name", String()),
    ("email", String()),
    ("status", String()),
    ("stage_entered_at", DateTime()),
    ("created_at", DateTime()),
)
INTERVIEWS = _table(
    "interviews",
    ("id", Integer()),
    ("uid", String()),
    ("candidate_id", Integer()),
    ("stage_id", Integer()),
    ("status", String()),
    ("starts_at", DateTime()),
    ("ends_at", DateTime()),
    ("decision", String()),
    ("created_at", DateTime()),
    ("updated_at", DateTime()),
)
FEEDBACK = _table(
    "feedback",
    ("id", Integer()),
    ("interview_id", Integer()),
    ("interviewer_id", Integer()),
    ("version", Integer()),
    ("is_current", Boolean()),
    ("recommendation", String()),
    ("summary", String()),
    ("submitted_at", DateTime()),
)
DECISION_MESSAGES = _table(
    "decision_messages",
    ("id", Integer()),
    ("interview_id", Integer()),
    ("recipient_slack_id", String()),
    ("slack_channel", String()),
    ("slack_ts", String()),
    ("posted_at", UTCDateTime()),
)
AUDIT_LOG = _table(
    "audit_log",
    ("at", DateTime()),
    ("actor_id", Integer()),
    ("action", String()),
    ("subject_type", String()),
    ("subject_id", Integer()),
    ("detail", JSON()),
)


def _alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["database_url"] = database_url
    config.attributes["configure_logger"] = False
    return config


def _rows_written_before_0005(connection: Connection) -> None:
    """Two decision messages, a hold then a rejection, two versions of one scorecard."""
    connection.execute(
        insert(PEOPLE),
        [
            {"id": 1, "slack_id": "U_HM", "name": "", "timezone": "Europe/Paris", **_WORKDAY},
            {"id": 2, "slack_id": "U_HR", "name": "", "timezone": "Europe/Paris", **_WORKDAY},
            {"id": 3, "slack_id": "U_ENG", "name": "", "timezone": "Europe/Paris", **_WORKDAY},
        ],
    )
    connection.execute(
        insert(ROLES).values(id=1, key="backend", title="Backend", location="", is_open=True)
    )
    connection.execute(
        insert(STAGES).values(
            id=1, role_id=1, position=1, key="test", name="Test", format="video", gap_minutes=0
        )
    )
    connection.execute(
        insert(CANDIDATES).values(
            id=1,
            role_id=1,
            name="Ada",
            email="ada@example.com",
            status="rejected",
            stage_entered_at=NAIVE_NOW,
            created_at=NAIVE_NOW,
        )
    )
    connection.execute(
        insert(INTERVIEWS).values(
            id=1,
            uid="i1",
            candidate_id=1,
            stage_id=1,
            status="completed",
            starts_at=NAIVE_NOW,
            ends_at=NAIVE_NOW,
            decision="reject",
            created_at=NAIVE_NOW,
            updated_at=NAIVE_NOW,
        )
    )
    connection.execute(
        insert(FEEDBACK),
        [
            {
                "id": version,
                "interview_id": 1,
                "interviewer_id": 3,
                "version": version,
                "is_current": version == 2,
                "recommendation": "yes",
                "summary": "",
                "submitted_at": NAIVE_NOW,
            }
            for version in (1, 2)
        ],
    )
    messages = [
        {"recipient": "U_HR", "channel": "D_HR", "ts": "1.1"},
        {"recipient": "U_HM", "channel": "D_HM", "ts": "1.2"},
    ]
    entries = [
        (None, "decision.requested", "interview", {"messages": messages}),
        (1, "decision.made", "interview", {"decision": "hold", "by": "U_HM"}),
        (2, "decision.made", "interview", {"decision": "reject", "by": "U_HR"}),
        (3, "feedback.submitted", "feedback", {"version": 1, "view_id": "V_FIRST"}),
        (3, "feedback.amended", "feedback", {"version": 2, "view_id": "V_SECOND"}),
    ]
    subjects = {"interview": 1, "feedback": 1}
    for actor_id, action, subject_type, detail in entries:
        subject_id = 2 if action == "feedback.amended" else subjects[subject_type]
        connection.execute(
            insert(AUDIT_LOG).values(
                at=NAIVE_NOW,
                actor_id=actor_id,
                action=action,
                subject_type=subject_type,
                subject_id=subject_id,
                detail=detail,
            )
        )


def test_0005_moves_what_was_read_back_from_the_audit_log_into_its_own_storage(
    database_url: str,
) -> None:
    config = _alembic_config(database_url)
    command.downgrade(config, "0004")
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            _rows_written_before_0005(connection)
        command.upgrade(config, "0005")
        with engine.connect() as connection:
            messages = connection.execute(
                select(
                    DECISION_MESSAGES.c.recipient_slack_id,
                    DECISION_MESSAGES.c.slack_channel,
                    DECISION_MESSAGES.c.slack_ts,
                    DECISION_MESSAGES.c.posted_at,
                ).order_by(DECISION_MESSAGES.c.id)
            ).all()
            decided_by = connection.scalar(select(Interview.decided_by_id))
            views = connection.execute(select(Feedback.version, Feedback.view_id)).all()
    finally:
        command.upgrade(config, "head")
        engine.dispose()
    when = NAIVE_NOW.replace(tzinfo=UTC)
    assert [tuple(row) for row in messages] == [
        ("U_HR", "D_HR", "1.1", when),
        ("U_HM", "D_HM", "1.2", when),
    ]
    assert decided_by == 2  # the last decision (the rejection) was U_HR's
    assert sorted(tuple(row) for row in views) == [(1, "V_FIRST"), (2, "V_SECOND")]


def _rows_written_before_0007(connection: Connection) -> None:
    """A booking confirmation, a feedback request DM, a decision card and a digest, all posted
    before the outbox, with their references in the columns 0007 drops."""
    connection.execute(
        table("interviews", column("id"), column("confirmation_channel"), column("confirmation_ts"))
        .update()
        .values(confirmation_channel="D_HR", confirmation_ts="2.1")
    )
    connection.execute(
        insert(
            table(
                "feedback_requests",
                *(
                    column(name)
                    for name in (
                        "id",
                        "interview_id",
                        "interviewer_id",
                        "due_at",
                        "sent_at",
                        "slack_channel",
                        "slack_ts",
                        "reminder_count",
                    )
                ),
            )
        ).values(
            id=7,
            interview_id=1,
            interviewer_id=1,
            due_at=NAIVE_NOW,
            sent_at=NAIVE_NOW,
            slack_channel="D_ENG",
            slack_ts="2.2",
            reminder_count=0,
        )
    )
    connection.execute(
        insert(
            table(
                "digest_deliveries",
                *(
                    column(name)
                    for name in (
                        "digest_date",
                        "recipient",
                        "claimed_at",
                        "sent_at",
                        "slack_channel",
                        "slack_ts",
                    )
                ),
            )
        ).values(
            digest_date=NAIVE_NOW.date(),
            recipient="U_HEAD",
            claimed_at=NAIVE_NOW,
            sent_at=NAIVE_NOW,
            slack_channel="D_HEAD",
            slack_ts="2.3",
        )
    )


def test_0007_moves_every_message_reference_into_the_outbox(database_url: str) -> None:
    config = _alembic_config(database_url)
    command.downgrade(config, "0004")
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            _rows_written_before_0005(connection)
        command.upgrade(config, "0006")
        with engine.begin() as connection:
            _rows_written_before_0007(connection)
        command.upgrade(config, "head")
        with engine.connect() as connection:
            sent = connection.execute(
                select(
                    OutboxMessage.key,
                    OutboxMessage.status,
                    OutboxMessage.slack_channel,
                    OutboxMessage.slack_ts,
                ).order_by(OutboxMessage.key)
            ).all()
            columns = {
                name: {c["name"] for c in inspect(connection).get_columns(name)}
                for name in ("interviews", "feedback_requests", "digest_deliveries")
            }
            tables = set(inspect(connection).get_table_names())
    finally:
        command.upgrade(config, "head")
        engine.dispose()
    assert [tuple(row) for row in sent] == [
        ("confirmation:1", OutboxStatus.SENT, "D_HR", "2.1"),
        ("decision-card:1:U_HM", OutboxStatus.SENT, "D_HM", "1.2"),
        ("decision-card:1:U_HR", OutboxStatus.SENT, "D_HR", "1.1"),
        ("digest:2026-11-24", OutboxStatus.SENT, "D_HEAD", "2.3"),
        ("feedback-request:7", OutboxStatus.SENT, "D_ENG", "2.2"),
    ]
    assert "decision_messages" not in tables
    assert not columns["interviews"] & {"confirmation_channel", "confirmation_ts"}
    assert not columns["feedback_requests"] & {"slack_channel", "slack_ts"}
    assert not columns["digest_deliveries"] & {"slack_channel", "slack_ts"}
