"""organisations: accounts and processes belong to one; process teams and read-only shares;
process settings (EU emblem, statement, consent wording); partner logos; inactive accounts

An existing installation gets one organisation ("Ponte", to rename on the admin page) holding
every account and process; each process's team is its creator and its sessions' trainers.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('name', name=op.f('uq_organisation_name'))
    )
    connection = op.get_bind()
    has_rows = connection.execute(sa.text(
        "SELECT (SELECT COUNT(*) FROM account) + (SELECT COUNT(*) FROM workshop)"
    )).scalar()
    if has_rows:
        connection.execute(sa.text(
            "INSERT INTO organisation (id, name, kind, created_at)"
            " VALUES (1, 'Ponte', 'other', CURRENT_TIMESTAMP)"
        ))
    for table in ('account', 'workshop'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        connection.execute(sa.text(f"UPDATE {table} SET organisation_id = 1"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_index(batch_op.f(f'ix_{table}_organisation_id'), ['organisation_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_organisation_id_organisation'), 'organisation', ['organisation_id'], ['id'])
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('eu_funded', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('eu_statement', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('consent_wording', sa.Text(), server_default='', nullable=False))

    op.create_table('process_trainer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_process_trainer_account_id_account')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_process_trainer_workshop_id_workshop')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_trainer')),
    sa.UniqueConstraint('workshop_id', 'account_id', name='uq_process_trainer')
    )
    with op.batch_alter_table('process_trainer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_process_trainer_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_process_trainer_workshop_id'), ['workshop_id'], unique=False)
    connection.execute(sa.text(
        "INSERT INTO process_trainer (workshop_id, account_id)"
        " SELECT id, created_by_id FROM workshop WHERE created_by_id IS NOT NULL"
        " UNION SELECT workshop_id, trainer_id FROM workshop_session WHERE trainer_id IS NOT NULL"
    ))

    op.create_table('process_share',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_process_share_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_process_share_workshop_id_workshop')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_share')),
    sa.UniqueConstraint('workshop_id', 'organisation_id', name='uq_process_share')
    )
    with op.batch_alter_table('process_share', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_process_share_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_process_share_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('partner_logo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('filename', sa.String(length=80), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['account.id'], name=op.f('fk_partner_logo_uploaded_by_id_account')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_partner_logo_workshop_id_workshop')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_logo'))
    )
    with op.batch_alter_table('partner_logo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_logo_workshop_id'), ['workshop_id'], unique=False)


def downgrade():
    with op.batch_alter_table('partner_logo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_logo_workshop_id'))
    op.drop_table('partner_logo')
    with op.batch_alter_table('process_share', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_process_share_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_process_share_organisation_id'))
    op.drop_table('process_share')
    with op.batch_alter_table('process_trainer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_process_trainer_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_process_trainer_account_id'))
    op.drop_table('process_trainer')
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('consent_wording')
        batch_op.drop_column('eu_statement')
        batch_op.drop_column('eu_funded')
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('active')
    for table in ('workshop', 'account'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_organisation_id_organisation'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_organisation_id'))
            batch_op.drop_column('organisation_id')
    op.drop_table('organisation')
