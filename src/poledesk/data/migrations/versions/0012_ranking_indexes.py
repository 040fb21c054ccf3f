"""candidate ranking at académie scale: a live offer's audience indexed with its partner

The partners that could host an escalation are read from this index, without scanning every offer.

Revision ID: 0012
Revises: 0011
"""
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_hosting_offer_audience", "hosting_offer", ["audience", "deleted_at", "places", "partner_id"])


def downgrade() -> None:
    op.drop_index("ix_hosting_offer_audience", "hosting_offer")
