"""decision messages, deciders and submitting views: what the audit log no longer steers

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 13:30:58.648845

Where each decision message was posted (`decision_messages`), who decided (`interviews.
decided_by_id`) and which Slack view submitted a scorecard version (`feedback.view_id`) were read
back from audit entries; they get storage of their own, filled here from those entries.
"""

import json
from collections.abc import Iterator, Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DECIDER_FK = 'fk_interviews_decided_by_id_people'

audit_log = sa.table(
    'audit_log',
    sa.column('id', sa.Integer()),
    sa.column('at', sa.DateTime()),
    sa.column('actor_id', sa.Integer()),
    sa.column('action', sa.String()),
    sa.column('subject_type', sa.String()),
    sa.column('subject_id', sa.Integer()),
    sa.column('detail', sa.JSON()),
)
interviews = sa.table('interviews', sa.column('id', sa.Integer()), sa.column('decided_by_id', sa.Integer()))
feedback = sa.table('feedback', sa.column('id', sa.Integer()), sa.column('view_id', sa.String()))
decision_messages = sa.table(
    'decision_messages',
    sa.column('interview_id', sa.Integer()),
    sa.column('recipient_slack_id', sa.String()),
    sa.column('slack_channel', sa.String()),
    sa.column('slack_ts', sa.String()),
    sa.column('posted_at', sa.DateTime()),
)


def upgrade() -> None:
    op.create_table('decision_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interview_id', sa.Integer(), nullable=False),
    sa.Column('recipient_slack_id', sa.String(length=32), nullable=False),
    sa.Column('slack_channel', sa.String(length=32), nullable=False),
    sa.Column('slack_ts', sa.String(length=32), nullable=False),
    sa.Column('posted_at', models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_decision_messages_interview_id_interviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_messages')),
    sa.UniqueConstraint('interview_id', 'recipient_slack_id', name=op.f('uq_decision_messages_interview_id_recipient_slack_id'))
    )
    op.add_column('feedback', sa.Column('view_id', sa.String(length=64), nullable=True))
    if op.get_bind().dialect.name == 'sqlite':
        # Batch mode would recreate `interviews`, and dropping the old table with foreign keys on
        # deletes (or refuses to delete) the rows that refer to it; SQLite can add a referencing
        # column in place.
        op.execute(
            f'ALTER TABLE interviews ADD COLUMN decided_by_id INTEGER '
            f'CONSTRAINT {DECIDER_FK} REFERENCES people (id)'
        )
    else:
        op.add_column('interviews', sa.Column('decided_by_id', sa.Integer(), nullable=True))
        op.create_foreign_key(DECIDER_FK, 'interviews', 'people', ['decided_by_id'], ['id'])
    _backfill()


def downgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(DECIDER_FK, 'interviews', type_='foreignkey')
    op.drop_column('interviews', 'decided_by_id')
    op.drop_column('feedback', 'view_id')
    op.drop_table('decision_messages')


def _backfill() -> None:
    bind = op.get_bind()
    interview_ids = set(bind.scalars(sa.select(interviews.c.id)))
    messages = {}
    for entry in _entries(bind, 'decision.requested'):
        if entry.subject_id not in interview_ids:
            continue
        for message in _detail(entry).get('messages') or []:
            key = (entry.subject_id, str(message['recipient']))
            messages.setdefault(key, {
                'interview_id': entry.subject_id,
                'recipient_slack_id': str(message['recipient']),
                'slack_channel': str(message['channel']),
                'slack_ts': str(message['ts']),
                'posted_at': entry.at,
            })
    if messages:
        op.bulk_insert(decision_messages, list(messages.values()))
    for entry in _entries(bind, 'decision.made'):  # oldest first: the last decider stays
        if entry.actor_id is not None and entry.subject_id in interview_ids:
            bind.execute(
                sa.update(interviews)
                .where(interviews.c.id == entry.subject_id)
                .values(decided_by_id=entry.actor_id)
            )
    for entry in _entries(bind, 'feedback.submitted', 'feedback.amended'):
        view_id = _detail(entry).get('view_id')
        if view_id:
            bind.execute(
                sa.update(feedback)
                .where(feedback.c.id == entry.subject_id)
                .values(view_id=str(view_id)[:64])
            )


def _entries(bind: sa.Connection, *actions: str) -> Iterator[sa.Row]:
    return iter(bind.execute(
        sa.select(audit_log)
        .where(audit_log.c.action.in_(actions), audit_log.c.subject_id.is_not(None))
        .order_by(audit_log.c.id)
    ).all())


def _detail(entry: sa.Row) -> dict:
    detail = entry.detail
    if isinstance(detail, str):
        detail = json.loads(detail)
    return detail if isinstance(detail, dict) else {}
