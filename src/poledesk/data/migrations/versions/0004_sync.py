"""sync bookkeeping: trusted peers, bundles sent and applied, conflicts, what forwarded records arrived when

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'peer',
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('academie', sa.String(length=100), nullable=False),
        sa.Column('signing_key', sa.String(length=64), nullable=False),
        sa.Column('age_recipient', sa.String(length=100), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('card_created_at', sa.DateTime(), nullable=True),
        sa.Column('pinned_at', sa.DateTime(), nullable=False),
        sa.Column('verified_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_after_sequence', sa.Integer(), nullable=True),
        sa.Column('last_sequence_received', sa.Integer(), nullable=False),
        sa.Column('acknowledged_by_peer', sa.Integer(), nullable=False),
        sa.Column('last_sequence_sent', sa.Integer(), nullable=False),
        sa.Column('last_received_at', sa.DateTime(), nullable=True),
        sa.Column('last_sent_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('code', name=op.f('pk_peer')),
    )
    op.create_table(
        'sent_bundle',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('peer_code', sa.String(length=40), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('bundle_id', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('watermark', sa.String(length=64), nullable=False),
        sa.Column('records', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['peer_code'], ['peer.code'], name=op.f('fk_sent_bundle_peer_code_peer')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_bundle')),
        sa.UniqueConstraint('bundle_id', name=op.f('uq_sent_bundle_bundle_id')),
        sa.UniqueConstraint('peer_code', 'sequence', name=op.f('uq_sent_bundle_peer_code_sequence')),
    )
    op.create_index(op.f('ix_sent_bundle_peer_code'), 'sent_bundle', ['peer_code'])
    op.create_table(
        'applied_bundle',
        sa.Column('bundle_id', sa.String(length=36), nullable=False),
        sa.Column('sender', sa.String(length=40), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('records', sa.Integer(), nullable=False),
        sa.Column('in_step', sa.Boolean(), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('file_name', sa.String(length=300), nullable=False),
        sa.Column('applied_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('bundle_id', name=op.f('pk_applied_bundle')),
    )
    op.create_index(op.f('ix_applied_bundle_sender'), 'applied_bundle', ['sender'])
    op.create_table(
        'sync_conflict',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('table_name', sa.String(length=40), nullable=False),
        sa.Column('uid', sa.String(length=36), nullable=False),
        sa.Column('owner', sa.String(length=40), nullable=False),
        sa.Column('kept_hlc', sa.String(length=64), nullable=False),
        sa.Column('lost_hlc', sa.String(length=64), nullable=False),
        sa.Column('lost_version', sa.Text(), nullable=False),
        sa.Column('bundle_id', sa.String(length=36), nullable=False),
        sa.Column('sender', sa.String(length=40), nullable=False),
        sa.Column('detected_at', sa.DateTime(), nullable=False),
        sa.Column('resolved_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflict')),
    )
    op.create_index(op.f('ix_sync_conflict_uid'), 'sync_conflict', ['uid'])
    op.create_table(
        'received_stamp',
        sa.Column('uid', sa.String(length=36), nullable=False),
        sa.Column('table_name', sa.String(length=40), nullable=False),
        sa.Column('stamp', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('uid', name=op.f('pk_received_stamp')),
    )
    op.create_index(op.f('ix_received_stamp_stamp'), 'received_stamp', ['stamp'])
    op.create_table(
        'received_pupil',
        sa.Column('uid', sa.String(length=36), nullable=False),
        sa.Column('is_minor', sa.Boolean(), nullable=True),
        sa.PrimaryKeyConstraint('uid', name=op.f('pk_received_pupil')),
    )


def downgrade() -> None:
    for table in ('received_pupil', 'received_stamp', 'sync_conflict', 'applied_bundle', 'sent_bundle', 'peer'):
        op.drop_table(table)
