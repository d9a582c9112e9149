"""Ratings are released in batches: a release table and a release id per rating.

Ratings that exist before this migration were already shown live, per calendar year of
submission; they are released as they were shown, one release per stageplaats and year
(released at the last submission date of that year), so every figure keeps its value. Audit
rows of ratings lose their entity id, which tied a rating (and so a stage and site) to an aios.

Revision ID: 0003
Revises: 0002
"""

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rating_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stageplaats_id", sa.Integer(), nullable=False),
        sa.Column("released_at", sa.DateTime(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["stageplaats_id"], ["stageplaats.id"],
                                name=op.f("fk_rating_release_stageplaats_id_stageplaats")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_release")),
    )
    with op.batch_alter_table("rating_release") as batch:
        batch.create_index(batch.f("ix_rating_release_stageplaats_id"), ["stageplaats_id"], unique=False)
    with op.batch_alter_table("stageplaats_rating") as batch:
        batch.add_column(sa.Column("release_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_stageplaats_rating_release_id_rating_release"), "rating_release",
                                 ["release_id"], ["id"])
        batch.create_index(batch.f("ix_stageplaats_rating_release_id"), ["release_id"], unique=False)
    _release_existing_ratings()
    op.execute(sa.text("UPDATE audit_log SET entity_id = NULL WHERE entity = 'stageplaats_beoordeling'"))


def _release_existing_ratings() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT r.id, s.stageplaats_id, r.submitted_at FROM stageplaats_rating r "
        "JOIN stage s ON s.id = r.stage_id ORDER BY s.stageplaats_id, r.submitted_at, r.id"
    )).all()
    groups: dict[tuple[int, int], list] = defaultdict(list)
    for rating_id, site, submitted in rows:
        if isinstance(submitted, str):  # SQLite hands back the ISO text
            submitted = dt.date.fromisoformat(submitted[:10])
        groups[(site, submitted.year)].append((rating_id, submitted))
    release = sa.table("rating_release", sa.column("id", sa.Integer), sa.column("stageplaats_id", sa.Integer),
                       sa.column("released_at", sa.DateTime), sa.column("size", sa.Integer))
    rating = sa.table("stageplaats_rating", sa.column("id", sa.Integer), sa.column("release_id", sa.Integer))
    for (site, _year), members in groups.items():
        last = max(d for _, d in members)
        release_id = conn.execute(
            release.insert().values(stageplaats_id=site, released_at=dt.datetime.combine(last, dt.time()),
                                    size=len(members)).returning(release.c.id)
        ).scalar_one()
        conn.execute(rating.update().where(rating.c.id.in_([i for i, _ in members])).values(release_id=release_id))


def downgrade() -> None:
    with op.batch_alter_table("stageplaats_rating") as batch:
        batch.drop_index(batch.f("ix_stageplaats_rating_release_id"))
        batch.drop_constraint(op.f("fk_stageplaats_rating_release_id_rating_release"), type_="foreignkey")
        batch.drop_column("release_id")
    with op.batch_alter_table("rating_release") as batch:
        batch.drop_index(batch.f("ix_rating_release_stageplaats_id"))
    op.drop_table("rating_release")
