"""Stageplaats ratings by aios: only in aggregate, and only from n ≥ the anonymity threshold.

The suppression happens here, in SQL, so no page, export or notebook can show a mean, a year
point or a comment of fewer ratings than the threshold: below it the number is not fetched.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, and_, case, extract, func, select

from data_access.frames import enum_values, read_frame
from data_access.models import Aios, Stage, Stageplaats, StageplaatsRating
from data_access.scope import individual_stage_condition, rated_stageplaats_ids
from data_access.viewer import Viewer

DIMENSIONS = ("leermogelijkheden", "leerklimaat", "begeleiding")


def _guarded_means(n, threshold: int):
    return [
        case((n >= threshold, func.avg(getattr(StageplaatsRating, d) * 1.0))).label(d)
        for d in DIMENSIONS
    ]


def load_stageplaats_ratings(
    engine: Engine,
    viewer: Viewer,
    *,
    threshold: int,
    opleiding_id: int | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """Per stageplaats the number of ratings and, from `threshold` on, the mean per dimension.

    Every visible stageplaats is listed, also with n = 0. Columns: stageplaats_id, stageplaats,
    organisation, discipline, region, status, n, leermogelijkheden, leerklimaat, begeleiding
    (NULL below the threshold), enough (n ≥ threshold).
    """
    rating_filter = [StageplaatsRating.stage_id == Stage.id]
    if year is not None:
        rating_filter.append(
            StageplaatsRating.submitted_at.between(dt.date(year, 1, 1), dt.date(year, 12, 31))
        )
    n = func.count(StageplaatsRating.id)
    stmt = (
        select(
            Stageplaats.id.label("stageplaats_id"),
            Stageplaats.name.label("stageplaats"),
            Stageplaats.organisation,
            Stageplaats.discipline,
            Stageplaats.region,
            Stageplaats.status,
            n.label("n"),
            *_guarded_means(n, threshold),
        )
        .outerjoin(Stage, Stage.stageplaats_id == Stageplaats.id)
        .outerjoin(StageplaatsRating, and_(*rating_filter))
        .where(Stageplaats.id.in_(rated_stageplaats_ids(viewer)))
        .group_by(
            Stageplaats.id,
            Stageplaats.name,
            Stageplaats.organisation,
            Stageplaats.discipline,
            Stageplaats.region,
            Stageplaats.status,
        )
        .order_by(Stageplaats.name)
    )
    if opleiding_id is not None:
        stmt = stmt.where(Stageplaats.opleiding_id == opleiding_id)
    frame = enum_values(read_frame(engine, stmt), "status")
    frame["enough"] = frame["n"] >= threshold
    return frame


def load_stageplaats_rating_trend(
    engine: Engine,
    viewer: Viewer,
    *,
    threshold: int,
    stageplaats_ids: tuple[int, ...] | None = None,
) -> pd.DataFrame:
    """Per stageplaats and calendar year of rating: n and, from `threshold` on, the means.

    A year with fewer ratings than the threshold shows its n only: a year split must not isolate
    a handful of aios. Columns: stageplaats_id, year, n, leermogelijkheden, leerklimaat,
    begeleiding, enough.
    """
    year = extract("year", StageplaatsRating.submitted_at)
    n = func.count(StageplaatsRating.id)
    stmt = (
        select(
            Stage.stageplaats_id,
            year.label("year"),
            n.label("n"),
            *_guarded_means(n, threshold),
        )
        .join(Stage, Stage.id == StageplaatsRating.stage_id)
        .where(Stage.stageplaats_id.in_(rated_stageplaats_ids(viewer)))
        .group_by(Stage.stageplaats_id, year)
        .order_by(Stage.stageplaats_id, year)
    )
    if stageplaats_ids:
        stmt = stmt.where(Stage.stageplaats_id.in_(stageplaats_ids))
    frame = read_frame(engine, stmt)
    frame["year"] = frame["year"].astype(int)
    frame["enough"] = frame["n"] >= threshold
    return frame


def load_stageplaats_comments(
    engine: Engine, viewer: Viewer, *, stageplaats_id: int, threshold: int
) -> list[str]:
    """The free-text comments of a stageplaats, only when it has ≥ threshold ratings.

    Without name, date or stage period, sorted by text so the order does not follow submission.
    """
    visible = Stage.stageplaats_id.in_(rated_stageplaats_ids(viewer))
    with engine.connect() as conn:
        n = conn.execute(
            select(func.count(StageplaatsRating.id))
            .join(Stage, Stage.id == StageplaatsRating.stage_id)
            .where(visible, Stage.stageplaats_id == stageplaats_id)
        ).scalar_one()
        if n < threshold:
            return []
        return list(
            conn.execute(
                select(StageplaatsRating.comment)
                .join(Stage, Stage.id == StageplaatsRating.stage_id)
                .where(
                    visible,
                    Stage.stageplaats_id == stageplaats_id,
                    func.length(func.trim(StageplaatsRating.comment)) > 0,
                )
                .order_by(StageplaatsRating.comment)
            ).scalars()
        )


def load_own_ratings(engine: Engine, viewer: Viewer) -> pd.DataFrame:
    """The ratings the viewer gave themself (an aios), one per stage they did.

    Columns: stage_id, stageplaats, start_date, end_date, leermogelijkheden, leerklimaat,
    begeleiding, comment, submitted_at.
    """
    stmt = (
        select(
            Stage.id.label("stage_id"),
            Stageplaats.name.label("stageplaats"),
            Stage.start_date,
            Stage.end_date,
            *[getattr(StageplaatsRating, d) for d in DIMENSIONS],
            StageplaatsRating.comment,
            StageplaatsRating.submitted_at,
        )
        .join(Stage, Stage.id == StageplaatsRating.stage_id)
        .join(Aios, Aios.id == Stage.aios_id)
        .join(Stageplaats, Stageplaats.id == Stage.stageplaats_id)
        .where(Aios.user_id == viewer.user_id, individual_stage_condition(viewer))
        .order_by(Stage.start_date)
    )
    return read_frame(engine, stmt)
