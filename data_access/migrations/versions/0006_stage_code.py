"""A stage can carry the programme office's own key (stagecode), so an import recognises a stage
whose dates changed.

A plain ADD COLUMN / DROP COLUMN and a unique index: SQLite's batch mode would copy and drop the
stage table, which its foreign keys refuse on a filled database.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("stage", sa.Column("code", sa.String(length=64), nullable=True))
    op.create_index("ix_stage_code", "stage", ["code"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_stage_code", table_name="stage")
    op.drop_column("stage", "code")  # SQLite has DROP COLUMN since 3.35
