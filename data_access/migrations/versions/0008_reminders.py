"""E-mail reminders: each user's choice per kind, and the record of what was mailed (whose
unique constraint makes a reminder go out once across runs and servers).

Revision ID: 0008
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0004"
branch_labels = None
depends_on = None

KINDS = ("gesprek achter", "verslag vaststellen", "verslag teruggestuurd", "stageverslag",
         "stageplaats beoordelen", "signalen")


def _kind() -> sa.Enum:
    return sa.Enum(*KINDS, name="reminder_kind", native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "reminder_preference",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", _kind(), nullable=False),
        sa.Column("frequency", sa.Enum("direct", "wekelijks", "uit", name="reminder_frequency", native_enum=False,
                                       create_constraint=True, length=32), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_reminder_preference_user_id_user_account")),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_reminder_preference")),
    )
    op.create_table(
        "reminder_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", _kind(), nullable=False),
        sa.Column("thing_key", sa.String(length=200), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_reminder_sent_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_sent")),
        sa.UniqueConstraint("user_id", "kind", "thing_key", name=op.f("uq_reminder_sent_user_id_kind_thing_key")),
    )
    with op.batch_alter_table("reminder_sent") as batch:
        batch.create_index(batch.f("ix_reminder_sent_sent_at"), ["sent_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reminder_sent") as batch:
        batch.drop_index(batch.f("ix_reminder_sent_sent_at"))
    op.drop_table("reminder_sent")
    op.drop_table("reminder_preference")
