"""covering indexes for the partner list; the family-business flag of a placement (L4153-5)

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_contact_partner_live", "contact", ["partner_id", "deleted_at"])
    op.create_index("ix_hosting_offer_partner_live", "hosting_offer", ["partner_id", "deleted_at", "places"])
    op.create_index("ix_visit_partner_live", "visit", ["partner_id", "deleted_at", "visited_on"])
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("family_business", sa.Boolean(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.drop_column("family_business")
    op.drop_index("ix_visit_partner_live", "visit")
    op.drop_index("ix_hosting_offer_partner_live", "hosting_offer")
    op.drop_index("ix_contact_partner_live", "contact")
