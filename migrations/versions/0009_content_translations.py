"""content translations: the trainer's and groups' words in every language of the process

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 09:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('content_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=30), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('translator_name', sa.String(length=120), nullable=False),
    sa.Column('translator_role', sa.String(length=20), nullable=False),
    sa.Column('translator_participant_id', sa.Integer(), nullable=True),
    sa.Column('translator_account_id', sa.Integer(), nullable=True),
    sa.Column('machine', sa.Boolean(), nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['workshop_session.id'], name=op.f('fk_content_translation_session_id_workshop_session')),
    sa.ForeignKeyConstraint(['translator_account_id'], ['account.id'], name=op.f('fk_content_translation_translator_account_id_account')),
    sa.ForeignKeyConstraint(['translator_participant_id'], ['participant.id'], name=op.f('fk_content_translation_translator_participant_id_participant')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_content_translation_workshop_id_workshop')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_translation')),
    sa.UniqueConstraint('subject', 'subject_id', 'field', 'language', name='uq_content_translation')
    )
    with op.batch_alter_table('content_translation', schema=None) as batch_op:
        batch_op.create_index('ix_content_translation_subject', ['subject', 'subject_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_content_translation_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_content_translation_workshop_id'), ['workshop_id'], unique=False)


def downgrade():
    with op.batch_alter_table('content_translation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_content_translation_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_content_translation_session_id'))
        batch_op.drop_index('ix_content_translation_subject')

    op.drop_table('content_translation')
