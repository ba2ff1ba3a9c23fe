"""Door devices, the check-in log, walk-in policy and registration source

Revision ID: c3d4e5f6a7b8
Revises: b3c1d2e4f5a6
Create Date: 2026-11-23 21:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "c3d4e5f6a7b8"
down_revision = "b3c1d2e4f5a6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('device',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('pairing_hash', sa.String(length=64), nullable=True),
    sa.Column('pairing_expires_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('paired_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_device')),
    sa.UniqueConstraint('pairing_hash', name=op.f('uq_device_pairing_hash')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_device_token_hash'))
    )
    op.create_table('checkin_scan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('verdict', sa.String(length=30), nullable=False),
    sa.Column('entrance', sa.String(length=100), nullable=False),
    sa.Column('actor_key', sa.String(length=40), nullable=False),
    sa.Column('actor_name', sa.String(length=200), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_checkin_scan_event_id_event')),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_checkin_scan_registration_id_registration')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin_scan')),
    sa.UniqueConstraint('actor_key', 'nonce', name='uq_checkin_scan_actor_nonce')
    )
    with op.batch_alter_table('checkin_scan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_scan_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkin_scan_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkin_scan_registration_id'), ['registration_id'], unique=False)

    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("walk_ins_beyond_capacity", sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table("registration") as batch:
        batch.add_column(sa.Column("source", sa.String(length=20), nullable=False, server_default="rsvp"))


def downgrade():
    with op.batch_alter_table("registration") as batch:
        batch.drop_column("source")
    with op.batch_alter_table("event") as batch:
        batch.drop_column("walk_ins_beyond_capacity")
    op.drop_table("checkin_scan")
    op.drop_table("device")
