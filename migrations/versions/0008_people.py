"""people: one person across a process (keys, badges, consent, merges); joinings and photos point at them

Every existing joining (participant row) becomes its own person, with the same id, its name,
role, language and quote consent: nothing is merged silently. The audit log names people.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 08:00:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# The badge alphabet of workshops/people.py (no 0/O, 1/I/L, 2/Z, 5/S, 8/B).
BADGE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def upgrade():
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('display_name', sa.String(length=60), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('quote_consent', sa.String(length=10), nullable=False),
    sa.Column('photo_consent', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('consent_asked_at', sa.DateTime(), nullable=True),
    sa.Column('badge_code', sa.String(length=12), nullable=False),
    sa.Column('key_nonce', sa.String(length=32), nullable=False),
    sa.Column('without_device', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('erased_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['merged_into_id'], ['person.id'], name=op.f('fk_person_merged_into_id_person')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_person_workshop_id_workshop')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('badge_code', name=op.f('uq_person_badge_code'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_workshop_id'), ['workshop_id'], unique=False)

    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('origin_person_id', sa.Integer(), nullable=True))

    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))

    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, workshop_id, display_name, role, language, quote_consent, erased_at,"
        " created_at FROM participant ORDER BY id"
    )).all()
    person = sa.table(
        'person', *(sa.column(name) for name in (
            'id', 'workshop_id', 'display_name', 'role', 'language', 'quote_consent',
            'photo_consent', 'badge_code', 'key_nonce', 'without_device', 'erased_at',
            'created_at',
        ))
    )
    badges = set()
    for row in rows:
        badge = None
        while badge is None or badge in badges:
            badge = "".join(secrets.choice(BADGE_ALPHABET) for _ in range(8))
        badges.add(badge)
        connection.execute(person.insert().values(
            id=row.id, workshop_id=row.workshop_id, display_name=row.display_name,
            role=row.role, language=row.language, quote_consent=row.quote_consent or "internal",
            photo_consent=False, badge_code=badge, key_nonce=secrets.token_hex(16),
            without_device=False, erased_at=row.erased_at, created_at=row.created_at,
        ))
    connection.execute(sa.text("UPDATE participant SET person_id = id, origin_person_id = id"))
    connection.execute(sa.text(
        "UPDATE audit_entry SET person_id = participant_id WHERE participant_id IS NOT NULL"
    ))
    if connection.dialect.name == "postgresql" and rows:
        connection.execute(sa.text(
            "SELECT setval(pg_get_serial_sequence('person', 'id'), (SELECT max(id) FROM person))"
        ))

    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.alter_column('person_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('origin_person_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_participant_person_id'), ['person_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_participant_person_id_person'), 'person', ['person_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_participant_origin_person_id_person'), 'person', ['origin_person_id'], ['id'])
        batch_op.drop_column('quote_consent')

    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_audit_entry_person_id_person'), 'person', ['person_id'], ['id'])

    # Who can be recognised in a photo: people, not joinings (the ids are the same here).
    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.alter_column('participant_ids', new_column_name='person_ids',
                              existing_type=sa.JSON(), existing_nullable=False,
                              existing_server_default='[]')


def downgrade():
    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.alter_column('person_ids', new_column_name='participant_ids',
                              existing_type=sa.JSON(), existing_nullable=False,
                              existing_server_default='[]')

    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audit_entry_person_id_person'), type_='foreignkey')
        batch_op.drop_column('person_id')

    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quote_consent', sa.String(length=10), nullable=True))

    # Each joining takes back its person's consent.
    op.execute(
        "UPDATE participant SET quote_consent ="
        " (SELECT quote_consent FROM person WHERE person.id = participant.person_id)"
    )

    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.alter_column('quote_consent', existing_type=sa.String(length=10), nullable=False)
        batch_op.drop_constraint(batch_op.f('fk_participant_origin_person_id_person'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_participant_person_id_person'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_participant_person_id'))
        batch_op.drop_column('origin_person_id')
        batch_op.drop_column('person_id')

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_workshop_id'))

    op.drop_table('person')
