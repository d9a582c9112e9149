"""Rubric score distributions and per-rater aggregates.

Every query fixes one rubric version and one moment: formative (tussentijds) and summative
(eind) scores, and scores on different versions, are never pooled in one result.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, and_, func, select

from data_access.frames import enum_values, read_frame
from data_access.models import (
    Aios,
    Beoordeling,
    Moment,
    RaterKind,
    Rubric,
    RubricCriterion,
    RubricLevel,
    RubricScore,
    Stage,
    UserAccount,
)
from data_access.scope import aggregate_stage_condition, viewer_opleiding_ids
from data_access.viewer import Viewer


def _beoordeling_filter(
    viewer: Viewer,
    rubric_id: int,
    moment: Moment,
    rater_kind: RaterKind | None,
    cohort_ids: tuple[int, ...] | None,
    stageplaats_ids: tuple[int, ...] | None,
    period: tuple[dt.date, dt.date] | None,
):
    stages = select(Stage.id).join(Aios, Aios.id == Stage.aios_id).where(
        aggregate_stage_condition(viewer)
    )
    if cohort_ids:
        stages = stages.where(Aios.cohort_id.in_(cohort_ids))
    if stageplaats_ids:
        stages = stages.where(Stage.stageplaats_id.in_(stageplaats_ids))
    conditions = [
        Beoordeling.rubric_id == rubric_id,
        Beoordeling.moment == moment,
        Beoordeling.stage_id.in_(stages),
    ]
    if rater_kind is not None:
        conditions.append(Beoordeling.rater_kind == rater_kind)
    if period is not None:
        conditions.append(Beoordeling.date.between(*period))
    return and_(*conditions)


def load_rubric_distribution(
    engine: Engine,
    viewer: Viewer,
    *,
    rubric_id: int,
    moment: Moment,
    rater_kind: RaterKind | None = RaterKind.BEGELEIDER,
    cohort_ids: tuple[int, ...] | None = None,
    stageplaats_ids: tuple[int, ...] | None = None,
    period: tuple[dt.date, dt.date] | None = None,
) -> pd.DataFrame:
    """Counts per criterion × level, every level present (0 where none), with n per criterion.

    Columns: rubric, version, moment, criterion_id, position, criterion, canmeds_role, score,
    label, count, n, share (count / n, NaN when n = 0).
    """
    where = _beoordeling_filter(
        viewer, rubric_id, moment, rater_kind, cohort_ids, stageplaats_ids, period
    )
    counts = (
        select(RubricScore.criterion_id, RubricScore.score, func.count().label("count"))
        .join(Beoordeling, Beoordeling.id == RubricScore.beoordeling_id)
        .where(where)
        .group_by(RubricScore.criterion_id, RubricScore.score)
        .subquery()
    )
    count = func.coalesce(counts.c.count, 0)
    stmt = (
        select(
            Rubric.name.label("rubric"),
            Rubric.version,
            RubricCriterion.id.label("criterion_id"),
            RubricCriterion.position,
            RubricCriterion.name.label("criterion"),
            RubricCriterion.canmeds_role,
            RubricLevel.score,
            RubricLevel.label,
            count.label("count"),
            func.sum(count).over(partition_by=RubricCriterion.id).label("n"),
        )
        .join(Rubric, Rubric.id == RubricCriterion.rubric_id)
        .join(RubricLevel, RubricLevel.rubric_id == Rubric.id)
        .outerjoin(
            counts,
            and_(
                counts.c.criterion_id == RubricCriterion.id, counts.c.score == RubricLevel.score
            ),
        )
        .where(Rubric.id == rubric_id)
        .order_by(RubricCriterion.position, RubricLevel.score)
    )
    frame = enum_values(read_frame(engine, stmt), "canmeds_role")
    frame.insert(2, "moment", moment.value)
    frame["n"] = frame["n"].astype(int)
    frame["share"] = frame["count"] / frame["n"].where(frame["n"] > 0)
    return frame


def load_rater_scores(
    engine: Engine,
    viewer: Viewer,
    *,
    rubric_id: int,
    moment: Moment,
    cohort_ids: tuple[int, ...] | None = None,
    stageplaats_ids: tuple[int, ...] | None = None,
    period: tuple[dt.date, dt.date] | None = None,
) -> pd.DataFrame:
    """Per begeleider-beoordelaar and criterion: n and mean, and the same for all other raters.

    Columns: rater_id, rater, criterion_id, position, criterion, n, mean, others_n, others_mean.
    """
    where = _beoordeling_filter(
        viewer, rubric_id, moment, RaterKind.BEGELEIDER, cohort_ids, stageplaats_ids, period
    )
    per_rater = (
        select(
            Beoordeling.rater_id,
            RubricScore.criterion_id,
            func.count().label("n"),
            func.sum(RubricScore.score).label("total"),
        )
        .join(Beoordeling, Beoordeling.id == RubricScore.beoordeling_id)
        .where(where)
        .group_by(Beoordeling.rater_id, RubricScore.criterion_id)
        .subquery()
    )
    all_n = func.sum(per_rater.c.n).over(partition_by=per_rater.c.criterion_id)
    all_total = func.sum(per_rater.c.total).over(partition_by=per_rater.c.criterion_id)
    stmt = (
        select(
            per_rater.c.rater_id,
            UserAccount.display_name.label("rater"),
            per_rater.c.criterion_id,
            RubricCriterion.position,
            RubricCriterion.name.label("criterion"),
            per_rater.c.n,
            per_rater.c.total,
            (all_n - per_rater.c.n).label("others_n"),
            (all_total - per_rater.c.total).label("others_total"),
        )
        .join(UserAccount, UserAccount.id == per_rater.c.rater_id)
        .join(RubricCriterion, RubricCriterion.id == per_rater.c.criterion_id)
        .order_by(UserAccount.display_name, RubricCriterion.position)
    )
    frame = read_frame(engine, stmt)
    frame["mean"] = frame["total"] / frame["n"]
    frame["others_mean"] = frame["others_total"] / frame["others_n"].where(frame["others_n"] > 0)
    return frame.drop(columns=["total", "others_total"])


def load_rubrics(engine: Engine, viewer: Viewer) -> pd.DataFrame:
    """Rubric versions of the viewer's programmes. Columns: rubric_id, rubric, version, valid_from."""
    stmt = (
        select(
            Rubric.id.label("rubric_id"),
            Rubric.name.label("rubric"),
            Rubric.version,
            Rubric.valid_from,
        )
        .where(Rubric.opleiding_id.in_(viewer_opleiding_ids(viewer)))
        .order_by(Rubric.name, Rubric.version.desc())
    )
    return read_frame(engine, stmt)
