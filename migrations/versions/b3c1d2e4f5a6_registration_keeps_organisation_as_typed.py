"""Registration keeps the organisation's name and type as the person gave them

Revision ID: b3c1d2e4f5a6
Revises: 76b734ea0094
Create Date: 2026-11-23 19:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = "b3c1d2e4f5a6"
down_revision = "76b734ea0094"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registration") as batch:
        batch.add_column(sa.Column("organisation_name", sa.String(length=200), nullable=False, server_default=""))
        batch.add_column(sa.Column("organisation_type", sa.String(length=40), nullable=False, server_default="other"))
    # Existing rows: take the matched organisation's name and type.
    op.execute("UPDATE registration SET organisation_name = (SELECT name FROM organisation WHERE organisation.id = registration.organisation_id), "
               "organisation_type = (SELECT type FROM organisation WHERE organisation.id = registration.organisation_id)")


def downgrade():
    with op.batch_alter_table("registration") as batch:
        batch.drop_column("organisation_type")
        batch.drop_column("organisation_name")
