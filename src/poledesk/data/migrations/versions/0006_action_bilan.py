"""the programme d'actions: an action's dates, its target, and its end-of-year bilan

Revision ID: 0006
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("starts_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("ends_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("target", sa.String(length=100), nullable=False, server_default=""))
        batch_op.add_column(sa.Column(
            "review", sa.Enum("done", "partly", "not_done", name="actionreview", native_enum=False, length=32,
                              create_constraint=True), nullable=True))
        batch_op.add_column(sa.Column("review_result", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("measured_value", sa.String(length=100), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("action", schema=None) as batch_op:
        for column in ("measured_value", "review_result", "review", "target", "ends_on", "starts_on"):
            batch_op.drop_column(column)
