"""Signing partners and the signature evidence chain; pledge version numbers

Revision ID: d4e5f6a7b8c9
Revises: c3d4e5f6a7b8
Create Date: 2026-11-23 21:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "d4e5f6a7b8c9"
down_revision = "c3d4e5f6a7b8"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('partner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('running_order', sa.Integer(), nullable=True),
    sa.Column('paper_signed_at', sa.DateTime(), nullable=True),
    sa.Column('paper_scan', sa.LargeBinary(), nullable=True),
    sa.Column('paper_scan_type', sa.String(length=40), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_partner_event_id_event')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_partner_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner')),
    sa.UniqueConstraint('organisation_id', name=op.f('uq_partner_organisation_id'))
    )
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_event_id'), ['event_id'], unique=False)

    op.create_table('signature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('signer_name', sa.String(length=200), nullable=False),
    sa.Column('signer_function', sa.String(length=200), nullable=False),
    sa.Column('pledge_version_id', sa.Integer(), nullable=False),
    sa.Column('pledge_sha256', sa.String(length=64), nullable=False),
    sa.Column('image_png', sa.LargeBinary(), nullable=True),
    sa.Column('strokes', sa.Text(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('device_name', sa.String(length=100), nullable=False),
    sa.Column('user_name', sa.String(length=200), nullable=False),
    sa.Column('client_ip', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=500), nullable=False),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('record_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['corrects_id'], ['signature.id'], name=op.f('fk_signature_corrects_id_signature')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_signature_event_id_event')),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_signature_partner_id_partner')),
    sa.ForeignKeyConstraint(['pledge_version_id'], ['pledge_version.id'], name=op.f('fk_signature_pledge_version_id_pledge_version')),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_signature_registration_id_registration')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signature')),
    sa.UniqueConstraint('record_hash', name=op.f('uq_signature_record_hash')),
    sa.UniqueConstraint('sequence', name=op.f('uq_signature_sequence'))
    )
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signature_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signature_partner_id'), ['partner_id'], unique=False)

    with op.batch_alter_table("pledge_version") as batch:
        batch.add_column(sa.Column("number", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("created_by", sa.String(length=200), nullable=False, server_default=""))

    with op.batch_alter_table("partner") as batch:
        batch.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f("fk_partner_merged_into_id_partner"), "partner", ["merged_into_id"], ["id"])

    op.create_table("partner_log",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("partner_id", sa.Integer(), nullable=False),
    sa.Column("at", sa.DateTime(), nullable=False),
    sa.Column("action", sa.String(length=40), nullable=False),
    sa.Column("actor", sa.String(length=200), nullable=False),
    sa.Column("detail", sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(["partner_id"], ["partner.id"], name=op.f("fk_partner_log_partner_id_partner")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_log"))
    )
    with op.batch_alter_table("partner_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partner_log_partner_id"), ["partner_id"], unique=False)

    op.create_table("wall_link",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("event_id", sa.Integer(), nullable=False),
    sa.Column("secret", sa.String(length=40), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_wall_link_event_id_event")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_wall_link")),
    sa.UniqueConstraint("event_id", name=op.f("uq_wall_link_event_id")),
    sa.UniqueConstraint("secret", name=op.f("uq_wall_link_secret"))
    )


def downgrade():
    op.drop_table("wall_link")
    op.drop_table("partner_log")
    with op.batch_alter_table("pledge_version") as batch:
        batch.drop_column("created_by")
        batch.drop_column("number")
    op.drop_table("signature")
    op.drop_table("partner")
