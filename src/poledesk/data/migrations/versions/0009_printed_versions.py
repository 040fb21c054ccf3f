"""printed conventions kept when their placement changes: the PDF of the superseded paper

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "printed_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("printed_on", sa.Date(), nullable=False),
        sa.Column("replaced_on", sa.Date(), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("reprinted_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["placement_id"], ["placement.id"],
                                name=op.f("fk_printed_version_placement_id_placement")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_printed_version")),
    )
    with op.batch_alter_table("printed_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_printed_version_placement_id"), ["placement_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("printed_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_printed_version_placement_id"))
    op.drop_table("printed_version")
