"""Integrity of what an aios records: a KPB has a status (an aios' KPB is a concept until the
observer confirms it, with at most a proposed level in a column of its own; who entered and who
confirmed it; the remark when sent back), a gesprek holds the stageplan changes of a concept
startgesprek until it is vastgesteld, and a leerdoel holds the status an aios proposes.

Revision ID: 0005
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None

STATUS = sa.Enum("concept", "vastgesteld", name="kpb_status", native_enum=False, create_constraint=True,
                 length=32)
LEERDOEL_STATUS = sa.Enum("gepland", "bezig", "behaald", "bijgesteld", name="leerdoel_proposed_status", native_enum=False,
                          create_constraint=True, length=32)


def upgrade() -> None:
    with op.batch_alter_table("kpb") as batch:
        batch.add_column(sa.Column("status", STATUS, nullable=False, server_default="vastgesteld"))
        batch.add_column(sa.Column("proposed_level", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("entered_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("confirmed_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("confirmed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("return_remark", sa.Text(), nullable=True))
        batch.alter_column("observer_id", existing_type=sa.Integer(), nullable=True)
        batch.alter_column("supervision_level", existing_type=sa.Integer(), nullable=True)
        batch.create_check_constraint("proposed_level", "proposed_level BETWEEN 1 AND 5")
        batch.create_foreign_key("fk_kpb_entered_by_user_account", "user_account", ["entered_by"], ["id"])
        batch.create_foreign_key("fk_kpb_confirmed_by_user_account", "user_account", ["confirmed_by"], ["id"])
    # Every KPB so far was recorded as its observer's: it stays vastgesteld, entered and confirmed by them.
    op.execute("UPDATE kpb SET entered_by = observer_id, confirmed_by = observer_id")
    with op.batch_alter_table("gesprek") as batch:
        batch.add_column(sa.Column("stageplan_proposal", sa.JSON(), nullable=True))
    with op.batch_alter_table("leerdoel") as batch:
        batch.add_column(sa.Column("proposed_status", LEERDOEL_STATUS, nullable=True))
        batch.add_column(sa.Column("proposed_by", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_leerdoel_proposed_by_user_account", "user_account", ["proposed_by"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("leerdoel") as batch:
        batch.drop_constraint("fk_leerdoel_proposed_by_user_account", type_="foreignkey")
        batch.drop_constraint(op.f("ck_leerdoel_leerdoel_proposed_status"), type_="check")
        batch.drop_column("proposed_by")
        batch.drop_column("proposed_status")
    with op.batch_alter_table("gesprek") as batch:
        batch.drop_column("stageplan_proposal")
    # A concept KPB has no observer or level to keep: it goes, like the workflow it belonged to.
    op.execute("DELETE FROM kpb WHERE status = 'concept'")
    with op.batch_alter_table("kpb") as batch:
        batch.drop_constraint("fk_kpb_confirmed_by_user_account", type_="foreignkey")
        batch.drop_constraint("fk_kpb_entered_by_user_account", type_="foreignkey")
        batch.alter_column("supervision_level", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("observer_id", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("return_remark")
        batch.drop_column("confirmed_at")
        batch.drop_column("confirmed_by")
        batch.drop_column("entered_by")
        batch.drop_constraint(op.f("ck_kpb_proposed_level"), type_="check")
        batch.drop_column("proposed_level")
        batch.drop_constraint(op.f("ck_kpb_kpb_status"), type_="check")
        batch.drop_column("status")
