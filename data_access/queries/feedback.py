"""Feedback frequency: per aios per week of stage, and per stageplaats or begeleider."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import pandas as pd
from sqlalchemy import Engine, case, extract, func, literal, select

from data_access.frames import enum_values, read_frame
from data_access.models import (
    Aios,
    Cohort,
    FeedbackKind,
    FeedbackMoment,
    FeedbackRequest,
    Stage,
    StageBegeleider,
    Stagebegeleider,
    Stageplaats,
    UserAccount,
)
from data_access.queries.filters import StageSelection, stage_conditions
from data_access.disclosure import counted_units, installation_threshold
from data_access.scope import aggregate_stage_condition, individual_stage_condition
from data_access.sqlfuncs import days_between
from data_access.viewer import Viewer


def load_feedback_per_week(engine: Engine, viewer: Viewer, selection: StageSelection) -> pd.DataFrame:
    """Moments per stage, week of the stage (1 = the first 7 days) and kind.

    The stages are chosen as in load_stage_progress (running ones by default). Columns:
    stage_id, aios_name, stageplaats, week, kind, moments, asked_by_aios.
    """
    week = (days_between(FeedbackMoment.date, Stage.start_date) // 7 + 1).label("week")
    where = stage_conditions(viewer, selection)
    stmt = (
        select(
            Stage.id.label("stage_id"),
            UserAccount.display_name.label("aios_name"),
            Stageplaats.name.label("stageplaats"),
            week,
            FeedbackMoment.kind,
            func.count().label("moments"),
            func.sum(case((FeedbackMoment.asked_by_aios, 1), else_=0)).label("asked_by_aios"),
        )
        .join(Stage, Stage.id == FeedbackMoment.stage_id)
        .join(Aios, Aios.id == Stage.aios_id)
        .join(UserAccount, UserAccount.id == Aios.user_id)
        .join(Stageplaats, Stageplaats.id == Stage.stageplaats_id)
        .where(where, FeedbackMoment.date <= selection.today)
        .group_by(Stage.id, UserAccount.display_name, Stageplaats.name, week, FeedbackMoment.kind)
        .order_by(UserAccount.display_name, Stage.id, week, FeedbackMoment.kind)
    )
    return enum_values(read_frame(engine, stmt), "kind")


def _counted_stages(
    viewer: Viewer, threshold: int, today: dt.date, *, opleiding_id: int | None = None,
    cohort_ids: tuple[int, ...] | None = None, stageplaats_id: int | None = None, cuts_cells: bool = False,
):
    """Stages that had started by today, in the viewer's aggregate scope and the filters, whose
    feedback may count (data_access.disclosure): cells are programme × stageplaats × year the
    stage started; a cohort or a grouping per begeleider or cohort (`cuts_cells`) cut cells."""
    conditions = [aggregate_stage_condition(viewer), Stage.start_date <= today]
    if opleiding_id is not None:
        conditions.append(Aios.opleiding_id == opleiding_id)
    if stageplaats_id is not None:
        conditions.append(Stage.stageplaats_id == stageplaats_id)
    if cohort_ids:
        conditions.append(Aios.cohort_id.in_(cohort_ids))
    year = extract("year", Stage.start_date)
    records = select(Stage.id).select_from(Stage).join(Aios, Aios.id == Stage.aios_id).where(*conditions)
    return counted_units(viewer, threshold, records=records, year=year, record_id=Stage.id,
                         whole_cells=not cohort_ids and not cuts_cells).scalar_subquery()


def load_feedback_frequency(
    engine: Engine,
    viewer: Viewer,
    *,
    by: Literal["stageplaats", "begeleider"],
    today: dt.date,
    opleiding_id: int | None = None,
    cohort_ids: tuple[int, ...] | None = None,
    threshold: int | None = None,
) -> pd.DataFrame:
    """Feedback moments per aios-week, per stageplaats or per begeleider, with n.

    An aios-week is one aios during one week of stage, counted up to today for running stages;
    a stage with two begeleiders counts for both. Columns: group_id, name, stages, aios (n of
    distinct aios), aios_weeks, moments, per_aios_week, asked_share, and moments per kind (KPB,
    gesprek, informeel).

    A group's figures are about its aios: only counted stages feed them (_counted_stages, with
    `threshold`, the installation's when None); per begeleider only the aios the viewer sees one
    by one count.
    """
    threshold = installation_threshold(engine) if threshold is None else threshold
    stages = _counted_stages(viewer, threshold, today, opleiding_id=opleiding_id, cohort_ids=cohort_ids,
                             cuts_cells=by == "begeleider")

    if by == "stageplaats":
        group_id = Stage.stageplaats_id
        name_of = select(Stageplaats.id.label("group_id"), Stageplaats.name.label("name"))
        link = None
    else:
        group_id = StageBegeleider.begeleider_id
        name_of = select(
            Stagebegeleider.id.label("group_id"), UserAccount.display_name.label("name")
        ).join(UserAccount, UserAccount.id == Stagebegeleider.user_id)
        link = StageBegeleider

    today_lit = literal(today)
    days_in_stage = case(
        (Stage.end_date < today_lit, days_between(Stage.end_date, Stage.start_date)),
        else_=days_between(today_lit, Stage.start_date),
    )
    exposure = select(
        group_id.label("group_id"),
        func.count(Stage.id).label("stages"),
        func.count(func.distinct(Stage.aios_id)).label("aios"),
        (func.sum(days_in_stage) / 7.0).label("aios_weeks"),
    ).join(Aios, Aios.id == Stage.aios_id).where(Stage.id.in_(stages))
    moments = select(
        group_id.label("group_id"),
        func.count(FeedbackMoment.id).label("moments"),
        func.sum(case((FeedbackMoment.asked_by_aios, 1), else_=0)).label("asked"),
        *[
            func.sum(case((FeedbackMoment.kind == k, 1), else_=0)).label(k.value)
            for k in FeedbackKind
        ],
    ).join(Stage, Stage.id == FeedbackMoment.stage_id).where(
        Stage.id.in_(stages), FeedbackMoment.date <= today
    )
    if link is not None:
        exposure = exposure.join(link, link.stage_id == Stage.id)
        moments = moments.join(link, link.stage_id == Stage.id)
    exposure = exposure.group_by(group_id).subquery()
    moments = moments.group_by(group_id).subquery()
    names = name_of.subquery()

    stmt = (
        select(
            exposure.c.group_id,
            names.c.name,
            exposure.c.stages,
            exposure.c.aios,
            exposure.c.aios_weeks,
            func.coalesce(moments.c.moments, 0).label("moments"),
            func.coalesce(moments.c.asked, 0).label("asked"),
            *[func.coalesce(moments.c[k.value], 0).label(k.value) for k in FeedbackKind],
        )
        .join(names, names.c.group_id == exposure.c.group_id)
        .outerjoin(moments, moments.c.group_id == exposure.c.group_id)
        .order_by(names.c.name)
    )
    frame = read_frame(engine, stmt)
    frame["aios_weeks"] = frame["aios_weeks"].astype(float)
    frame["per_aios_week"] = frame["moments"] / frame["aios_weeks"].where(frame["aios_weeks"] > 0)
    frame["asked_share"] = frame["asked"] / frame["moments"].where(frame["moments"] > 0)
    counts = ["moments", *[k.value for k in FeedbackKind]]
    frame[counts] = frame[counts].astype("Int64")
    return frame.drop(columns=["asked"])


def weekly_grid(stages: pd.DataFrame, per_week: pd.DataFrame) -> pd.DataFrame:
    """Every week of every stage up to its current week, with its moments (0 where none).

    stages: stage_id, aios_name, stageplaats, week (current week of stage) as in
    load_stage_progress; per_week: load_feedback_per_week. Columns: stage_id, aios_name,
    stageplaats, week, moments, asked_by_aios, and one column per kind.
    """
    kinds = [k.value for k in FeedbackKind]
    cells = stages[["stage_id", "aios_name", "stageplaats", "week"]].rename(columns={"week": "weeks"})
    cells = cells[cells["weeks"] > 0]
    grid = cells.loc[cells.index.repeat(cells["weeks"])].copy()
    grid["week"] = grid.groupby("stage_id").cumcount() + 1
    by_kind = per_week.pivot_table(index=["stage_id", "week"], columns="kind", values="moments",
                                   aggfunc="sum", fill_value=0).reindex(columns=kinds, fill_value=0)
    asked = per_week.groupby(["stage_id", "week"])["asked_by_aios"].sum()
    grid = grid.drop(columns="weeks").join(by_kind, on=["stage_id", "week"]).join(asked, on=["stage_id", "week"])
    grid[kinds + ["asked_by_aios"]] = grid[kinds + ["asked_by_aios"]].fillna(0).astype(int)
    grid["moments"] = grid[kinds].sum(axis=1)
    return grid.reset_index(drop=True)


def load_feedback_trend(
    engine: Engine, viewer: Viewer, *, today: dt.date, opleiding_id: int | None = None,
    cohort_ids: tuple[int, ...] | None = None, threshold: int | None = None,
) -> pd.DataFrame:
    """Moments per aios-week by week of stage, per cohort: is feedback given all through a
    stage, and is it improving across cohorts? Columns: cohort, week, aios_weeks, moments,
    per_aios_week. An aios-week counts for each stage that had reached that week by today.

    A cohort cuts the disclosure cells: only the aios the viewer sees one by one count
    (_counted_stages; `threshold` the installation's when None)."""
    threshold = installation_threshold(engine) if threshold is None else threshold
    stages = _counted_stages(viewer, threshold, today, opleiding_id=opleiding_id, cohort_ids=cohort_ids, cuts_cells=True)
    week = (days_between(FeedbackMoment.date, Stage.start_date) // 7 + 1).label("week")
    moments = read_frame(engine, (
        select(Cohort.name.label("cohort"), week, func.count().label("moments"))
        .join(Stage, Stage.id == FeedbackMoment.stage_id)
        .join(Aios, Aios.id == Stage.aios_id)
        .join(Cohort, Cohort.id == Aios.cohort_id)
        .where(Stage.id.in_(stages), FeedbackMoment.date <= today, FeedbackMoment.date >= Stage.start_date)
        .group_by(Cohort.name, week)
    ))
    last_day = case((Stage.end_date < literal(today), Stage.end_date), else_=literal(today))
    reached = (days_between(last_day, Stage.start_date) // 7 + 1).label("reached")
    exposure = read_frame(engine, (
        select(Cohort.name.label("cohort"), reached, func.count().label("stages"))
        .join(Aios, Aios.id == Stage.aios_id)
        .join(Cohort, Cohort.id == Aios.cohort_id)
        .where(Stage.id.in_(stages))
        .group_by(Cohort.name, reached)
    ))
    # Stages that reached week w or later, per cohort: a reverse cumulative sum over few rows.
    rows = []
    for cohort, group in exposure.groupby("cohort"):
        counts = group.set_index("reached")["stages"]
        for w in range(1, int(counts.index.max()) + 1):
            rows.append((cohort, w, int(counts[counts.index >= w].sum())))
    weeks = pd.DataFrame(rows, columns=["cohort", "week", "aios_weeks"])
    out = weeks.merge(moments, on=["cohort", "week"], how="left").fillna({"moments": 0})
    out["moments"] = out["moments"].astype(int).astype("Int64")
    out["per_aios_week"] = out["moments"] / out["aios_weeks"]
    return out.sort_values(["cohort", "week"], ignore_index=True)


def load_feedback_moments(
    engine: Engine,
    viewer: Viewer,
    *,
    today: dt.date,
    stage_id: int | None = None,
    week: int | None = None,
    stageplaats_id: int | None = None,
    begeleider_id: int | None = None,
    cohort_ids: tuple[int, ...] | None = None,
    limit: int = 200,
) -> pd.DataFrame:
    """The moments behind a heatmap cell (one stage, optionally one week) or behind a row of
    the per-stageplaats / per-begeleider table (within the same cohorts), newest first, at
    most `limit`.

    A moment is a record about one aios: only the moments of aios the viewer sees one by one
    (individual scope), also behind a site's or begeleider's row; the others come as counts of
    groups (load_feedback_breakdown). Columns: date, week, kind, asked_by_aios, giver, topic.
    """
    scope = individual_stage_condition(viewer)
    week_col = (days_between(FeedbackMoment.date, Stage.start_date) // 7 + 1).label("week")
    stmt = (
        select(FeedbackMoment.date, week_col, FeedbackMoment.kind, FeedbackMoment.asked_by_aios,
               UserAccount.display_name.label("giver"), FeedbackMoment.topic)
        .join(Stage, Stage.id == FeedbackMoment.stage_id)
        .join(Aios, Aios.id == Stage.aios_id)
        .join(UserAccount, UserAccount.id == FeedbackMoment.giver_id)
        .where(scope, FeedbackMoment.date <= today)
        .order_by(FeedbackMoment.date.desc(), FeedbackMoment.id.desc())
        .limit(limit)
    )
    if stage_id is not None:
        stmt = stmt.where(Stage.id == stage_id)
    if week is not None:
        stmt = stmt.where(week_col == week)
    if stageplaats_id is not None:
        stmt = stmt.where(Stage.stageplaats_id == stageplaats_id)
    if begeleider_id is not None:
        stmt = stmt.where(Stage.id.in_(select(StageBegeleider.stage_id).where(StageBegeleider.begeleider_id == begeleider_id)))
    if cohort_ids:
        stmt = stmt.where(Aios.cohort_id.in_(cohort_ids))
    frame = enum_values(read_frame(engine, stmt), "kind")
    frame["asked_by_aios"] = frame["asked_by_aios"].astype(bool)
    return frame


WEEK_BANDS = ((1, 4, "week 1–4"), (5, 8, "week 5–8"), (9, 13, "week 9–13"), (14, None, "week 14 en later"))


def load_feedback_breakdown(
    engine: Engine,
    viewer: Viewer,
    *,
    today: dt.date,
    stageplaats_id: int | None = None,
    begeleider_id: int | None = None,
    cohort_ids: tuple[int, ...] | None = None,
    threshold: int | None = None,
) -> pd.DataFrame:
    """The moments behind a row of the per-stageplaats / per-begeleider table as counts, never
    records: per part of the stage (week bands) and kind, with the number of aios behind them.
    For the stagecommissie, instead of load_feedback_moments' records.

    Over the counted stages as in load_feedback_frequency (a begeleider cuts the cells: only the
    aios the viewer sees one by one); empty (no rows) without any. Columns: band, kind, moments,
    asked_by_aios, aios.
    """
    threshold = installation_threshold(engine) if threshold is None else threshold
    stages = _counted_stages(viewer, threshold, today, cohort_ids=cohort_ids, stageplaats_id=stageplaats_id,
                             cuts_cells=begeleider_id is not None)
    if begeleider_id is not None:
        stages = select(StageBegeleider.stage_id).where(StageBegeleider.begeleider_id == begeleider_id,
                                                        StageBegeleider.stage_id.in_(stages)).scalar_subquery()
    with engine.connect() as conn:
        n = conn.execute(select(func.count(func.distinct(Stage.aios_id))).where(Stage.id.in_(stages))).scalar_one()
    columns = ["band", "kind", "moments", "asked_by_aios", "aios"]
    if n == 0:
        return pd.DataFrame(columns=columns)
    week = days_between(FeedbackMoment.date, Stage.start_date) // 7 + 1
    band = case(*[((week <= high) if high else (week >= low), label) for low, high, label in WEEK_BANDS[:-1]],
                else_=WEEK_BANDS[-1][2]).label("band")
    stmt = (
        select(band, FeedbackMoment.kind, func.count().label("moments"),
               func.sum(case((FeedbackMoment.asked_by_aios, 1), else_=0)).label("asked_by_aios"))
        .join(Stage, Stage.id == FeedbackMoment.stage_id)
        .where(Stage.id.in_(stages), FeedbackMoment.date <= today)
        .group_by(band, FeedbackMoment.kind)
    )
    frame = enum_values(read_frame(engine, stmt), "kind")
    order = {label: i for i, (_, _, label) in enumerate(WEEK_BANDS)}
    frame = frame.sort_values(["band", "kind"], key=lambda c: c.map(order) if c.name == "band" else c, ignore_index=True)
    frame["asked_by_aios"] = frame["asked_by_aios"].astype(int)
    frame["aios"] = int(n)
    return frame[columns]


def load_request_response(
    engine: Engine,
    viewer: Viewer,
    *,
    by: Literal["stageplaats", "begeleider"],
    today: dt.date,
    expiry_days: int,
    opleiding_id: int | None = None,
    cohort_ids: tuple[int, ...] | None = None,
    threshold: int | None = None,
) -> pd.DataFrame:
    """Feedback requests asked vs answered, per stageplaats or per asked begeleider, with n.

    Columns: group_id, name, aios (n of distinct aios who asked), asked, answered, declined,
    open, median_days (days from asking to the answer, over answered requests), due (requests
    asked at least `expiry_days` ago, whose fate within that time is known), expired (of those:
    neither answered nor declined within `expiry_days`: "verlopen") and expired_share.

    As load_feedback_frequency: the figures are about aios, over the counted stages only (per
    begeleider only the aios the viewer sees one by one; `threshold` the installation's when None).
    """
    threshold = installation_threshold(engine) if threshold is None else threshold
    stages = _counted_stages(viewer, threshold, today, opleiding_id=opleiding_id, cohort_ids=cohort_ids,
                             cuts_cells=by == "begeleider")
    stmt = (
        select(Stage.aios_id, FeedbackRequest.asked_on, FeedbackRequest.answered_on, FeedbackRequest.declined_on)
        .select_from(FeedbackRequest)
        .join(Stage, Stage.id == FeedbackRequest.stage_id)
        .join(Aios, Aios.id == Stage.aios_id)
        .where(Stage.id.in_(stages), FeedbackRequest.asked_on <= today)
    )
    if by == "stageplaats":
        stmt = stmt.add_columns(Stage.stageplaats_id.label("group_id"), Stageplaats.name.label("name")).join(
            Stageplaats, Stageplaats.id == Stage.stageplaats_id)
    else:
        stmt = (stmt.add_columns(FeedbackRequest.begeleider_id.label("group_id"), UserAccount.display_name.label("name"))
                .join(Stagebegeleider, Stagebegeleider.id == FeedbackRequest.begeleider_id)
                .join(UserAccount, UserAccount.id == Stagebegeleider.user_id))
    rows = read_frame(engine, stmt)
    columns = ["group_id", "name", "aios", "asked", "answered", "declined", "open", "median_days", "due",
               "expired", "expired_share"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    # Answers and refusals after today do not exist yet for a page that looks back to today.
    answered = rows["answered_on"].where(rows["answered_on"].map(lambda d: d is not None and pd.notna(d) and d <= today))
    declined = rows["declined_on"].where(rows["declined_on"].map(lambda d: d is not None and pd.notna(d) and d <= today))
    asked = pd.to_datetime(rows["asked_on"])
    rows["answered"] = answered.notna()
    rows["declined"] = declined.notna()
    rows["days"] = (pd.to_datetime(answered) - asked).dt.days
    replied = pd.to_datetime(answered.fillna(declined))
    rows["due"] = asked <= pd.Timestamp(today - dt.timedelta(days=expiry_days))
    rows["expired"] = rows["due"] & ~((replied - asked).dt.days <= expiry_days)
    out = rows.groupby(["group_id", "name"], as_index=False).agg(
        aios=("aios_id", "nunique"), asked=("asked_on", "size"),
        answered=("answered", "sum"), declined=("declined", "sum"), median_days=("days", "median"),
        due=("due", "sum"), expired=("expired", "sum"))
    out["open"] = out["asked"] - out["answered"] - out["declined"]
    out["expired_share"] = out["expired"] / out["due"].where(out["due"] > 0)
    counts = ["asked", "answered", "declined", "open", "due", "expired"]
    out[counts] = out[counts].astype("Int64")
    out[["median_days", "expired_share"]] = out[["median_days", "expired_share"]].astype(float)
    return out.sort_values("name", ignore_index=True)[columns]
