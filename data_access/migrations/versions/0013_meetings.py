"""The stagecommissie's meetings: a meeting (date, chair, attendees, notes, status) and its
agenda items (site, order, why on the agenda, outcome, the decision taken).

Revision ID: 0013
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0010"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opleiding_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("chair", sa.String(length=200), nullable=False),
        sa.Column("attendees", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("status", _enum("meeting_status", "voorbereid", "bezig", "gesloten"), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("submit_token", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["opleiding_id"], ["opleiding.id"], name=op.f("fk_meeting_opleiding_id_opleiding")),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"], name=op.f("fk_meeting_created_by_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
        sa.UniqueConstraint("submit_token", name=op.f("uq_meeting_submit_token")),
    )
    with op.batch_alter_table("meeting") as batch:
        batch.create_index(batch.f("ix_meeting_opleiding_id"), ["opleiding_id"], unique=False)
    op.create_table(
        "meeting_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("stageplaats_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("reason", _enum("agenda_reason", "opvolging verlopen", "signaal", "handmatig toegevoegd"),
                  nullable=False),
        sa.Column("status", _enum("item_status", "te bespreken", "besproken", "besluit"), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("submit_token", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], name=op.f("fk_meeting_item_meeting_id_meeting")),
        sa.ForeignKeyConstraint(["stageplaats_id"], ["stageplaats.id"],
                                name=op.f("fk_meeting_item_stageplaats_id_stageplaats")),
        sa.ForeignKeyConstraint(["decision_id"], ["committee_decision.id"],
                                name=op.f("fk_meeting_item_decision_id_committee_decision")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_item")),
        sa.UniqueConstraint("meeting_id", "stageplaats_id", name=op.f("uq_meeting_item_meeting_id_stageplaats_id")),
        sa.UniqueConstraint("submit_token", name=op.f("uq_meeting_item_submit_token")),
    )
    with op.batch_alter_table("meeting_item") as batch:
        batch.create_index(batch.f("ix_meeting_item_meeting_id"), ["meeting_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("meeting_item") as batch:
        batch.drop_index(batch.f("ix_meeting_item_meeting_id"))
    op.drop_table("meeting_item")
    with op.batch_alter_table("meeting") as batch:
        batch.drop_index(batch.f("ix_meeting_opleiding_id"))
    op.drop_table("meeting")
