"""Feedback moments indexed by (stage, date, kind, asked_by_aios) instead of (stage, date): every
feedback figure (per week, per stageplaats, per begeleider, the trend) counts moments of a set of
stages up to today by kind and by who asked, and now reads them from the index alone (issue 19:
about a third less time for these queries at national scale). The old index is a prefix of the
new one, so it goes.

Revision ID: 0016
Revises: 0013
"""

from alembic import op

revision = "0016"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_feedback_moment_stage_date_kind", "feedback_moment",
                    ["stage_id", "date", "kind", "asked_by_aios"])
    op.drop_index("ix_feedback_moment_stage_date", table_name="feedback_moment")


def downgrade() -> None:
    op.create_index("ix_feedback_moment_stage_date", "feedback_moment", ["stage_id", "date"])
    op.drop_index("ix_feedback_moment_stage_date_kind", table_name="feedback_moment")
