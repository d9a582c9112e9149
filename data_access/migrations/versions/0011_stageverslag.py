"""The stageverslag in the app: every saved version (text or an uploaded PDF or Word file), which
versions were handed in, and who read one when. Whether and when the verslag was handed in stays
`stageplan.verslag_handed_in`.

Revision ID: 0011
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stageverslag_versie",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("tekst", "PDF", "Word", name="verslag_kind", native_enum=False,
                                  create_constraint=True, length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("submit_token", sa.String(length=64), nullable=True),
        sa.Column("handed_in_on", sa.Date(), nullable=True),
        sa.Column("read_on", sa.Date(), nullable=True),
        sa.Column("read_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["stage_id"], ["stage.id"], name=op.f("fk_stageverslag_versie_stage_id_stage")),
        sa.ForeignKeyConstraint(["author_id"], ["user_account.id"],
                                name=op.f("fk_stageverslag_versie_author_id_user_account")),
        sa.ForeignKeyConstraint(["read_by"], ["user_account.id"],
                                name=op.f("fk_stageverslag_versie_read_by_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stageverslag_versie")),
        sa.UniqueConstraint("stage_id", "version", name=op.f("uq_stageverslag_versie_stage_id_version")),
        sa.UniqueConstraint("submit_token", name=op.f("uq_stageverslag_versie_submit_token")),
    )


def downgrade() -> None:
    op.drop_table("stageverslag_versie")
