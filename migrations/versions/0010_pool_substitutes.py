"""scheduling requests may let pool members stand in for each other

`scheduling_requests.pool_substitutes`: the recruiter let the bot propose, per time, other free
members of the stage's pools than the ones picked (the panel of each option is kept in `offered`).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('scheduling_requests', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('pool_substitutes', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('scheduling_requests', schema=None) as batch_op:
        batch_op.drop_column('pool_substitutes')
