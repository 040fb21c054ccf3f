"""partner search folds as users type: the index rebuilt through search_fold (œ → oe, St → saint…)

Revision ID: 0008
Revises: 0007
"""
from alembic import op

from poledesk.data.partners import fulltext as fulltext

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    for statement in fulltext.DROP + fulltext.CREATE + fulltext.REBUILD:
        connection.exec_driver_sql(statement)


def downgrade() -> None:
    # The folded index answers every query the plain one did: going down keeps it (no older SQL to restore).
    pass
