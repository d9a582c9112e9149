"""One data version per area of data instead of one for the whole database, so a write makes
only the caches that read its area miss (issue 19). Every area starts at the old version.

Revision ID: 0015
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0012"
branch_labels = None
depends_on = None

# The areas of data_access.audit.DATA_AREAS at this revision (a migration does not import app code).
AREAS = ("structure", "progress", "feedback", "rubric_scores", "ratings", "decisions")


def upgrade() -> None:
    old = op.get_bind().execute(sa.text("SELECT COALESCE(MAX(version), 0) FROM data_version")).scalar_one()
    op.drop_table("data_version")
    table = op.create_table(
        "data_version",
        sa.Column("area", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("area", name=op.f("pk_data_version")),
    )
    op.bulk_insert(table, [{"area": area, "version": old} for area in AREAS])


def downgrade() -> None:
    old = op.get_bind().execute(sa.text("SELECT COALESCE(MAX(version), 0) FROM data_version")).scalar_one()
    op.drop_table("data_version")
    table = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.bulk_insert(table, [{"id": 1, "version": old}])
