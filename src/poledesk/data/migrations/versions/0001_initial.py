"""the whole store: every record of DOMAIN.md with its sync columns

Revision ID: 0001
Revises: (none)
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('action',
    sa.Column('school_year', sa.String(length=9), nullable=False),
    sa.Column('axis', sa.Enum('1', '2', '3', name='actionaxis', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'running', 'done', 'dropped', name='actionstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('indicator', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action')),
    sa.UniqueConstraint('uid', name=op.f('uq_action_uid'))
    )
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_owner'), ['owner'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_school_year'), ['school_year'], unique=False)

    op.create_table('establishment',
    sa.Column('uai', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('college', 'lp', 'lycee', 'lpo', 'sep', 'erea', 'cfa', name='establishmentkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('postcode', sa.String(length=5), nullable=False),
    sa.Column('commune', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('head_name', sa.String(length=200), nullable=False),
    sa.Column('referent_name', sa.String(length=200), nullable=False),
    sa.Column('referent_role', sa.String(length=100), nullable=False),
    sa.Column('referent_email', sa.String(length=200), nullable=False),
    sa.Column('referent_phone', sa.String(length=40), nullable=False),
    sa.Column('priority_education', sa.Enum('none', 'rep', 'rep_plus', name='priorityeducation', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('search_key', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_establishment')),
    sa.UniqueConstraint('uid', name=op.f('uq_establishment_uid'))
    )
    with op.batch_alter_table('establishment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_establishment_owner'), ['owner'], unique=False)
        batch_op.create_index(batch_op.f('ix_establishment_uai'), ['uai'], unique=False)

    op.create_table('formation',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('audience', sa.Enum('observation_4e_3e', 'seconde_gt', 'pfmp_cap', 'pfmp_bacpro', 'sts', 'apprentissage', name='audience', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('pfmp_weeks', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_formation')),
    sa.UniqueConstraint('uid', name=op.f('uq_formation_uid'))
    )
    with op.batch_alter_table('formation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_formation_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_formation_owner'), ['owner'], unique=False)

    op.create_table('partner',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('siret', sa.String(length=14), nullable=True),
    sa.Column('legal_kind', sa.Enum('entreprise', 'association', 'administration', 'collectivite', 'etablissement_public', name='legalkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('naf_code', sa.String(length=6), nullable=False),
    sa.Column('headcount_band', sa.Enum('0-9', '10-49', '50-249', '250+', name='headcountband', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('postcode', sa.String(length=5), nullable=False),
    sa.Column('commune', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('prospect', 'active', 'paused', 'do_not_contact', name='partnerstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=False),
    sa.Column('representative_name', sa.String(length=200), nullable=False),
    sa.Column('representative_role', sa.String(length=100), nullable=False),
    sa.Column('insurer', sa.String(length=200), nullable=False),
    sa.Column('accepts_disability', sa.Boolean(), nullable=False),
    sa.Column('accepts_pai', sa.Boolean(), nullable=False),
    sa.Column('min_age', sa.Integer(), nullable=True),
    sa.Column('requires_protective_equipment', sa.Boolean(), nullable=False),
    sa.Column('interview_first', sa.Boolean(), nullable=False),
    sa.Column('tags', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('framework_start', sa.Date(), nullable=True),
    sa.Column('framework_end', sa.Date(), nullable=True),
    sa.Column('search_key', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner')),
    sa.UniqueConstraint('uid', name=op.f('uq_partner_uid'))
    )
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_owner'), ['owner'], unique=False)
        batch_op.create_index(batch_op.f('ix_partner_postcode'), ['postcode'], unique=False)
        batch_op.create_index(batch_op.f('ix_partner_siret'), ['siret'], unique=False)

    op.create_table('pole',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('bassin', sa.String(length=200), nullable=False),
    sa.Column('academie', sa.String(length=100), nullable=False),
    sa.Column('animator_name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pole')),
    sa.UniqueConstraint('uid', name=op.f('uq_pole_uid'))
    )
    with op.batch_alter_table('pole', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pole_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_pole_owner'), ['owner'], unique=False)

    op.create_table('setting',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('training_session',
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('theme', sa.String(length=200), nullable=False),
    sa.Column('session_date', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('trainer', sa.String(length=200), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'held', 'cancelled', name='trainingstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('search_key', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_session')),
    sa.UniqueConstraint('uid', name=op.f('uq_training_session_uid'))
    )
    with op.batch_alter_table('training_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_session_owner'), ['owner'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_session_session_date'), ['session_date'], unique=False)

    op.create_table('action_establishment',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('establishment_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_action_establishment_action_id_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_action_establishment_establishment_id_establishment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('action_id', 'establishment_id', name=op.f('pk_action_establishment'))
    )
    op.create_table('action_partner',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_action_partner_action_id_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_action_partner_partner_id_partner'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('action_id', 'partner_id', name=op.f('pk_action_partner'))
    )
    op.create_table('contact',
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('is_tutor', sa.Boolean(), nullable=False),
    sa.Column('consents_to_contact', sa.Boolean(), nullable=False),
    sa.Column('search_key', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_contact_partner_id_partner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact')),
    sa.UniqueConstraint('uid', name=op.f('uq_contact_uid'))
    )
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_owner'), ['owner'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_partner_id'), ['partner_id'], unique=False)

    op.create_table('establishment_formation',
    sa.Column('establishment_id', sa.Integer(), nullable=False),
    sa.Column('formation_id', sa.Integer(), nullable=False),
    sa.Column('school_year', sa.String(length=9), nullable=False),
    sa.Column('pupils', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_establishment_formation_establishment_id_establishment')),
    sa.ForeignKeyConstraint(['formation_id'], ['formation.id'], name=op.f('fk_establishment_formation_formation_id_formation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_establishment_formation')),
    sa.UniqueConstraint('uid', name=op.f('uq_establishment_formation_uid'))
    )
    with op.batch_alter_table('establishment_formation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_establishment_formation_establishment_id'), ['establishment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_establishment_formation_formation_id'), ['formation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_establishment_formation_owner'), ['owner'], unique=False)

    op.create_table('hosting_offer',
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('audience', sa.Enum('observation_4e_3e', 'seconde_gt', 'pfmp_cap', 'pfmp_bacpro', 'sts', 'apprentissage', name='audience', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('formation_id', sa.Integer(), nullable=True),
    sa.Column('sector', sa.String(length=200), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('months', sa.String(length=40), nullable=False),
    sa.Column('weeks', sa.String(length=200), nullable=False),
    sa.Column('max_requests_per_month', sa.Integer(), nullable=True),
    sa.Column('last_confirmed_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['formation_id'], ['formation.id'], name=op.f('fk_hosting_offer_formation_id_formation')),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_hosting_offer_partner_id_partner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hosting_offer')),
    sa.UniqueConstraint('uid', name=op.f('uq_hosting_offer_uid'))
    )
    with op.batch_alter_table('hosting_offer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hosting_offer_owner'), ['owner'], unique=False)
        batch_op.create_index(batch_op.f('ix_hosting_offer_partner_id'), ['partner_id'], unique=False)

    op.create_table('pupil',
    sa.Column('pseudonym', sa.String(length=36), nullable=False),
    sa.Column('establishment_id', sa.Integer(), nullable=False),
    sa.Column('formation_id', sa.Integer(), nullable=True),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('class_name', sa.String(length=40), nullable=False),
    sa.Column('representative_name', sa.String(length=200), nullable=False),
    sa.Column('representative_email', sa.String(length=200), nullable=False),
    sa.Column('representative_phone', sa.String(length=40), nullable=False),
    sa.Column('needs', sa.String(length=300), nullable=False),
    sa.Column('has_pai', sa.Boolean(), nullable=False),
    sa.Column('has_disability', sa.Boolean(), nullable=False),
    sa.Column('purged_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_pupil_establishment_id_establishment')),
    sa.ForeignKeyConstraint(['formation_id'], ['formation.id'], name=op.f('fk_pupil_formation_id_formation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pupil')),
    sa.UniqueConstraint('pseudonym', name=op.f('uq_pupil_pseudonym')),
    sa.UniqueConstraint('uid', name=op.f('uq_pupil_uid'))
    )
    with op.batch_alter_table('pupil', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pupil_establishment_id'), ['establishment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pupil_owner'), ['owner'], unique=False)

    op.create_table('escalation',
    sa.Column('establishment_id', sa.Integer(), nullable=False),
    sa.Column('pupil_id', sa.Integer(), nullable=False),
    sa.Column('asked_by_name', sa.String(length=200), nullable=False),
    sa.Column('asked_by_role', sa.String(length=100), nullable=False),
    sa.Column('asked_by_email', sa.String(length=200), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('audience', sa.Enum('observation_4e_3e', 'seconde_gt', 'pfmp_cap', 'pfmp_bacpro', 'sts', 'apprentissage', name='audience', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('formation_id', sa.Integer(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('mobility_commune', sa.String(length=120), nullable=False),
    sa.Column('mobility_postcode', sa.String(length=5), nullable=False),
    sa.Column('mobility_radius_km', sa.Integer(), nullable=True),
    sa.Column('mobility_means', sa.String(length=200), nullable=False),
    sa.Column('needs_accessibility', sa.Boolean(), nullable=False),
    sa.Column('needs_pai', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('received', 'searching', 'proposed', 'placed', 'closed_unsolved', 'withdrawn', name='escalationstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_escalation_establishment_id_establishment')),
    sa.ForeignKeyConstraint(['formation_id'], ['formation.id'], name=op.f('fk_escalation_formation_id_formation')),
    sa.ForeignKeyConstraint(['pupil_id'], ['pupil.id'], name=op.f('fk_escalation_pupil_id_pupil')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalation')),
    sa.UniqueConstraint('uid', name=op.f('uq_escalation_uid'))
    )
    with op.batch_alter_table('escalation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalation_establishment_id'), ['establishment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalation_owner'), ['owner'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalation_period_start'), ['period_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalation_pupil_id'), ['pupil_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalation_status'), ['status'], unique=False)

    op.create_table('offer_reservation',
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('establishment_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_offer_reservation_establishment_id_establishment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offer_id'], ['hosting_offer.id'], name=op.f('fk_offer_reservation_offer_id_hosting_offer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('offer_id', 'establishment_id', name=op.f('pk_offer_reservation'))
    )
    op.create_table('registration',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('invited_on', sa.Date(), nullable=True),
    sa.Column('registered_on', sa.Date(), nullable=True),
    sa.Column('waitlisted', sa.Boolean(), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=False),
    sa.Column('attestation_issued_on', sa.Date(), nullable=True),
    sa.Column('cancelled_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_registration_contact_id_contact')),
    sa.ForeignKeyConstraint(['session_id'], ['training_session.id'], name=op.f('fk_registration_session_id_training_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration')),
    sa.UniqueConstraint('uid', name=op.f('uq_registration_uid'))
    )
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_owner'), ['owner'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_session_id'), ['session_id'], unique=False)

    op.create_table('visit',
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('visite', 'telephone', 'courriel', 'salon', 'rencontre', name='visitkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('who', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('next_action', sa.Text(), nullable=False),
    sa.Column('next_action_due', sa.Date(), nullable=True),
    sa.Column('next_action_done_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_visit_contact_id_contact')),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_visit_partner_id_partner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit')),
    sa.UniqueConstraint('uid', name=op.f('uq_visit_uid'))
    )
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_next_action_due'), ['next_action_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_owner'), ['owner'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_visited_on'), ['visited_on'], unique=False)

    op.create_table('escalation_event',
    sa.Column('escalation_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('from_status', sa.Enum('received', 'searching', 'proposed', 'placed', 'closed_unsolved', 'withdrawn', name='escalationstatus', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('to_status', sa.Enum('received', 'searching', 'proposed', 'placed', 'closed_unsolved', 'withdrawn', name='escalationstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalation.id'], name=op.f('fk_escalation_event_escalation_id_escalation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalation_event')),
    sa.UniqueConstraint('uid', name=op.f('uq_escalation_event_uid'))
    )
    with op.batch_alter_table('escalation_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalation_event_escalation_id'), ['escalation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalation_event_owner'), ['owner'], unique=False)

    op.create_table('placement',
    sa.Column('pupil_id', sa.Integer(), nullable=False),
    sa.Column('establishment_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('tutor_id', sa.Integer(), nullable=True),
    sa.Column('escalation_id', sa.Integer(), nullable=True),
    sa.Column('referent_teacher_name', sa.String(length=200), nullable=False),
    sa.Column('referent_teacher_email', sa.String(length=200), nullable=False),
    sa.Column('audience', sa.Enum('observation_4e_3e', 'seconde_gt', 'pfmp_cap', 'pfmp_bacpro', 'sts', 'apprentissage', name='audience', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('formation_id', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('activities', sa.Text(), nullable=False),
    sa.Column('skills', sa.Text(), nullable=False),
    sa.Column('site_address', sa.String(length=300), nullable=False),
    sa.Column('meals', sa.Text(), nullable=False),
    sa.Column('transport', sa.Text(), nullable=False),
    sa.Column('accommodation', sa.Text(), nullable=False),
    sa.Column('gratification', sa.Text(), nullable=False),
    sa.Column('convention_status', sa.Enum('draft', 'printed', 'signed', 'signed_outside', 'cancelled', name='conventionstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('printed_on', sa.Date(), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('cancelled_on', sa.Date(), nullable=True),
    sa.Column('signed_copy_file', sa.String(length=300), nullable=False),
    sa.Column('signed_copy_sha256', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalation.id'], name=op.f('fk_placement_escalation_id_escalation')),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_placement_establishment_id_establishment')),
    sa.ForeignKeyConstraint(['formation_id'], ['formation.id'], name=op.f('fk_placement_formation_id_formation')),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_placement_partner_id_partner')),
    sa.ForeignKeyConstraint(['pupil_id'], ['pupil.id'], name=op.f('fk_placement_pupil_id_pupil')),
    sa.ForeignKeyConstraint(['tutor_id'], ['contact.id'], name=op.f('fk_placement_tutor_id_contact')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placement')),
    sa.UniqueConstraint('uid', name=op.f('uq_placement_uid'))
    )
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placement_convention_status'), ['convention_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_establishment_id'), ['establishment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_owner'), ['owner'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_pupil_id'), ['pupil_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_start_date'), ['start_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_tutor_id'), ['tutor_id'], unique=False)

    op.create_table('proposal',
    sa.Column('escalation_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('contacted_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.Enum('visite', 'telephone', 'courriel', 'salon', 'rencontre', name='visitkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('answer', sa.Enum('waiting', 'accepted', 'refused', 'no_answer', name='proposalanswer', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('refusal_reason', sa.Text(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_proposal_contact_id_contact')),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalation.id'], name=op.f('fk_proposal_escalation_id_escalation')),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_proposal_partner_id_partner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal')),
    sa.UniqueConstraint('uid', name=op.f('uq_proposal_uid'))
    )
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_escalation_id'), ['escalation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_owner'), ['owner'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_partner_id'), ['partner_id'], unique=False)

    op.create_table('amendment',
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changes', sa.Text(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['placement_id'], ['placement.id'], name=op.f('fk_amendment_placement_id_placement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amendment')),
    sa.UniqueConstraint('uid', name=op.f('uq_amendment_uid'))
    )
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_amendment_owner'), ['owner'], unique=False)
        batch_op.create_index(batch_op.f('ix_amendment_placement_id'), ['placement_id'], unique=False)

    op.create_table('timetable_day',
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('start', sa.Time(), nullable=False),
    sa.Column('end', sa.Time(), nullable=False),
    sa.Column('break_start', sa.Time(), nullable=True),
    sa.Column('break_end', sa.Time(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['placement_id'], ['placement.id'], name=op.f('fk_timetable_day_placement_id_placement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_timetable_day')),
    sa.UniqueConstraint('uid', name=op.f('uq_timetable_day_uid'))
    )
    with op.batch_alter_table('timetable_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_timetable_day_owner'), ['owner'], unique=False)
        batch_op.create_index(batch_op.f('ix_timetable_day_placement_id'), ['placement_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('timetable_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_timetable_day_placement_id'))
        batch_op.drop_index(batch_op.f('ix_timetable_day_owner'))

    op.drop_table('timetable_day')
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_amendment_placement_id'))
        batch_op.drop_index(batch_op.f('ix_amendment_owner'))

    op.drop_table('amendment')
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_partner_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_owner'))
        batch_op.drop_index(batch_op.f('ix_proposal_escalation_id'))

    op.drop_table('proposal')
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placement_tutor_id'))
        batch_op.drop_index(batch_op.f('ix_placement_start_date'))
        batch_op.drop_index(batch_op.f('ix_placement_pupil_id'))
        batch_op.drop_index(batch_op.f('ix_placement_partner_id'))
        batch_op.drop_index(batch_op.f('ix_placement_owner'))
        batch_op.drop_index(batch_op.f('ix_placement_establishment_id'))
        batch_op.drop_index(batch_op.f('ix_placement_convention_status'))

    op.drop_table('placement')
    with op.batch_alter_table('escalation_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalation_event_owner'))
        batch_op.drop_index(batch_op.f('ix_escalation_event_escalation_id'))

    op.drop_table('escalation_event')
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_visited_on'))
        batch_op.drop_index(batch_op.f('ix_visit_partner_id'))
        batch_op.drop_index(batch_op.f('ix_visit_owner'))
        batch_op.drop_index(batch_op.f('ix_visit_next_action_due'))

    op.drop_table('visit')
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_session_id'))
        batch_op.drop_index(batch_op.f('ix_registration_owner'))
        batch_op.drop_index(batch_op.f('ix_registration_contact_id'))

    op.drop_table('registration')
    op.drop_table('offer_reservation')
    with op.batch_alter_table('escalation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalation_status'))
        batch_op.drop_index(batch_op.f('ix_escalation_pupil_id'))
        batch_op.drop_index(batch_op.f('ix_escalation_period_start'))
        batch_op.drop_index(batch_op.f('ix_escalation_owner'))
        batch_op.drop_index(batch_op.f('ix_escalation_establishment_id'))

    op.drop_table('escalation')
    with op.batch_alter_table('pupil', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pupil_owner'))
        batch_op.drop_index(batch_op.f('ix_pupil_establishment_id'))

    op.drop_table('pupil')
    with op.batch_alter_table('hosting_offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hosting_offer_partner_id'))
        batch_op.drop_index(batch_op.f('ix_hosting_offer_owner'))

    op.drop_table('hosting_offer')
    with op.batch_alter_table('establishment_formation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_establishment_formation_owner'))
        batch_op.drop_index(batch_op.f('ix_establishment_formation_formation_id'))
        batch_op.drop_index(batch_op.f('ix_establishment_formation_establishment_id'))

    op.drop_table('establishment_formation')
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_partner_id'))
        batch_op.drop_index(batch_op.f('ix_contact_owner'))

    op.drop_table('contact')
    op.drop_table('action_partner')
    op.drop_table('action_establishment')
    with op.batch_alter_table('training_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_session_session_date'))
        batch_op.drop_index(batch_op.f('ix_training_session_owner'))

    op.drop_table('training_session')
    op.drop_table('setting')
    with op.batch_alter_table('pole', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pole_owner'))
        batch_op.drop_index(batch_op.f('ix_pole_code'))

    op.drop_table('pole')
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_siret'))
        batch_op.drop_index(batch_op.f('ix_partner_postcode'))
        batch_op.drop_index(batch_op.f('ix_partner_owner'))

    op.drop_table('partner')
    with op.batch_alter_table('formation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_formation_owner'))
        batch_op.drop_index(batch_op.f('ix_formation_code'))

    op.drop_table('formation')
    with op.batch_alter_table('establishment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_establishment_uai'))
        batch_op.drop_index(batch_op.f('ix_establishment_owner'))

    op.drop_table('establishment')
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_school_year'))
        batch_op.drop_index(batch_op.f('ix_action_owner'))

    op.drop_table('action')
