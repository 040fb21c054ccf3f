"""partner search: the sector in words, and an FTS5 index kept in step by triggers

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

from poledesk.data.naf import naf_label
from poledesk.data.partners import fulltext as fulltext

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sector', sa.String(length=300), nullable=False, server_default=""))
    connection = op.get_bind()
    codes = [row[0] for row in connection.exec_driver_sql("SELECT DISTINCT naf_code FROM partner WHERE naf_code != ''")]
    for code in codes:
        connection.exec_driver_sql("UPDATE partner SET sector = ? WHERE naf_code = ?", (naf_label(code) or "", code))
    for statement in fulltext.CREATE + fulltext.REBUILD:
        connection.exec_driver_sql(statement)


def downgrade() -> None:
    connection = op.get_bind()
    for statement in fulltext.DROP:
        connection.exec_driver_sql(statement)
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.drop_column('sector')
