"""The stagecommissie's view of stageplaatsen: ratings (guarded by the anonymity threshold in
ratings.py), feedback, the summative level of their aios as context, and committee decisions."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, and_, case, func, select
from sqlalchemy.orm import aliased

from data_access.frames import enum_values, read_frame
from data_access.models import (
    Beoordeling,
    CommitteeDecision,
    Moment,
    RaterKind,
    Rubric,
    RubricScore,
    Stage,
    UserAccount,
)
from data_access.queries.feedback import load_feedback_frequency
from data_access.queries.ratings import load_stageplaats_ratings
from data_access.queries.rubrics import counted_scores
from data_access.scope import aggregate_stage_condition, rated_stageplaats_ids
from data_access.viewer import Viewer


def load_stageplaats_overview(
    engine: Engine,
    viewer: Viewer,
    *,
    threshold: int,
    today: dt.date,
    opleiding_id: int | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """One row per visible stageplaats: load_stageplaats_ratings' columns (means with interval,
    suppressed below the threshold), plus per_aios_week and aios_weeks (feedback), summative
    and summative_n (eind level of its aios by their begeleiders, on the programme's newest
    rubric version: the mean over aios of each aios' mean, n counting aios, over the same counted
    units as the rubric distribution (data_access.disclosure; no past day: every eind score
    recorded counts, in whole groups), and empty below `threshold` aios: context about a group,
    never one aios), and the last decision
    (decision, decision_date, follow_up_date)."""
    ratings = load_stageplaats_ratings(engine, viewer, threshold=threshold, opleiding_id=opleiding_id, year=year)
    feedback = load_feedback_frequency(engine, viewer, by="stageplaats", today=today, opleiding_id=opleiding_id)
    feedback = feedback.rename(columns={"group_id": "stageplaats_id"})[["stageplaats_id", "per_aios_week", "aios_weeks"]]
    last = load_decisions(engine, viewer).drop_duplicates("stageplaats_id")
    last = last.rename(columns={"date": "decision_date"})[["stageplaats_id", "decision", "decision_date", "follow_up_date"]]
    out = (
        ratings.merge(feedback, on="stageplaats_id", how="left")
        .merge(_summative_levels(engine, viewer, threshold), on="stageplaats_id", how="left")
        .merge(last, on="stageplaats_id", how="left")
    )
    out["summative_n"] = out["summative_n"].fillna(0).astype(int)
    return out


def _summative_levels(engine: Engine, viewer: Viewer, threshold: int) -> pd.DataFrame:
    newest = (
        select(Rubric.opleiding_id, func.max(Rubric.version).label("version"))
        .group_by(Rubric.opleiding_id)
        .subquery()
    )
    current = aliased(Rubric)
    rubric_ids = select(current.id).join(
        newest, (newest.c.opleiding_id == current.opleiding_id) & (newest.c.version == current.version)
    )
    scores = counted_scores(viewer, threshold, and_(
        aggregate_stage_condition(viewer),
        Beoordeling.moment == Moment.EIND,
        Beoordeling.rater_kind == RaterKind.BEGELEIDER,
        Beoordeling.rubric_id.in_(rubric_ids),
    ))
    per_aios = (
        scores.counted(
            select(Stage.stageplaats_id, Stage.aios_id, func.avg(RubricScore.score * 1.0).label("level"))
            .select_from(RubricScore).join(Beoordeling, Beoordeling.id == RubricScore.beoordeling_id))
        .group_by(Stage.stageplaats_id, Stage.aios_id)
        .subquery()
    )
    n_aios = func.count()
    stmt = select(
        per_aios.c.stageplaats_id,
        case((n_aios >= threshold, func.avg(per_aios.c.level))).label("summative"),
        n_aios.label("summative_n"),
    ).group_by(per_aios.c.stageplaats_id)
    frame = read_frame(engine, stmt)
    frame["summative"] = frame["summative"].astype(float)
    return frame


def load_decisions(engine: Engine, viewer: Viewer, stageplaats_ids: tuple[int, ...] | None = None) -> pd.DataFrame:
    """Committee decisions on the visible stageplaatsen, newest first per site.

    Columns: id, stageplaats_id, date, decision, rationale, follow_up_date, decided_by.
    """
    stmt = (
        select(
            CommitteeDecision.id, CommitteeDecision.stageplaats_id, CommitteeDecision.date,
            CommitteeDecision.decision, CommitteeDecision.rationale, CommitteeDecision.follow_up_date,
            UserAccount.display_name.label("decided_by"),
        )
        .join(UserAccount, UserAccount.id == CommitteeDecision.decided_by)
        .where(CommitteeDecision.stageplaats_id.in_(rated_stageplaats_ids(viewer)))
        .order_by(CommitteeDecision.stageplaats_id, CommitteeDecision.date.desc(), CommitteeDecision.id.desc())
    )
    if stageplaats_ids:
        stmt = stmt.where(CommitteeDecision.stageplaats_id.in_(stageplaats_ids))
    return enum_values(read_frame(engine, stmt), "decision")


def due_follow_ups(overview: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Stageplaatsen whose last decision asked for a follow-up on or before today: they belong
    on the next meeting's agenda."""
    due = overview["follow_up_date"].map(lambda d: d is not None and not pd.isna(d) and d <= today)
    return overview[due.astype(bool)]
