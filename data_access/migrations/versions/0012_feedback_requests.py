"""Feedback requests: the aios asks a begeleider of their stage for feedback or a KPB (seed 003),
and a reminder kind for the begeleider's open requests.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

OLD_KINDS = ("gesprek achter", "verslag vaststellen", "verslag teruggestuurd", "stageverslag",
             "stageplaats beoordelen", "signalen")
NEW_KINDS = OLD_KINDS + ("feedbackvragen",)


def _kinds_check(kinds: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def _set_kinds(kinds: tuple[str, ...]) -> None:
    """The reminder_kind CHECK of both reminder tables, with these values."""
    for table in ("reminder_preference", "reminder_sent"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"ck_{table}_reminder_kind"), type_="check")
            batch.create_check_constraint("reminder_kind", _kinds_check(kinds))


def upgrade() -> None:
    op.create_table(
        "feedback_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("begeleider_id", sa.Integer(), nullable=False),
        sa.Column("asked_by", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("KPB", "feedback", name="feedback_request_kind", native_enum=False,
                                  create_constraint=True, length=32), nullable=False),
        sa.Column("epa_id", sa.Integer(), nullable=True),
        sa.Column("topic", sa.String(length=300), nullable=True),
        sa.Column("wished_date", sa.Date(), nullable=True),
        sa.Column("asked_on", sa.Date(), nullable=False),
        sa.Column("submit_token", sa.String(length=64), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("kpb_id", sa.Integer(), nullable=True),
        sa.Column("feedback_moment_id", sa.Integer(), nullable=True),
        sa.Column("declined_on", sa.Date(), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["stage_id"], ["stage.id"], name=op.f("fk_feedback_request_stage_id_stage")),
        sa.ForeignKeyConstraint(["begeleider_id"], ["stagebegeleider.id"],
                                name=op.f("fk_feedback_request_begeleider_id_stagebegeleider")),
        sa.ForeignKeyConstraint(["asked_by"], ["user_account.id"],
                                name=op.f("fk_feedback_request_asked_by_user_account")),
        sa.ForeignKeyConstraint(["epa_id"], ["epa.id"], name=op.f("fk_feedback_request_epa_id_epa")),
        sa.ForeignKeyConstraint(["kpb_id"], ["kpb.id"], name=op.f("fk_feedback_request_kpb_id_kpb")),
        sa.ForeignKeyConstraint(["feedback_moment_id"], ["feedback_moment.id"],
                                name=op.f("fk_feedback_request_feedback_moment_id_feedback_moment")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_request")),
        sa.UniqueConstraint("submit_token", name=op.f("uq_feedback_request_submit_token")),
    )
    with op.batch_alter_table("feedback_request") as batch:
        batch.create_index(batch.f("ix_feedback_request_stage_id"), ["stage_id"], unique=False)
        batch.create_index("ix_feedback_request_begeleider_open", ["begeleider_id", "answered_on", "declined_on"],
                           unique=False)
    _set_kinds(NEW_KINDS)


def downgrade() -> None:
    for table in ("reminder_preference", "reminder_sent"):
        op.execute(sa.text(f"DELETE FROM {table} WHERE kind = 'feedbackvragen'"))
    _set_kinds(OLD_KINDS)
    with op.batch_alter_table("feedback_request") as batch:
        batch.drop_index("ix_feedback_request_begeleider_open")
        batch.drop_index(batch.f("ix_feedback_request_stage_id"))
    op.drop_table("feedback_request")
