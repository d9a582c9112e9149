"""Per-aios progress against the stageplan and the stage cycle."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import Engine, case, exists, func, select
from sqlalchemy.orm import aliased

from data_access.cycle import add_expected_gesprekken, cycle_days
from data_access.frames import enum_values, read_frame
from data_access.models import (
    Aios,
    Beoordeling,
    Cohort,
    FeedbackMoment,
    Gesprek,
    GesprekStatus,
    GesprekType,
    Kpb,
    Leerdoel,
    LeerdoelStatus,
    Moment,
    RaterKind,
    RubricScore,
    Stage,
    Stageplaats,
    StageplaatsRating,
    Stageplan,
    UserAccount,
)
from data_access.queries.filters import StageSelection, stage_conditions
from data_access.viewer import Viewer


def is_current_gesprek():
    """True for a gesprek no correction has replaced (a corrected verslag counts once)."""
    newer = aliased(Gesprek)
    return ~exists().where(newer.supersedes_id == Gesprek.id)


def load_stage_progress(engine: Engine, viewer: Viewer, selection: StageSelection) -> pd.DataFrame:
    """One row per stage the viewer may see: the stage, its plan and what has been done so far.

    Columns: stage_id, aios_id, aios_name, cohort, stageplaats, start_date, end_date, fte,
    approved_at, verslag_due, verslag_handed_in, kpb_target, gesprek_interval_weeks (the
    stageplan's rhythm of begeleidingsgesprekken, 1 = weekly), n_<gesprektype> for each type,
    last_gesprek, eindgesprek_on (the day of the eindgesprek, None before it), last_feedback,
    kpb_done, leerdoelen_total, leerdoelen_behaald, level_tussentijds and level_eind (mean
    begeleider rubric score of that moment, NaN when none yet), rating_given;
    plus week, weeks_total, expected_<type>, expected_kpb, days_since_gesprek and
    days_since_feedback, derived from the dates. After an eindgesprek the expected counts and the
    KPB pace are those of its day (cycle.cycle_day): the stage expects nothing more.
    """
    where = stage_conditions(viewer, selection)
    today = selection.today
    scoped = (
        select(Stage.id)
        .join(Aios, Aios.id == Stage.aios_id)
        .where(where)
        .scalar_subquery()
    )
    gesprekken = (
        select(
            Gesprek.stage_id,
            *[
                func.sum(case((Gesprek.type == t, 1), else_=0)).label(f"n_{t.value}")
                for t in GesprekType
            ],
            func.max(Gesprek.date).label("last_gesprek"),
            func.min(case((Gesprek.type == GesprekType.EINDGESPREK, Gesprek.date))).label("eindgesprek_on"),
        )
        .where(Gesprek.stage_id.in_(scoped), Gesprek.date <= today, is_current_gesprek())
        .group_by(Gesprek.stage_id)
        .subquery()
    )
    feedback = (
        select(FeedbackMoment.stage_id, func.max(FeedbackMoment.date).label("last_feedback"))
        .where(FeedbackMoment.stage_id.in_(scoped), FeedbackMoment.date <= today)
        .group_by(FeedbackMoment.stage_id)
        .subquery()
    )
    kpbs = (
        select(Kpb.stage_id, func.count().label("kpb_done"))
        .where(Kpb.stage_id.in_(scoped), Kpb.date <= today, Kpb.status == GesprekStatus.VASTGESTELD)
        .group_by(Kpb.stage_id)
        .subquery()
    )
    leerdoelen = (
        select(
            Leerdoel.stage_id,
            func.count().label("leerdoelen_total"),
            func.sum(case((Leerdoel.status == LeerdoelStatus.BEHAALD, 1), else_=0)).label(
                "leerdoelen_behaald"
            ),
        )
        .where(Leerdoel.stage_id.in_(scoped))
        .group_by(Leerdoel.stage_id)
        .subquery()
    )
    # Mean begeleider score per stage and moment: formative and summative in separate columns.
    levels = (
        select(
            Beoordeling.stage_id,
            *[
                func.avg(case((Beoordeling.moment == m, RubricScore.score))).label(f"level_{m.value}")
                for m in Moment
            ],
        )
        .join(RubricScore, RubricScore.beoordeling_id == Beoordeling.id)
        .where(Beoordeling.stage_id.in_(scoped), Beoordeling.rater_kind == RaterKind.BEGELEIDER,
               Beoordeling.date <= today)
        .group_by(Beoordeling.stage_id)
        .subquery()
    )
    stmt = (
        select(
            Stage.id.label("stage_id"),
            Stage.aios_id,
            UserAccount.display_name.label("aios_name"),
            Cohort.name.label("cohort"),
            Stageplaats.id.label("stageplaats_id"),
            Stageplaats.name.label("stageplaats"),
            Stage.start_date,
            Stage.end_date,
            Stage.fte,
            Stage.status,
            Stageplan.approved_at,
            Stageplan.verslag_due,
            Stageplan.verslag_handed_in,
            Stageplan.kpb_target,
            func.coalesce(Stageplan.gesprek_interval_weeks, 1).label("gesprek_interval_weeks"),
            *[func.coalesce(getattr(gesprekken.c, f"n_{t.value}"), 0).label(f"n_{t.value}") for t in GesprekType],
            gesprekken.c.last_gesprek,
            gesprekken.c.eindgesprek_on,
            feedback.c.last_feedback,
            func.coalesce(kpbs.c.kpb_done, 0).label("kpb_done"),
            func.coalesce(leerdoelen.c.leerdoelen_total, 0).label("leerdoelen_total"),
            func.coalesce(leerdoelen.c.leerdoelen_behaald, 0).label("leerdoelen_behaald"),
            *[getattr(levels.c, f"level_{m.value}") for m in Moment],
            exists().where(StageplaatsRating.stage_id == Stage.id).label("rating_given"),
        )
        .join(Aios, Aios.id == Stage.aios_id)
        .join(UserAccount, UserAccount.id == Aios.user_id)
        .join(Cohort, Cohort.id == Aios.cohort_id)
        .join(Stageplaats, Stageplaats.id == Stage.stageplaats_id)
        .outerjoin(Stageplan, Stageplan.stage_id == Stage.id)
        .outerjoin(gesprekken, gesprekken.c.stage_id == Stage.id)
        .outerjoin(feedback, feedback.c.stage_id == Stage.id)
        .outerjoin(kpbs, kpbs.c.stage_id == Stage.id)
        .outerjoin(leerdoelen, leerdoelen.c.stage_id == Stage.id)
        .outerjoin(levels, levels.c.stage_id == Stage.id)
        .where(where)
        .order_by(UserAccount.display_name, Stage.start_date)
    )
    frame = read_frame(engine, stmt)
    frame["status"] = frame["status"].map(lambda s: s.value)
    frame["rating_given"] = frame["rating_given"].astype(bool)
    for m in Moment:
        frame[f"level_{m.value}"] = frame[f"level_{m.value}"].astype(float)
    return _add_pace(frame, today)


def _days_since(column: pd.Series, today: dt.date) -> pd.Series:
    return (pd.Timestamp(today) - pd.to_datetime(column)).dt.days.astype("Int64")


def _add_pace(frame: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Derived columns: expected counts by the cycle, KPB pace, days since the last moments."""
    if frame.empty:
        for col in ("week", "weeks_total", "expected_kpb", "days_since_gesprek", "days_since_feedback"):
            frame[col] = pd.Series(dtype="Int64")
        for t in GesprekType:
            if t is not GesprekType.KENNISMAKING:
                frame[f"expected_{t.value}"] = pd.Series(dtype="Int64")
        return frame
    out = add_expected_gesprekken(frame, today)
    length = (pd.to_datetime(out["end_date"]) - pd.to_datetime(out["start_date"])).dt.days
    elapsed = (cycle_days(out, today) - pd.to_datetime(out["start_date"])).dt.days.clip(lower=0)
    share = np.minimum(elapsed / length, 1.0)
    # The KPB target is for the whole stage; pace is the share of it due by today (by the
    # eindgesprek, when one was held: nothing is expected after it), rounded down.
    out["expected_kpb"] = np.floor(out["kpb_target"].fillna(0) * share).astype(int)
    out["days_since_gesprek"] = _days_since(out["last_gesprek"], today)
    out["days_since_feedback"] = _days_since(out["last_feedback"], today)
    return out


def load_gesprek_dates(engine: Engine, viewer: Viewer, selection: StageSelection) -> pd.DataFrame:
    """The current gesprekken held up to today in the selected stages, for matching against the
    cycle (cycle.gesprek_slots). Columns: stage_id, type (Dutch value), date."""
    scoped = select(Stage.id).join(Aios, Aios.id == Stage.aios_id).where(stage_conditions(viewer, selection))
    stmt = (
        select(Gesprek.stage_id, Gesprek.type, Gesprek.date)
        .where(Gesprek.stage_id.in_(scoped), Gesprek.date <= selection.today, is_current_gesprek())
        .order_by(Gesprek.stage_id, Gesprek.date)
    )
    return enum_values(read_frame(engine, stmt), "type")
