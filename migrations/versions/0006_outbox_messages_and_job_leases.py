"""outbox messages and job leases

Every message the bot sends on its own goes through `outbox_messages` (enqueued in the
transaction that causes it, delivered once by a dispatcher); `job_leases` lets one of several
workers hold a singleton job such as the calendar sync.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 14:02:02.207442
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('job_leases',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('holder', sa.String(length=64), nullable=True),
    sa.Column('leased_until', models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_job_leases'))
    )
    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=191), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('action', sa.Enum('post', 'update', 'upload', name='outboxaction', native_enum=False, length=32), nullable=False),
    sa.Column('recipient', sa.String(length=64), nullable=True),
    sa.Column('target_key', sa.String(length=191), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('notify_slack_id', sa.String(length=32), nullable=True),
    sa.Column('status', sa.Enum('pending', 'sending', 'sent', 'failed', name='outboxstatus', native_enum=False, length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('verify_first', sa.Boolean(), nullable=False),
    sa.Column('next_attempt_at', models.base.UTCDateTime(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(), nullable=False),
    sa.Column('sent_at', models.base.UTCDateTime(), nullable=True),
    sa.Column('slack_channel', sa.String(length=64), nullable=True),
    sa.Column('slack_ts', sa.String(length=32), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('key', name=op.f('uq_outbox_messages_key'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_messages_due', ['status', 'next_attempt_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_due')

    op.drop_table('outbox_messages')
    op.drop_table('job_leases')
