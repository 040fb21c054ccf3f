"""privacy: the age band kept when a pupil is purged; equity counts that travel instead of per-pupil health flags

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


AUDIENCES = ('observation_4e_3e', 'seconde_gt', 'pfmp_cap', 'pfmp_bacpro', 'sts', 'apprentissage')
STATUSES = ('received', 'searching', 'proposed', 'placed', 'closed_unsolved', 'withdrawn')


def upgrade() -> None:
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.add_column(sa.Column("age_band", sa.String(length=10), nullable=False, server_default=""))
    op.create_table(
        'equity_count',
        sa.Column('school_year', sa.String(length=9), nullable=False),
        sa.Column('audience', sa.Enum(*AUDIENCES, name='audience', native_enum=False, create_constraint=True,
                                      length=32), nullable=False),
        sa.Column('outcome', sa.Enum(*STATUSES, name='escalationstatus', native_enum=False, create_constraint=True,
                                     length=32), nullable=False),
        sa.Column('escalations', sa.Integer(), nullable=False),
        sa.Column('with_disability', sa.Integer(), nullable=False),
        sa.Column('with_pai', sa.Integer(), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uid', sa.String(length=36), nullable=False),
        sa.Column('owner', sa.String(length=40), nullable=False),
        sa.Column('hlc', sa.String(length=64), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_equity_count')),
        sa.UniqueConstraint('owner', 'school_year', 'audience', 'outcome',
                            name=op.f('uq_equity_count_owner_school_year_audience_outcome')),
        sa.UniqueConstraint('uid', name=op.f('uq_equity_count_uid')),
    )
    with op.batch_alter_table('equity_count', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_equity_count_owner'), ['owner'], unique=False)


def downgrade() -> None:
    op.drop_table('equity_count')
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.drop_column("age_band")
