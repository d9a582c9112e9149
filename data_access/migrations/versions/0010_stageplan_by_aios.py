"""The stageplan written by the aios: a leerdoel holds why and concrete steps besides what, a
version (a change after approval waits in `draft` until the begeleider approves it) and whether
it waits for its first approval; its history keeps each whole version and what happened. The
stageplan records when it was offered for approval and the remark when it was sent back. A
praktijkopdracht is gepland, bezig, afgerond or beoordeeld ('open' becomes 'gepland').

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

CANMEDS = sa.Enum("Medisch deskundige", "Communicator", "Samenwerker", "Leider", "Gezondheidsbevorderaar",
                  "Academicus", "Professional", name="canmeds_role", native_enum=False, create_constraint=True,
                  length=32)
OPDRACHT_CHECK = "ck_praktijkopdracht_opdracht_status"


def _opdracht_statuses(old: str, new: str, values: tuple[str, ...]) -> None:
    with op.batch_alter_table("praktijkopdracht") as batch:
        batch.drop_constraint(op.f(OPDRACHT_CHECK), type_="check")
    op.execute(sa.text("UPDATE praktijkopdracht SET status = :new WHERE status = :old").bindparams(old=old, new=new))
    listed = ", ".join(f"'{v}'" for v in values)  # our own fixed vocabulary, not input
    with op.batch_alter_table("praktijkopdracht") as batch:
        batch.create_check_constraint(op.f(OPDRACHT_CHECK), f"status IN ({listed})")


def upgrade() -> None:
    with op.batch_alter_table("stageplan") as batch:
        batch.add_column(sa.Column("offered_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("return_remark", sa.Text(), nullable=True))
    with op.batch_alter_table("leerdoel") as batch:
        batch.add_column(sa.Column("why", sa.Text(), nullable=True))
        batch.add_column(sa.Column("steps", sa.Text(), nullable=True))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("awaiting_approval", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("draft", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("submit_token", sa.String(length=64), nullable=True))
        batch.create_unique_constraint("uq_leerdoel_submit_token", ["submit_token"])
    with op.batch_alter_table("leerdoel_history") as batch:
        batch.add_column(sa.Column("why", sa.Text(), nullable=True))
        batch.add_column(sa.Column("steps", sa.Text(), nullable=True))
        batch.add_column(sa.Column("target_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("canmeds_role", CANMEDS, nullable=True))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("event", sa.String(length=32), nullable=True))
    _opdracht_statuses("open", "gepland", ("gepland", "bezig", "afgerond", "beoordeeld"))


def downgrade() -> None:
    op.execute("UPDATE praktijkopdracht SET status = 'afgerond' WHERE status = 'beoordeeld'")
    _opdracht_statuses("gepland", "open", ("open", "bezig", "afgerond"))
    with op.batch_alter_table("leerdoel_history") as batch:
        batch.drop_constraint(op.f("ck_leerdoel_history_canmeds_role"), type_="check")
        for column in ("event", "version", "canmeds_role", "target_date", "steps", "why"):
            batch.drop_column(column)
    with op.batch_alter_table("leerdoel") as batch:
        batch.drop_constraint("uq_leerdoel_submit_token", type_="unique")
        for column in ("submit_token", "draft", "awaiting_approval", "version", "steps", "why"):
            batch.drop_column(column)
    with op.batch_alter_table("stageplan") as batch:
        batch.drop_column("return_remark")
        batch.drop_column("offered_at")
