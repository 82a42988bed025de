"""the directory's version: one row moved by every write to people, roles, pools and pipelines

`directory_versions` (id 1): each process keeps the team and the pipelines in memory and reads
this row to know whether they changed since (models/directory.py).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 19:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    versions = op.create_table(
        'directory_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_versions')),
    )
    op.bulk_insert(versions, [{'id': 1, 'version': 1}])


def downgrade() -> None:
    op.drop_table('directory_versions')
