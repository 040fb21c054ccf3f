"""partner search at académie scale: one-letter prefix index in the full-text index, the list's name order indexed

Revision ID: 0011
Revises: 0010
"""
from alembic import op

from poledesk.data.partners import fulltext as fulltext

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The index is rebuilt through search_fold, as migration 0008 built it; only its prefix indexes change.
    connection = op.get_bind()
    for statement in fulltext.DROP + fulltext.CREATE + fulltext.REBUILD:
        connection.exec_driver_sql(statement)
    op.create_index("ix_partner_live_order", "partner", ["deleted_at", "search_key", "id"])


def downgrade() -> None:
    # The index with one more prefix answers every query the older one did: going down keeps it.
    op.drop_index("ix_partner_live_order", "partner")
