"""scheduling policies per stage, a daily cap and holidays per interviewer

`stages` gain the scheduling policy the pipeline file sets (buffer, minimum notice, start grid,
daily and weekly caps, default search window); `people` gain a daily interview cap and the
country whose public holidays are their days off.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('stages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('buffer_minutes', sa.Integer(), server_default='10', nullable=False))
        batch_op.add_column(sa.Column('notice_hours', sa.Integer(), server_default='24', nullable=False))
        batch_op.add_column(sa.Column('grid_minutes', sa.Integer(), server_default='15', nullable=False))
        batch_op.add_column(sa.Column('daily_cap', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('weekly_cap', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('window_days', sa.Integer(), server_default='10', nullable=False))
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('daily_interview_cap', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('holiday_country', sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('holiday_country')
        batch_op.drop_column('daily_interview_cap')
    with op.batch_alter_table('stages', schema=None) as batch_op:
        batch_op.drop_column('window_days')
        batch_op.drop_column('weekly_cap')
        batch_op.drop_column('daily_cap')
        batch_op.drop_column('grid_minutes')
        batch_op.drop_column('notice_hours')
        batch_op.drop_column('buffer_minutes')
