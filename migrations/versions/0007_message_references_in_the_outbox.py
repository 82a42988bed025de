"""message references in the outbox: one place for where every message went

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 14:40:00

Where a message was posted was kept in four places (interviews.confirmation_channel/ts,
feedback_requests.slack_channel/ts, digest_deliveries.slack_channel/ts, decision_messages); the
outbox holds it now. Messages sent before the outbox become sent outbox rows under the keys the
features use, so they are still updated in place and threaded under; then the old columns go.
The downgrade brings the columns back empty (the references stay in the outbox).
"""

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DROPPED = {
    'interviews': ('confirmation_channel', 'confirmation_ts'),
    'feedback_requests': ('slack_channel', 'slack_ts'),
    'digest_deliveries': ('slack_channel', 'slack_ts'),
}
outbox = sa.table(
    'outbox_messages',
    *(
        sa.column(name, type_)
        for name, type_ in (
            ('key', sa.String()), ('kind', sa.String()), ('action', sa.String()),
            ('recipient', sa.String()), ('target_key', sa.String()), ('payload', sa.JSON()),
            ('summary', sa.String()), ('notify_slack_id', sa.String()), ('status', sa.String()),
            ('attempts', sa.Integer()), ('verify_first', sa.Boolean()),
            ('next_attempt_at', sa.DateTime()), ('created_at', sa.DateTime()),
            ('sent_at', sa.DateTime()), ('slack_channel', sa.String()), ('slack_ts', sa.String()),
        )
    ),
)


def _sent(key: str, kind: str, channel: str, ts: str, at: datetime | None) -> dict[str, Any]:
    when = at or datetime.now(UTC).replace(tzinfo=None)
    return {
        'key': key, 'kind': kind, 'action': 'post', 'recipient': channel, 'target_key': None,
        'payload': {}, 'summary': f'{kind} (sent before the outbox)', 'notify_slack_id': None,
        'status': 'sent', 'attempts': 1, 'verify_first': False, 'next_attempt_at': when,
        'created_at': when, 'sent_at': when, 'slack_channel': channel, 'slack_ts': ts,
    }


def _references(bind: sa.Connection) -> Iterable[dict[str, Any]]:
    for id_, channel, ts, at in bind.execute(sa.text(
        'SELECT id, confirmation_channel, confirmation_ts, updated_at FROM interviews '
        'WHERE confirmation_ts IS NOT NULL'
    ).columns(updated_at=sa.DateTime())):
        yield _sent(f'confirmation:{id_}', 'confirmation', channel, ts, at)
    for id_, channel, ts, at in bind.execute(sa.text(
        'SELECT id, slack_channel, slack_ts, sent_at FROM feedback_requests '
        'WHERE slack_ts IS NOT NULL'
    ).columns(sent_at=sa.DateTime())):
        yield _sent(f'feedback-request:{id_}', 'feedback_request', channel, ts, at)
    for interview_id, recipient, channel, ts, at in bind.execute(sa.text(
        'SELECT interview_id, recipient_slack_id, slack_channel, slack_ts, posted_at '
        'FROM decision_messages'
    ).columns(posted_at=sa.DateTime())):
        yield _sent(f'decision-card:{interview_id}:{recipient}', 'decision_card', channel, ts, at)
    for day, channel, ts, at in bind.execute(sa.text(
        'SELECT digest_date, slack_channel, slack_ts, sent_at FROM digest_deliveries '
        'WHERE slack_ts IS NOT NULL'
    ).columns(digest_date=sa.Date(), sent_at=sa.DateTime())):
        yield _sent(f'digest:{day.isoformat()}', 'digest', channel, ts, at)


def _drop_column(table: str, name: str) -> None:
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite 3.35+ drops a column in place; a batch rebuild would cascade to child rows.
        op.execute(f'ALTER TABLE {table} DROP COLUMN {name}')
    else:
        op.drop_column(table, name)


def upgrade() -> None:
    bind = op.get_bind()
    known = set(bind.execute(sa.select(outbox.c.key)).scalars())
    rows = [row for row in _references(bind) if row['key'] not in known]
    if rows:
        op.bulk_insert(outbox, rows)
    for table, columns in DROPPED.items():
        for name in columns:
            _drop_column(table, name)
    op.drop_table('decision_messages')


def downgrade() -> None:
    op.create_table(
        'decision_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('interview_id', sa.Integer(), nullable=False),
        sa.Column('recipient_slack_id', sa.String(length=32), nullable=False),
        sa.Column('slack_channel', sa.String(length=32), nullable=False),
        sa.Column('slack_ts', sa.String(length=32), nullable=False),
        sa.Column('posted_at', models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'],
                                name=op.f('fk_decision_messages_interview_id_interviews'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_messages')),
        sa.UniqueConstraint('interview_id', 'recipient_slack_id',
                            name=op.f('uq_decision_messages_interview_id_recipient_slack_id')),
    )
    for table, columns in DROPPED.items():
        for name in columns:
            op.add_column(table, sa.Column(name, sa.String(length=32), nullable=True))
