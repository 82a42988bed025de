"""indexes for the daily digest's queries

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 14:00:00.000000

The same indexes are declared on the models in models/hiring.py.
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ('ix_candidates_status_stage', 'candidates', ['status', 'current_stage_id', 'stage_entered_at']),
    ('ix_candidates_created_at', 'candidates', ['created_at']),
    ('ix_feedback_requests_completed_at', 'feedback_requests', ['completed_at']),
    ('ix_interview_events_interview_id', 'interview_events', ['interview_id']),
    ('ix_interview_events_starts_at', 'interview_events', ['starts_at']),
)
# MariaDB enforces a foreign key through an index on its column; it gives up its own index when
# ours can serve, and refuses to drop ours unless the key goes first.
FK_NEEDING_INDEX = {
    'ix_interview_events_interview_id': (
        'fk_interview_events_interview_id_interviews', 'interviews', 'interview_id', 'CASCADE'
    ),
}


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    on_mysql = op.get_bind().dialect.name in ('mysql', 'mariadb')
    for name, table, _columns in reversed(INDEXES):
        foreign_key = FK_NEEDING_INDEX.get(name) if on_mysql else None
        if foreign_key is None:
            op.drop_index(name, table_name=table)
            continue
        fk_name, referred, column, ondelete = foreign_key
        op.drop_constraint(fk_name, table, type_='foreignkey')
        op.drop_index(name, table_name=table)
        op.create_foreign_key(fk_name, table, referred, [column], ['id'], ondelete=ondelete)
