"""Initial schema: the whole stage database.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 01:06:53.905362
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('data_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version'))
    )
    op.create_table('instrument_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instrument', sa.String(length=32), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('subscale', sa.String(length=100), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instrument_item')),
    sa.UniqueConstraint('instrument', 'number', name=op.f('uq_instrument_item_instrument_number'))
    )
    op.create_table('opleiding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kpb_target_default', sa.Integer(), nullable=False),
    sa.Column('uses_rating_instrument', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opleiding')),
    sa.UniqueConstraint('code', name=op.f('uq_opleiding_code'))
    )
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('password_hash', sa.String(length=100), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('logged_out_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('username', name=op.f('uq_user_account_username'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_audit_log_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_log_entity', ['entity', 'entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_user_id'), ['user_id'], unique=False)

    op.create_table('cohort',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opleiding_id', sa.Integer(), nullable=False),
    sa.Column('start_year', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['opleiding_id'], ['opleiding.id'], name=op.f('fk_cohort_opleiding_id_opleiding')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort')),
    sa.UniqueConstraint('opleiding_id', 'start_year', name=op.f('uq_cohort_opleiding_id_start_year'))
    )
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_opleiding_id'), ['opleiding_id'], unique=False)

    op.create_table('commissie_lid',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('opleiding_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['opleiding_id'], ['opleiding.id'], name=op.f('fk_commissie_lid_opleiding_id_opleiding')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_commissie_lid_user_id_user_account')),
    sa.PrimaryKeyConstraint('user_id', 'opleiding_id', name=op.f('pk_commissie_lid'))
    )
    op.create_table('epa',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opleiding_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['opleiding_id'], ['opleiding.id'], name=op.f('fk_epa_opleiding_id_opleiding')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_epa')),
    sa.UniqueConstraint('opleiding_id', 'code', name=op.f('uq_epa_opleiding_id_code'))
    )
    op.create_table('instituutsopleider',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_instituutsopleider_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instituutsopleider')),
    sa.UniqueConstraint('user_id', name=op.f('uq_instituutsopleider_user_id'))
    )
    op.create_table('rubric',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opleiding_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['opleiding_id'], ['opleiding.id'], name=op.f('fk_rubric_opleiding_id_opleiding')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rubric')),
    sa.UniqueConstraint('opleiding_id', 'name', 'version', name=op.f('uq_rubric_opleiding_id_name_version'))
    )
    op.create_table('stagebegeleider',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('function', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_stagebegeleider_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stagebegeleider')),
    sa.UniqueConstraint('user_id', name=op.f('uq_stagebegeleider_user_id'))
    )
    op.create_table('stageplaats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('opleiding_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('discipline', sa.String(length=100), nullable=False),
    sa.Column('region', sa.String(length=100), nullable=False),
    sa.Column('status', sa.Enum('actief', 'in remediëring', 'stopgezet', name='stageplaats_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['opleiding_id'], ['opleiding.id'], name=op.f('fk_stageplaats_opleiding_id_opleiding')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stageplaats')),
    sa.UniqueConstraint('code', name=op.f('uq_stageplaats_code'))
    )
    with op.batch_alter_table('stageplaats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stageplaats_opleiding_id'), ['opleiding_id'], unique=False)

    op.create_table('user_role',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('beheerder', 'instituutsopleider', 'stagecommissie', 'stagebegeleider', 'aios', name='role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_user_role_user_id_user_account')),
    sa.PrimaryKeyConstraint('user_id', 'role', name=op.f('pk_user_role'))
    )
    op.create_table('aios',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('aios_number', sa.String(length=32), nullable=False),
    sa.Column('opleiding_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_aios_cohort_id_cohort')),
    sa.ForeignKeyConstraint(['opleiding_id'], ['opleiding.id'], name=op.f('fk_aios_opleiding_id_opleiding')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_aios_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aios')),
    sa.UniqueConstraint('aios_number', name=op.f('uq_aios_aios_number')),
    sa.UniqueConstraint('user_id', name=op.f('uq_aios_user_id'))
    )
    with op.batch_alter_table('aios', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aios_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_aios_opleiding_id'), ['opleiding_id'], unique=False)

    op.create_table('begeleider_stageplaats',
    sa.Column('begeleider_id', sa.Integer(), nullable=False),
    sa.Column('stageplaats_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['begeleider_id'], ['stagebegeleider.id'], name=op.f('fk_begeleider_stageplaats_begeleider_id_stagebegeleider')),
    sa.ForeignKeyConstraint(['stageplaats_id'], ['stageplaats.id'], name=op.f('fk_begeleider_stageplaats_stageplaats_id_stageplaats')),
    sa.PrimaryKeyConstraint('begeleider_id', 'stageplaats_id', name=op.f('pk_begeleider_stageplaats'))
    )
    with op.batch_alter_table('begeleider_stageplaats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_begeleider_stageplaats_stageplaats_id'), ['stageplaats_id'], unique=False)

    op.create_table('committee_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stageplaats_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('decision', sa.Enum('geen actie', 'gesprek', 'remediëringsplan', 'stopzetten', name='decision', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('follow_up_date', sa.Date(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by'], ['user_account.id'], name=op.f('fk_committee_decision_decided_by_user_account')),
    sa.ForeignKeyConstraint(['stageplaats_id'], ['stageplaats.id'], name=op.f('fk_committee_decision_stageplaats_id_stageplaats')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committee_decision'))
    )
    with op.batch_alter_table('committee_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_committee_decision_stageplaats_id'), ['stageplaats_id'], unique=False)

    op.create_table('opleider_cohort',
    sa.Column('opleider_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_opleider_cohort_cohort_id_cohort')),
    sa.ForeignKeyConstraint(['opleider_id'], ['instituutsopleider.id'], name=op.f('fk_opleider_cohort_opleider_id_instituutsopleider')),
    sa.PrimaryKeyConstraint('opleider_id', 'cohort_id', name=op.f('pk_opleider_cohort'))
    )
    op.create_table('rubric_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rubric_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('canmeds_role', sa.Enum('Medisch deskundige', 'Communicator', 'Samenwerker', 'Leider', 'Gezondheidsbevorderaar', 'Academicus', 'Professional', name='canmeds_role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['rubric_id'], ['rubric.id'], name=op.f('fk_rubric_criterion_rubric_id_rubric')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rubric_criterion')),
    sa.UniqueConstraint('rubric_id', 'position', name=op.f('uq_rubric_criterion_rubric_id_position'))
    )
    op.create_table('rubric_level',
    sa.Column('rubric_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['rubric_id'], ['rubric.id'], name=op.f('fk_rubric_level_rubric_id_rubric')),
    sa.PrimaryKeyConstraint('rubric_id', 'score', name=op.f('pk_rubric_level'))
    )
    op.create_table('opleider_aios',
    sa.Column('opleider_id', sa.Integer(), nullable=False),
    sa.Column('aios_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['aios_id'], ['aios.id'], name=op.f('fk_opleider_aios_aios_id_aios')),
    sa.ForeignKeyConstraint(['opleider_id'], ['instituutsopleider.id'], name=op.f('fk_opleider_aios_opleider_id_instituutsopleider')),
    sa.PrimaryKeyConstraint('opleider_id', 'aios_id', name=op.f('pk_opleider_aios'))
    )
    op.create_table('rubric_level_description',
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['rubric_criterion.id'], name=op.f('fk_rubric_level_description_criterion_id_rubric_criterion')),
    sa.PrimaryKeyConstraint('criterion_id', 'score', name=op.f('pk_rubric_level_description'))
    )
    op.create_table('stage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('aios_id', sa.Integer(), nullable=False),
    sa.Column('stageplaats_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('fte', sa.Numeric(precision=3, scale=2, asdecimal=False), nullable=False),
    sa.Column('status', sa.Enum('gepland', 'lopend', 'afgerond', 'afgebroken', name='stage_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.CheckConstraint('end_date > start_date', name=op.f('ck_stage_period')),
    sa.CheckConstraint('fte > 0 AND fte <= 1', name=op.f('ck_stage_fte')),
    sa.ForeignKeyConstraint(['aios_id'], ['aios.id'], name=op.f('fk_stage_aios_id_aios')),
    sa.ForeignKeyConstraint(['stageplaats_id'], ['stageplaats.id'], name=op.f('fk_stage_stageplaats_id_stageplaats')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage'))
    )
    with op.batch_alter_table('stage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_aios_id'), ['aios_id'], unique=False)
        batch_op.create_index('ix_stage_stageplaats_start', ['stageplaats_id', 'start_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_stage_start_date'), ['start_date'], unique=False)

    op.create_table('beoordeling',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('rubric_id', sa.Integer(), nullable=False),
    sa.Column('moment', sa.Enum('tussentijds', 'eind', name='moment', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('rater_kind', sa.Enum('begeleider', 'zelf', 'peer', name='rater_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('rater_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['rater_id'], ['user_account.id'], name=op.f('fk_beoordeling_rater_id_user_account')),
    sa.ForeignKeyConstraint(['rubric_id'], ['rubric.id'], name=op.f('fk_beoordeling_rubric_id_rubric')),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_beoordeling_stage_id_stage')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_beoordeling'))
    )
    with op.batch_alter_table('beoordeling', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_beoordeling_rater_id'), ['rater_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_beoordeling_rubric_id'), ['rubric_id'], unique=False)
        batch_op.create_index('ix_beoordeling_stage_moment', ['stage_id', 'moment'], unique=False)

    op.create_table('epa_target',
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('epa_id', sa.Integer(), nullable=False),
    sa.Column('target_level', sa.Integer(), nullable=False),
    sa.CheckConstraint('target_level BETWEEN 1 AND 5', name=op.f('ck_epa_target_level')),
    sa.ForeignKeyConstraint(['epa_id'], ['epa.id'], name=op.f('fk_epa_target_epa_id_epa')),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_epa_target_stage_id_stage')),
    sa.PrimaryKeyConstraint('stage_id', 'epa_id', name=op.f('pk_epa_target'))
    )
    op.create_table('feedback_moment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('giver_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('KPB', 'gesprek', 'informeel', name='feedback_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('asked_by_aios', sa.Boolean(), nullable=False),
    sa.Column('topic', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['giver_id'], ['user_account.id'], name=op.f('fk_feedback_moment_giver_id_user_account')),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_feedback_moment_stage_id_stage')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_moment'))
    )
    with op.batch_alter_table('feedback_moment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_moment_giver_id'), ['giver_id'], unique=False)
        batch_op.create_index('ix_feedback_moment_stage_date', ['stage_id', 'date'], unique=False)

    op.create_table('gesprek',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.Enum('kennismaking', 'startgesprek', 'begeleidingsgesprek', 'evaluatiegesprek', 'eindgesprek', name='gesprek_type', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('verslag', sa.Text(), nullable=True),
    sa.Column('afspraken', sa.Text(), nullable=True),
    sa.Column('op_schema', sa.Enum('ja', 'deels', 'nee', name='op_schema', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('wat_gaat_goed', sa.Text(), nullable=True),
    sa.Column('wat_kan_beter', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('concept', 'vastgesteld', name='gesprek_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('confirmed_by', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('submit_token', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_gesprek_author_id_user_account')),
    sa.ForeignKeyConstraint(['confirmed_by'], ['user_account.id'], name=op.f('fk_gesprek_confirmed_by_user_account')),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_gesprek_stage_id_stage')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['gesprek.id'], name=op.f('fk_gesprek_supersedes_id_gesprek')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gesprek')),
    sa.UniqueConstraint('submit_token', name=op.f('uq_gesprek_submit_token'))
    )
    with op.batch_alter_table('gesprek', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gesprek_date'), ['date'], unique=False)
        batch_op.create_index('ix_gesprek_stage_type_date', ['stage_id', 'type', 'date'], unique=False)
        batch_op.create_index(batch_op.f('ix_gesprek_supersedes_id'), ['supersedes_id'], unique=False)

    op.create_table('kpb',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('epa_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('observer_id', sa.Integer(), nullable=False),
    sa.Column('initiated_by', sa.Enum('aios', 'begeleider', name='kpb_initiator', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('supervision_level', sa.Integer(), nullable=False),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.CheckConstraint('supervision_level BETWEEN 1 AND 5', name=op.f('ck_kpb_level')),
    sa.ForeignKeyConstraint(['epa_id'], ['epa.id'], name=op.f('fk_kpb_epa_id_epa')),
    sa.ForeignKeyConstraint(['observer_id'], ['user_account.id'], name=op.f('fk_kpb_observer_id_user_account')),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_kpb_stage_id_stage')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpb'))
    )
    with op.batch_alter_table('kpb', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpb_stage_id'), ['stage_id'], unique=False)

    op.create_table('leerdoel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('canmeds_role', sa.Enum('Medisch deskundige', 'Communicator', 'Samenwerker', 'Leider', 'Gezondheidsbevorderaar', 'Academicus', 'Professional', name='canmeds_role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('gepland', 'bezig', 'behaald', 'bijgesteld', name='leerdoel_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_leerdoel_stage_id_stage')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leerdoel'))
    )
    with op.batch_alter_table('leerdoel', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leerdoel_stage_id'), ['stage_id'], unique=False)

    op.create_table('praktijkopdracht',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('open', 'bezig', 'afgerond', name='opdracht_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_praktijkopdracht_stage_id_stage')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_praktijkopdracht'))
    )
    with op.batch_alter_table('praktijkopdracht', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_praktijkopdracht_stage_id'), ['stage_id'], unique=False)

    op.create_table('stage_begeleider',
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('begeleider_id', sa.Integer(), nullable=False),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['begeleider_id'], ['stagebegeleider.id'], name=op.f('fk_stage_begeleider_begeleider_id_stagebegeleider')),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_stage_begeleider_stage_id_stage')),
    sa.PrimaryKeyConstraint('stage_id', 'begeleider_id', name=op.f('pk_stage_begeleider'))
    )
    with op.batch_alter_table('stage_begeleider', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_begeleider_begeleider_id'), ['begeleider_id'], unique=False)

    op.create_table('stageplaats_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('leermogelijkheden', sa.Integer(), nullable=False),
    sa.Column('leerklimaat', sa.Integer(), nullable=False),
    sa.Column('begeleiding', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('submitted_at', sa.Date(), nullable=False),
    sa.CheckConstraint('begeleiding BETWEEN 1 AND 5', name=op.f('ck_stageplaats_rating_begeleiding')),
    sa.CheckConstraint('leerklimaat BETWEEN 1 AND 5', name=op.f('ck_stageplaats_rating_leerklimaat')),
    sa.CheckConstraint('leermogelijkheden BETWEEN 1 AND 5', name=op.f('ck_stageplaats_rating_leermogelijkheden')),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_stageplaats_rating_stage_id_stage')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stageplaats_rating')),
    sa.UniqueConstraint('stage_id', name=op.f('uq_stageplaats_rating_stage_id'))
    )
    with op.batch_alter_table('stageplaats_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stageplaats_rating_submitted_at'), ['submitted_at'], unique=False)

    op.create_table('stageplan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('kpb_target', sa.Integer(), nullable=False),
    sa.Column('approved_at', sa.Date(), nullable=True),
    sa.Column('approved_by', sa.Integer(), nullable=True),
    sa.Column('verslag_due', sa.Date(), nullable=False),
    sa.Column('verslag_handed_in', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['approved_by'], ['user_account.id'], name=op.f('fk_stageplan_approved_by_user_account')),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_stageplan_stage_id_stage')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stageplan')),
    sa.UniqueConstraint('stage_id', name=op.f('uq_stageplan_stage_id'))
    )
    op.create_table('leerdoel_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('leerdoel_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('changed_by', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('gepland', 'bezig', 'behaald', 'bijgesteld', name='leerdoel_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by'], ['user_account.id'], name=op.f('fk_leerdoel_history_changed_by_user_account')),
    sa.ForeignKeyConstraint(['leerdoel_id'], ['leerdoel.id'], name=op.f('fk_leerdoel_history_leerdoel_id_leerdoel')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leerdoel_history'))
    )
    with op.batch_alter_table('leerdoel_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leerdoel_history_leerdoel_id'), ['leerdoel_id'], unique=False)

    op.create_table('rating_item_score',
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.CheckConstraint('score BETWEEN 1 AND 5', name=op.f('ck_rating_item_score_score')),
    sa.ForeignKeyConstraint(['item_id'], ['instrument_item.id'], name=op.f('fk_rating_item_score_item_id_instrument_item')),
    sa.ForeignKeyConstraint(['rating_id'], ['stageplaats_rating.id'], name=op.f('fk_rating_item_score_rating_id_stageplaats_rating')),
    sa.PrimaryKeyConstraint('rating_id', 'item_id', name=op.f('pk_rating_item_score'))
    )
    op.create_table('rubric_score',
    sa.Column('beoordeling_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['beoordeling_id'], ['beoordeling.id'], name=op.f('fk_rubric_score_beoordeling_id_beoordeling')),
    sa.ForeignKeyConstraint(['criterion_id'], ['rubric_criterion.id'], name=op.f('fk_rubric_score_criterion_id_rubric_criterion')),
    sa.PrimaryKeyConstraint('beoordeling_id', 'criterion_id', name=op.f('pk_rubric_score'))
    )
    with op.batch_alter_table('rubric_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rubric_score_criterion_id'), ['criterion_id'], unique=False)


    # The single data-version row every write bumps (DESIGN.md rule 7).
    op.execute("INSERT INTO data_version (id, version) VALUES (1, 0)")


def downgrade() -> None:
    with op.batch_alter_table('rubric_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rubric_score_criterion_id'))

    op.drop_table('rubric_score')
    op.drop_table('rating_item_score')
    with op.batch_alter_table('leerdoel_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leerdoel_history_leerdoel_id'))

    op.drop_table('leerdoel_history')
    op.drop_table('stageplan')
    with op.batch_alter_table('stageplaats_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stageplaats_rating_submitted_at'))

    op.drop_table('stageplaats_rating')
    with op.batch_alter_table('stage_begeleider', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_begeleider_begeleider_id'))

    op.drop_table('stage_begeleider')
    with op.batch_alter_table('praktijkopdracht', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_praktijkopdracht_stage_id'))

    op.drop_table('praktijkopdracht')
    with op.batch_alter_table('leerdoel', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leerdoel_stage_id'))

    op.drop_table('leerdoel')
    with op.batch_alter_table('kpb', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpb_stage_id'))

    op.drop_table('kpb')
    with op.batch_alter_table('gesprek', schema=None) as batch_op:
        batch_op.drop_index('ix_gesprek_stage_type_date')
        batch_op.drop_index(batch_op.f('ix_gesprek_date'))
        batch_op.drop_index(batch_op.f('ix_gesprek_supersedes_id'))

    op.drop_table('gesprek')
    with op.batch_alter_table('feedback_moment', schema=None) as batch_op:
        batch_op.drop_index('ix_feedback_moment_stage_date')
        batch_op.drop_index(batch_op.f('ix_feedback_moment_giver_id'))

    op.drop_table('feedback_moment')
    op.drop_table('epa_target')
    with op.batch_alter_table('beoordeling', schema=None) as batch_op:
        batch_op.drop_index('ix_beoordeling_stage_moment')
        batch_op.drop_index(batch_op.f('ix_beoordeling_rubric_id'))
        batch_op.drop_index(batch_op.f('ix_beoordeling_rater_id'))

    op.drop_table('beoordeling')
    with op.batch_alter_table('stage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_start_date'))
        batch_op.drop_index('ix_stage_stageplaats_start')
        batch_op.drop_index(batch_op.f('ix_stage_aios_id'))

    op.drop_table('stage')
    op.drop_table('rubric_level_description')
    op.drop_table('opleider_aios')
    op.drop_table('rubric_level')
    op.drop_table('rubric_criterion')
    op.drop_table('opleider_cohort')
    with op.batch_alter_table('committee_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_committee_decision_stageplaats_id'))

    op.drop_table('committee_decision')
    with op.batch_alter_table('begeleider_stageplaats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_begeleider_stageplaats_stageplaats_id'))

    op.drop_table('begeleider_stageplaats')
    with op.batch_alter_table('aios', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aios_opleiding_id'))
        batch_op.drop_index(batch_op.f('ix_aios_cohort_id'))

    op.drop_table('aios')
    op.drop_table('user_role')
    with op.batch_alter_table('stageplaats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stageplaats_opleiding_id'))

    op.drop_table('stageplaats')
    op.drop_table('stagebegeleider')
    op.drop_table('rubric')
    op.drop_table('instituutsopleider')
    op.drop_table('epa')
    op.drop_table('commissie_lid')
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_opleiding_id'))

    op.drop_table('cohort')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_user_id'))
        batch_op.drop_index('ix_audit_log_entity')
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    op.drop_table('user_account')
    op.drop_table('opleiding')
    op.drop_table('instrument_item')
    op.drop_table('data_version')
