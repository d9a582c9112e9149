"""The opleider's follow-up: notes in an aios' file (opleiders only) and marks that put an aios
on the list for the voortgangsoverleg until they are cleared as discussed.

Revision ID: 0014
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dossier_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("aios_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("submit_token", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["aios_id"], ["aios.id"], name=op.f("fk_dossier_note_aios_id_aios")),
        sa.ForeignKeyConstraint(["author_id"], ["user_account.id"], name=op.f("fk_dossier_note_author_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_note")),
        sa.UniqueConstraint("submit_token", name=op.f("uq_dossier_note_submit_token")),
    )
    with op.batch_alter_table("dossier_note") as batch:
        batch.create_index(batch.f("ix_dossier_note_aios_id"), ["aios_id"], unique=False)
    op.create_table(
        "follow_up_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("aios_id", sa.Integer(), nullable=False),
        sa.Column("discuss_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("marked_by", sa.Integer(), nullable=False),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
        sa.Column("cleared_by", sa.Integer(), nullable=True),
        sa.Column("cleared_at", sa.DateTime(), nullable=True),
        sa.Column("submit_token", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["aios_id"], ["aios.id"], name=op.f("fk_follow_up_mark_aios_id_aios")),
        sa.ForeignKeyConstraint(["marked_by"], ["user_account.id"], name=op.f("fk_follow_up_mark_marked_by_user_account")),
        sa.ForeignKeyConstraint(["cleared_by"], ["user_account.id"], name=op.f("fk_follow_up_mark_cleared_by_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_mark")),
        sa.UniqueConstraint("submit_token", name=op.f("uq_follow_up_mark_submit_token")),
    )
    with op.batch_alter_table("follow_up_mark") as batch:
        batch.create_index(batch.f("ix_follow_up_mark_aios_id"), ["aios_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("follow_up_mark") as batch:
        batch.drop_index(batch.f("ix_follow_up_mark_aios_id"))
    op.drop_table("follow_up_mark")
    with op.batch_alter_table("dossier_note") as batch:
        batch.drop_index(batch.f("ix_dossier_note_aios_id"))
    op.drop_table("dossier_note")
