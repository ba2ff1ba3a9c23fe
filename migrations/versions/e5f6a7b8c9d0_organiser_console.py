"""Organiser console: audit log, mailings, internal notes, anonymisation, registration mode

Revision ID: e5f6a7b8c9d0
Revises: d4e5f6a7b8c9
Create Date: 2026-11-23 21:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "e5f6a7b8c9d0"
down_revision = "d4e5f6a7b8c9"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=100), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry") as batch:
        batch.create_index(batch.f("ix_audit_entry_at"), ["at"], unique=False)
        batch.create_index(batch.f("ix_audit_entry_action"), ["action"], unique=False)
        batch.create_index(batch.f("ix_audit_entry_target"), ["target"], unique=False)
    op.create_table(
        "mailing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subject_nl", sa.String(length=300), nullable=False),
        sa.Column("body_nl", sa.Text(), nullable=False),
        sa.Column("subject_en", sa.String(length=300), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("recipient_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mailing")),
    )
    with op.batch_alter_table("outbox_message") as batch:
        batch.add_column(sa.Column("mailing_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_outbox_message_mailing_id"), ["mailing_id"], unique=False)
    with op.batch_alter_table("registration") as batch:
        batch.add_column(sa.Column("internal_notes", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("anonymised_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("registration_mode", sa.String(length=20), nullable=False, server_default="open"))


def downgrade():
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy of "event" or "registration" would
    # have to drop a table that other tables' foreign keys point at, which SQLite refuses.
    op.drop_column("event", "registration_mode")
    op.drop_column("registration", "anonymised_at")
    op.drop_column("registration", "internal_notes")
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_index(batch.f("ix_outbox_message_mailing_id"))
        batch.drop_column("mailing_id")
    op.drop_table("mailing")
    with op.batch_alter_table("audit_entry") as batch:
        batch.drop_index(batch.f("ix_audit_entry_target"))
        batch.drop_index(batch.f("ix_audit_entry_action"))
        batch.drop_index(batch.f("ix_audit_entry_at"))
    op.drop_table("audit_entry")
