"""Rubric score distributions and per-rater aggregates.

Every query fixes one rubric version and one moment: formative (tussentijds) and summative
(eind) scores, and scores on different versions, are never pooled in one result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Engine, Select, and_, case, extract, func, select
from sqlalchemy.orm import aliased

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
from data_access.disclosure import counted_units, installation_threshold, may_show, whole_years
from data_access.permissions import Action, may
from data_access.scope import (
    aggregate_stage_condition,
    calibration_stage_condition,
    individual_stage_condition,
    viewer_opleiding_ids,
)
from data_access.viewer import Viewer


@dataclass(frozen=True)
class _Scores:
    """The beoordelingen of one figure (rubric version, moment, filters) and the ids that count."""

    where: ColumnElement[bool]
    counted_ids: Select

    def counted(self, stmt: Select) -> Select:
        """`stmt` (over Beoordeling) joined with Stage and Aios, only counted beoordelingen."""
        return (stmt.join(Stage, Stage.id == Beoordeling.stage_id).join(Aios, Aios.id == Stage.aios_id)
                .where(self.where, Beoordeling.id.in_(self.counted_ids)))


def _year():
    return extract("year", Beoordeling.date)


def _scores(
    viewer: Viewer,
    threshold: int,
    rubric_id: int,
    moment: Moment,
    rater_kind: RaterKind | None,
    cohort_ids: tuple[int, ...] | None,
    stageplaats_ids: tuple[int, ...] | None,
    period: tuple[dt.date, dt.date] | None,
    stage_condition: ColumnElement[bool] | None = None,
    cuts_cells: bool = False,
) -> _Scores:
    """The disclosure units of a score figure (data_access.disclosure): cells are programme ×
    stageplaats × year of the beoordeling × kind of rater, for one rubric version and moment; a
    cohort, a period of other than whole years or a per-rater grouping (`cuts_cells`) cut cells."""
    conditions = [aggregate_stage_condition(viewer) if stage_condition is None else stage_condition,
                  Beoordeling.rubric_id == rubric_id, Beoordeling.moment == moment]
    whole = not cohort_ids and not cuts_cells
    if rater_kind is not None:
        conditions.append(Beoordeling.rater_kind == rater_kind)
    if stageplaats_ids:
        conditions.append(Stage.stageplaats_id.in_(stageplaats_ids))
    if cohort_ids:
        conditions.append(Aios.cohort_id.in_(cohort_ids))
    if period is not None:
        years = whole_years(period)
        conditions.append(_year().between(*years) if years else Beoordeling.date.between(*period))
        whole = whole and years is not None
    return counted_scores(viewer, threshold, and_(*conditions), whole_cells=whole)


def counted_scores(viewer: Viewer, threshold: int, where: ColumnElement[bool], *, whole_cells: bool = True) -> _Scores:
    """The beoordelingen matching `where` (on Beoordeling joined with Stage and Aios: scope,
    rubric version, moment and filters) and their disclosure units: cells are programme ×
    stageplaats × year of the beoordeling × kind of rater."""
    records = (select(Beoordeling.id).select_from(Beoordeling).join(Stage, Stage.id == Beoordeling.stage_id)
               .join(Aios, Aios.id == Stage.aios_id).where(where))
    return _Scores(where, counted_units(viewer, threshold, records=records, year=_year(), record_id=Beoordeling.id,
                                        cell=(Beoordeling.rater_kind,), whole_cells=whole_cells,
                                        materialize=True))


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
    Only counted units pass (data_access.disclosure, with `threshold`, the installation's when
    None): aios the viewer cannot see one by one count per stageplaats and year in whole groups,
    and not at all under a cohort filter or a period of other than whole years.
    """
    threshold = installation_threshold(engine) if threshold is None else threshold
    scores = _scores(viewer, threshold, rubric_id, moment, rater_kind, cohort_ids, stageplaats_ids, period)
    with engine.connect() as conn:
        n_aios = conn.execute(scores.counted(select(func.count(func.distinct(Aios.id))).select_from(Beoordeling))).scalar_one()
    counts = (
        scores.counted(select(RubricScore.criterion_id, RubricScore.score, func.count().label("count"))
                       .select_from(RubricScore).join(Beoordeling, Beoordeling.id == RubricScore.beoordeling_id))
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
    Over the counted units of the begeleider scores (data_access.disclosure); the means are
    empty (pairs stay) when the counted aios the viewer cannot see one by one without a
    self-assessment number from 1 to below `threshold` (the installation's when None): the pairs
    and the begeleider distribution would otherwise differ by them."""
    threshold = installation_threshold(engine) if threshold is None else threshold
    zelf, zelf_score = aliased(Beoordeling), aliased(RubricScore)
    scores = _scores(viewer, threshold, rubric_id, moment, RaterKind.BEGELEIDER, cohort_ids, stageplaats_ids, period)
    has_zelf = Beoordeling.stage_id.in_(
        select(zelf.stage_id).where(zelf.moment == moment, zelf.rubric_id == rubric_id, zelf.rater_kind == RaterKind.ZELF))
    with engine.connect() as conn:
        n_aios, unpaired = conn.execute(scores.counted(select(
            func.count(func.distinct(case((has_zelf, Aios.id)))),
            func.count(func.distinct(case((~has_zelf & ~individual_stage_condition(viewer), Aios.id)))),
        ).select_from(Beoordeling))).one()
    pairs = (
        scores.counted(
            select(
                RubricScore.criterion_id,
                func.count().label("pairs"),
                func.avg(zelf_score.score).label("mean_zelf"),
                func.avg(RubricScore.score).label("mean_begeleider"),
            )
            .select_from(RubricScore)
            .join(Beoordeling, Beoordeling.id == RubricScore.beoordeling_id)
            .join(zelf, and_(zelf.stage_id == Beoordeling.stage_id, zelf.moment == Beoordeling.moment,
                             zelf.rubric_id == Beoordeling.rubric_id, zelf.rater_kind == RaterKind.ZELF))
            .join(zelf_score, and_(zelf_score.beoordeling_id == zelf.id,
                                   zelf_score.criterion_id == RubricScore.criterion_id))
        )
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
    if not may_show(unpaired, threshold):
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

    A rater's mean is an aggregate of the aios they scored (data_access.disclosure): a rater's
    own row counts only the aios the viewer sees one by one (a rater cuts the cells), and "the
    others" are the counted units of everyone (whole cells) minus that row, so their scores on
    aios the viewer cannot see one by one count with the others.

    Columns: rater_id (None when anonymous), rater, is_self, criterion_id, position, criterion,
    n, mean, others_n, others_mean, difference, low, high, verdict, reason.
    """
    threshold = installation_threshold(engine) if threshold is None else threshold
    choice = (viewer, threshold, rubric_id, moment, RaterKind.BEGELEIDER, cohort_ids, stageplaats_ids, period,
              calibration_stage_condition(viewer))

    def sums(scores: _Scores, *by):
        return (scores.counted(
            select(*by, RubricScore.criterion_id, func.count().label("n"), func.sum(RubricScore.score).label("total"),
                   func.sum(RubricScore.score * RubricScore.score).label("squares"))
            .select_from(RubricScore).join(Beoordeling, Beoordeling.id == RubricScore.beoordeling_id))
            .group_by(*by, RubricScore.criterion_id).subquery())

    per_rater = sums(_scores(*choice, cuts_cells=True), Beoordeling.rater_id)
    everyone = sums(_scores(*choice))
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
            (everyone.c.n - per_rater.c.n).label("others_n"),
            (everyone.c.total - per_rater.c.total).label("others_total"),
            (everyone.c.squares - per_rater.c.squares).label("others_squares"),
        )
        .join(everyone, everyone.c.criterion_id == per_rater.c.criterion_id)
        .join(UserAccount, UserAccount.id == per_rater.c.rater_id)
        .join(RubricCriterion, RubricCriterion.id == per_rater.c.criterion_id)
        .order_by(RubricCriterion.position, UserAccount.display_name)
    )
    return _anonymise(_judge(read_frame(engine, stmt), min_n), viewer)


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
    if not may(viewer, Action.RATER_POSITION):
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
