"""A meeting item remembers the site's status just before its decision, so that a decision
corrected during the meeting is applied to the status the site had, not to the one the
corrected decision gave it (issue 30).

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

STATUS = sa.Enum("actief", "in remediëring", "stopgezet", name="stageplaats_status", native_enum=False,
                 create_constraint=True, length=32)


def upgrade() -> None:
    with op.batch_alter_table("meeting_item") as batch:
        batch.add_column(sa.Column("site_status_before", STATUS, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meeting_item") as batch:
        batch.drop_constraint(op.f("ck_meeting_item_stageplaats_status"), type_="check")
        batch.drop_column("site_status_before")
