"""A begeleider can send a draft verslag back with a remark; quick entries (KPB, feedback
moment) get an idempotent submit token like gesprekken.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("gesprek") as batch:
        batch.add_column(sa.Column("return_remark", sa.Text(), nullable=True))
    for table in ("kpb", "feedback_moment"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("submit_token", sa.String(length=64), nullable=True))
            batch.create_unique_constraint(f"uq_{table}_submit_token", ["submit_token"])


def downgrade() -> None:
    for table in ("kpb", "feedback_moment"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"uq_{table}_submit_token", type_="unique")
            batch.drop_column("submit_token")
    with op.batch_alter_table("gesprek") as batch:
        batch.drop_column("return_remark")
