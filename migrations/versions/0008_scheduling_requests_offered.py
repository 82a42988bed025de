"""scheduling requests remember the times offered

`scheduling_requests.offered` holds the options last proposed for a request (each session's
start): a booking must be one of them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('scheduling_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offered', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('scheduling_requests', schema=None) as batch_op:
        batch_op.drop_column('offered')
