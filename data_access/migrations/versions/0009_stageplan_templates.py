"""Stageplan templates per opleiding (versioned; EPA targets and praktijkopdrachten), and on the
stageplan: the template version it came from, its gesprek rhythm and the submit token of the
"Stage toevoegen" form.

Plain ADD COLUMN (SQLite's batch mode would copy and drop the filled stageplan table, which its
foreign keys refuse); SQLite accepts a REFERENCES clause on an added column that may be NULL (and alembic cannot write
one there, hence the plain SQL).

Revision ID: 0009
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stageplan_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opleiding_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kpb_target", sa.Integer(), nullable=False),
        sa.Column("gesprek_interval_weeks", sa.Integer(), nullable=False),
        sa.Column("verslag_days_before", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("submit_token", sa.String(length=64), nullable=True),
        sa.CheckConstraint("kpb_target BETWEEN 0 AND 100", name=op.f("ck_stageplan_template_kpb_target")),
        sa.CheckConstraint("gesprek_interval_weeks IN (1, 2)", name=op.f("ck_stageplan_template_interval")),
        sa.CheckConstraint("verslag_days_before BETWEEN 0 AND 90", name=op.f("ck_stageplan_template_verslag_days")),
        sa.ForeignKeyConstraint(["opleiding_id"], ["opleiding.id"],
                                name=op.f("fk_stageplan_template_opleiding_id_opleiding")),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"],
                                name=op.f("fk_stageplan_template_created_by_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stageplan_template")),
        sa.UniqueConstraint("opleiding_id", "version", name=op.f("uq_stageplan_template_opleiding_id_version")),
        sa.UniqueConstraint("submit_token", name=op.f("uq_stageplan_template_submit_token")),
    )
    op.create_index(op.f("ix_stageplan_template_opleiding_id"), "stageplan_template", ["opleiding_id"])
    op.create_table(
        "template_epa_target",
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("epa_id", sa.Integer(), nullable=False),
        sa.Column("target_level", sa.Integer(), nullable=False),
        sa.CheckConstraint("target_level BETWEEN 1 AND 5", name=op.f("ck_template_epa_target_level")),
        sa.ForeignKeyConstraint(["template_id"], ["stageplan_template.id"],
                                name=op.f("fk_template_epa_target_template_id_stageplan_template")),
        sa.ForeignKeyConstraint(["epa_id"], ["epa.id"], name=op.f("fk_template_epa_target_epa_id_epa")),
        sa.PrimaryKeyConstraint("template_id", "epa_id", name=op.f("pk_template_epa_target")),
    )
    op.create_table(
        "template_opdracht",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("due_days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["template_id"], ["stageplan_template.id"],
                                name=op.f("fk_template_opdracht_template_id_stageplan_template")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_template_opdracht")),
        sa.UniqueConstraint("template_id", "position", name=op.f("uq_template_opdracht_template_id_position")),
    )
    op.create_index(op.f("ix_template_opdracht_template_id"), "template_opdracht", ["template_id"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE stageplan ADD COLUMN template_id INTEGER "
                   "CONSTRAINT fk_stageplan_template_id_stageplan_template REFERENCES stageplan_template (id)")
    else:
        op.add_column("stageplan", sa.Column("template_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_stageplan_template_id_stageplan_template"), "stageplan",
                              "stageplan_template", ["template_id"], ["id"])
    op.add_column("stageplan", sa.Column("gesprek_interval_weeks", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("stageplan", sa.Column("submit_token", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_stageplan_template_id"), "stageplan", ["template_id"])
    op.create_index(op.f("ix_stageplan_submit_token"), "stageplan", ["submit_token"], unique=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f("fk_stageplan_template_id_stageplan_template"), "stageplan", type_="foreignkey")
    op.drop_index(op.f("ix_stageplan_submit_token"), table_name="stageplan")
    op.drop_index(op.f("ix_stageplan_template_id"), table_name="stageplan")
    # SQLite cannot drop a column named in a foreign key: it copies the table without them.
    with op.batch_alter_table("stageplan", recreate="auto") as batch:
        batch.drop_column("submit_token")
        batch.drop_column("gesprek_interval_weeks")
        batch.drop_column("template_id")
    op.drop_index(op.f("ix_template_opdracht_template_id"), table_name="template_opdracht")
    op.drop_table("template_opdracht")
    op.drop_table("template_epa_target")
    op.drop_index(op.f("ix_stageplan_template_opleiding_id"), table_name="stageplan_template")
    op.drop_table("stageplan_template")
