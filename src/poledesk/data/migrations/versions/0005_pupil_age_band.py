"""the age band a pupil had at the start of the first period, kept when the pupil's identity is purged

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.add_column(sa.Column("age_band", sa.String(length=10), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.drop_column("age_band")
