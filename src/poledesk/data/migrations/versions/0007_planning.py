"""planning: the periods each establishment plans for its classes (the bassin's calendar)

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

AUDIENCES = ('observation_4e_3e', 'seconde_gt', 'pfmp_cap', 'pfmp_bacpro', 'sts', 'apprentissage')


def upgrade() -> None:
    op.create_table(
        'planning_period',
        sa.Column('establishment_id', sa.Integer(), nullable=False),
        sa.Column('formation_id', sa.Integer(), nullable=True),
        sa.Column('division', sa.String(length=40), nullable=False),
        sa.Column('audience', sa.Enum(*AUDIENCES, name='audience', native_enum=False, length=32,
                                      create_constraint=True), nullable=False),
        sa.Column('start_date', sa.Date(), nullable=False),
        sa.Column('end_date', sa.Date(), nullable=False),
        sa.Column('pupils', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('notes', sa.Text(), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uid', sa.String(length=36), nullable=False),
        sa.Column('owner', sa.String(length=40), nullable=False),
        sa.Column('hlc', sa.String(length=64), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'],
                                name=op.f('fk_planning_period_establishment_id_establishment')),
        sa.ForeignKeyConstraint(['formation_id'], ['formation.id'],
                                name=op.f('fk_planning_period_formation_id_formation')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_planning_period')),
        sa.UniqueConstraint('uid', name=op.f('uq_planning_period_uid')),
    )
    op.create_index(op.f('ix_planning_period_establishment_id'), 'planning_period', ['establishment_id'])
    op.create_index(op.f('ix_planning_period_owner'), 'planning_period', ['owner'])
    op.create_index(op.f('ix_planning_period_start_date'), 'planning_period', ['start_date'])


def downgrade() -> None:
    op.drop_index(op.f('ix_planning_period_start_date'), table_name='planning_period')
    op.drop_index(op.f('ix_planning_period_owner'), table_name='planning_period')
    op.drop_index(op.f('ix_planning_period_establishment_id'), table_name='planning_period')
    op.drop_table('planning_period')
