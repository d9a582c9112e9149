"""Rubric score distributions and per-rater aggregates.

Every query fixes one rubric version and one moment: formative (tussentijds) and summative
(eind) scores, and scores on different versions, are never pooled in one result.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Engine, and_, func, select
from sqlalchemy.orm import aliased

from data_access.frames import enum_values, read_frame
from data_access.models import (
    Aios,
    Beoordeling,
    Moment,
    RaterKind,
    Role,
    Rubric,
    RubricCriterion,
    RubricLevel,
    RubricScore,
    Stage,
    UserAccount,
)
from data_access.scope import (
    aggregate_stage_condition,
    calibration_stage_condition,
    hidden_aios_count,
    viewer_opleiding_ids,
)
from data_access.settings import load_settings
from data_access.viewer import Viewer


def _beoordeling_filter(
    viewer: Viewer,
    rubric_id: int,
    moment: Moment,
    rater_kind: RaterKind | None,
    cohort_ids: tuple[int, ...] | None,
    stageplaats_ids: tuple[int, ...] | None,
    period: tuple[dt.date, dt.date] | None,
    stage_condition: ColumnElement[bool] | None = None,
):
    stages = select(Stage.id).join(Aios, Aios.id == Stage.aios_id).where(
        aggregate_stage_condition(viewer) if stage_condition is None else stage_condition
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
    threshold: int | None = None,
) -> pd.DataFrame:
    """Counts per criterion × level, every level present (0 where none), with n per criterion.

    Columns: rubric, version, moment, criterion_id, position, criterion, canmeds_role, score,
    label, count, n, share (count / n, NaN when n = 0), aios (distinct aios behind the scores).
    Counts and shares are empty (n stays) when the aios the viewer may not see one by one number
    from 1 to below `threshold` (the installation's anonymity threshold when None): with a site,
    cohort and year chosen, a distribution could otherwise be one aios' scores.
    """
    threshold = load_settings().anonymity_threshold if threshold is None else threshold
    where = _beoordeling_filter(
        viewer, rubric_id, moment, rater_kind, cohort_ids, stageplaats_ids, period
    )
    with engine.connect() as conn:
        n_aios, hidden = conn.execute(
            select(func.count(func.distinct(Aios.id)), hidden_aios_count(viewer))
            .select_from(Beoordeling).join(Stage, Stage.id == Beoordeling.stage_id)
            .join(Aios, Aios.id == Stage.aios_id).where(where)
        ).one()
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
    frame["aios"] = int(n_aios)
    if 0 < hidden < threshold:
        frame["count"] = frame["count"].astype("Int64").mask(frame["n"] >= 0)
        frame["share"] = np.nan
    return frame


def load_self_vs_begeleider(
    engine: Engine,
    viewer: Viewer,
    *,
    rubric_id: int,
    moment: Moment,
    cohort_ids: tuple[int, ...] | None = None,
    stageplaats_ids: tuple[int, ...] | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    threshold: int | None = None,
) -> pd.DataFrame:
    """Per criterion: the aios' self-assessment against the begeleider's score for the same
    stage and moment (pairs of beoordelingen). Columns: criterion_id, position, criterion,
    canmeds_role, pairs, mean_zelf, mean_begeleider, difference (begeleider − zelf), aios.
    The means are empty (pairs stay) when the aios behind them that the viewer may not see one
    by one number from 1 to below `threshold` (the installation's when None)."""
    threshold = load_settings().anonymity_threshold if threshold is None else threshold
    zelf, zelf_score = aliased(Beoordeling), aliased(RubricScore)
    where = _beoordeling_filter(viewer, rubric_id, moment, RaterKind.BEGELEIDER, cohort_ids, stageplaats_ids, period)
    paired = and_(where, Beoordeling.stage_id.in_(
        select(zelf.stage_id).where(zelf.moment == moment, zelf.rubric_id == rubric_id, zelf.rater_kind == RaterKind.ZELF)))
    with engine.connect() as conn:
        n_aios, hidden = conn.execute(
            select(func.count(func.distinct(Aios.id)), hidden_aios_count(viewer))
            .select_from(Beoordeling).join(Stage, Stage.id == Beoordeling.stage_id)
            .join(Aios, Aios.id == Stage.aios_id).where(paired)
        ).one()
    pairs = (
        select(
            RubricScore.criterion_id,
            func.count().label("pairs"),
            func.avg(zelf_score.score).label("mean_zelf"),
            func.avg(RubricScore.score).label("mean_begeleider"),
        )
        .join(Beoordeling, Beoordeling.id == RubricScore.beoordeling_id)
        .join(zelf, and_(zelf.stage_id == Beoordeling.stage_id, zelf.moment == Beoordeling.moment,
                         zelf.rubric_id == Beoordeling.rubric_id, zelf.rater_kind == RaterKind.ZELF))
        .join(zelf_score, and_(zelf_score.beoordeling_id == zelf.id,
                               zelf_score.criterion_id == RubricScore.criterion_id))
        .where(where)
        .group_by(RubricScore.criterion_id)
        .subquery()
    )
    stmt = (
        select(
            RubricCriterion.id.label("criterion_id"), RubricCriterion.position,
            RubricCriterion.name.label("criterion"), RubricCriterion.canmeds_role,
            func.coalesce(pairs.c.pairs, 0).label("pairs"), pairs.c.mean_zelf, pairs.c.mean_begeleider,
        )
        .outerjoin(pairs, pairs.c.criterion_id == RubricCriterion.id)
        .where(RubricCriterion.rubric_id == rubric_id)
        .order_by(RubricCriterion.position)
    )
    frame = enum_values(read_frame(engine, stmt), "canmeds_role")
    for col in ("mean_zelf", "mean_begeleider"):
        frame[col] = frame[col].astype(float)
    if 0 < hidden < threshold:
        frame[["mean_zelf", "mean_begeleider"]] = np.nan
    frame["difference"] = frame["mean_begeleider"] - frame["mean_zelf"]
    frame["aios"] = int(n_aios)
    return frame


# A rater is called lenient or strict only when they differ from the others by at least this
# many levels and the 95% interval of that difference leaves out zero.
CALIBRATION_MIN_DIFFERENCE = 0.5


def load_rater_calibration(
    engine: Engine,
    viewer: Viewer,
    *,
    rubric_id: int,
    moment: Moment,
    min_n: int,
    cohort_ids: tuple[int, ...] | None = None,
    stageplaats_ids: tuple[int, ...] | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    threshold: int | None = None,
) -> pd.DataFrame:
    """Per begeleider-beoordelaar and criterion: their mean against the mean of all other raters
    on the same criterion and moment, with n, a 95% interval of the difference and a verdict.

    The verdict ("mild" / "streng") needs n ≥ min_n on both sides, a difference of at least
    CALIBRATION_MIN_DIFFERENCE and an interval without zero; otherwise it is empty and `reason`
    says why. A stagebegeleider is compared with the raters of their programmes but sees only
    themself by name ("U"); the others are "Beoordelaar 1…k", numbered by mean, not by name.

    A rater's mean is an aggregate of the aios they scored: when, on a criterion, any rater (or
    the others beside any rater) has from 1 to below `threshold` (the installation's when None)
    aios the viewer may not see one by one, every figure of that criterion is empty and
    `reason` says so (one blank row could be recovered from the others by subtraction).

    Columns: rater_id (None when anonymous), rater, is_self, criterion_id, position, criterion,
    n, mean, others_n, others_mean, difference, low, high, verdict, reason.
    """
    threshold = load_settings().anonymity_threshold if threshold is None else threshold
    where = _beoordeling_filter(
        viewer, rubric_id, moment, RaterKind.BEGELEIDER, cohort_ids, stageplaats_ids, period,
        stage_condition=calibration_stage_condition(viewer),
    )
    per_rater = (
        select(
            Beoordeling.rater_id,
            RubricScore.criterion_id,
            func.count().label("n"),
            func.sum(RubricScore.score).label("total"),
            func.sum(RubricScore.score * RubricScore.score).label("squares"),
            hidden_aios_count(viewer).label("hidden"),
        )
        .join(Beoordeling, Beoordeling.id == RubricScore.beoordeling_id)
        .join(Stage, Stage.id == Beoordeling.stage_id)
        .join(Aios, Aios.id == Stage.aios_id)
        .where(where)
        .group_by(Beoordeling.rater_id, RubricScore.criterion_id)
        .subquery()
    )
    window = {"partition_by": per_rater.c.criterion_id}
    stmt = (
        select(
            per_rater.c.rater_id,
            UserAccount.display_name.label("rater"),
            per_rater.c.criterion_id,
            RubricCriterion.position,
            RubricCriterion.name.label("criterion"),
            per_rater.c.n,
            per_rater.c.total,
            per_rater.c.squares,
            per_rater.c.hidden,
            (func.sum(per_rater.c.hidden).over(**window) - per_rater.c.hidden).label("others_hidden"),
            (func.sum(per_rater.c.n).over(**window) - per_rater.c.n).label("others_n"),
            (func.sum(per_rater.c.total).over(**window) - per_rater.c.total).label("others_total"),
            (func.sum(per_rater.c.squares).over(**window) - per_rater.c.squares).label("others_squares"),
        )
        .join(UserAccount, UserAccount.id == per_rater.c.rater_id)
        .join(RubricCriterion, RubricCriterion.id == per_rater.c.criterion_id)
        .order_by(RubricCriterion.position, UserAccount.display_name)
    )
    frame = read_frame(engine, stmt)
    return _anonymise(_hide_few_aios(_judge(frame, min_n), threshold), viewer)


def _hide_few_aios(frame: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Blank every figure of a criterion where a rater, or the others beside a rater, stand for
    1 to threshold − 1 aios the viewer cannot see one by one."""
    def few(hidden: pd.Series) -> pd.Series:
        return (hidden > 0) & (hidden < threshold)

    row_few = few(frame.pop("hidden")) | few(frame.pop("others_hidden"))
    blank = frame["criterion_id"].map(row_few.groupby(frame["criterion_id"]).any()).astype(bool)
    frame.loc[blank, ["mean", "others_mean", "difference", "low", "high"]] = np.nan
    frame.loc[blank, "verdict"] = ""
    frame.loc[blank, "reason"] = f"te weinig aios voor een vergelijking (drempel {threshold})"
    return frame


def _judge(frame: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """Means, the difference with its 95% interval (Welch), and the verdict with its reason."""
    def spread(total: pd.Series, squares: pd.Series, n: pd.Series) -> pd.Series:
        # Sample variance from the sums; 0 for a single score (its mean is all we know).
        n = n.astype(float)
        return ((squares - total * total / n) / (n - 1).where(n > 1)).fillna(0.0).clip(lower=0.0)

    for col in ("n", "total", "squares", "others_n", "others_total", "others_squares"):
        frame[col] = frame[col].astype(float)
    out = frame.assign(
        mean=frame["total"] / frame["n"],
        others_mean=frame["others_total"] / frame["others_n"].where(frame["others_n"] > 0),
    )
    out["difference"] = out["mean"] - out["others_mean"]
    se = np.sqrt(
        spread(frame["total"], frame["squares"], frame["n"]) / frame["n"]
        + spread(frame["others_total"], frame["others_squares"], frame["others_n"])
        / frame["others_n"].where(frame["others_n"] > 0)
    )
    out["low"], out["high"] = out["difference"] - 1.96 * se, out["difference"] + 1.96 * se
    verdicts, reasons = [], []
    for r in out.itertuples():
        if r.n < min_n or r.others_n < min_n:
            verdicts.append("")
            reasons.append(f"te weinig scores voor een oordeel (n={int(r.n)}, anderen n={int(r.others_n)}; minimaal {min_n})")
        elif abs(r.difference) >= CALIBRATION_MIN_DIFFERENCE and (r.low > 0 or r.high < 0):
            word = "mild" if r.difference > 0 else "streng"
            verdicts.append(word)
            reasons.append(
                f"{word}: gemiddeld {abs(r.difference):.1f} niveau {'hoger' if r.difference > 0 else 'lager'} "
                f"dan de andere beoordelaars (n={int(r.n)}, anderen n={int(r.others_n)})".replace(".", ",")
            )
        else:
            verdicts.append("")
            reasons.append("binnen de marge van de andere beoordelaars")
    out["verdict"], out["reason"] = verdicts, reasons
    out[["n", "others_n"]] = out[["n", "others_n"]].astype(int)
    return out.drop(columns=["total", "squares", "others_total", "others_squares"])


def _anonymise(frame: pd.DataFrame, viewer: Viewer) -> pd.DataFrame:
    """A stagebegeleider sees their own rows by name and everyone else under a number."""
    frame.insert(2, "is_self", frame["rater_id"] == viewer.user_id)
    if viewer.role is not Role.STAGEBEGELEIDER:
        return frame
    others = frame[~frame["is_self"]].groupby("rater_id")["mean"].mean().sort_values(kind="stable")
    numbers = {rater_id: f"Beoordelaar {i}" for i, rater_id in enumerate(others.index, 1)}
    frame["rater"] = [("U" if own else numbers[rid]) for rid, own in zip(frame["rater_id"], frame["is_self"], strict=True)]
    frame["rater_id"] = frame["rater_id"].where(frame["is_self"], None)
    return frame


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
