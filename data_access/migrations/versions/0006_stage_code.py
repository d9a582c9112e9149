"""A stage can carry the programme office's own key (stagecode), so an import recognises a stage
whose dates changed.

Revision ID: 0006
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stage") as batch:
        batch.add_column(sa.Column("code", sa.String(length=64), nullable=True))
        batch.create_unique_constraint("uq_stage_code", ["code"])


def downgrade() -> None:
    with op.batch_alter_table("stage") as batch:
        batch.drop_constraint("uq_stage_code", type_="unique")
        batch.drop_column("code")
