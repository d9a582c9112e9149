"""The stage selection shared by the per-aios queries: scope first, then the page's filters."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import ColumnElement, Engine, and_, select

from data_access.frames import read_frame
from data_access.models import Aios, Cohort, Opleiding, Stage
from data_access.scope import individual_stage_condition, viewer_opleiding_ids
from data_access.viewer import Viewer


def stage_conditions(
    viewer: Viewer,
    today: dt.date,
    *,
    opleiding_id: int | None = None,
    cohort_ids: tuple[int, ...] | None = None,
    running_only: bool = True,
    aios_id: int | None = None,
    stage_ids: tuple[int, ...] | None = None,
) -> ColumnElement[bool]:
    """Conditions on Stage (joined with Aios) for the stages a per-aios view shows.

    Running stages (start ≤ today ≤ end) by default: the whole history of a national programme
    is asked for one aios at a time.
    """
    conditions = [individual_stage_condition(viewer)]
    if opleiding_id is not None:
        conditions.append(Aios.opleiding_id == opleiding_id)
    if cohort_ids:
        conditions.append(Aios.cohort_id.in_(cohort_ids))
    if running_only:
        conditions += [Stage.start_date <= today, Stage.end_date >= today]
    if aios_id is not None:
        conditions.append(Stage.aios_id == aios_id)
    if stage_ids:
        conditions.append(Stage.id.in_(stage_ids))
    return and_(*conditions)


def load_filter_options(engine: Engine, viewer: Viewer) -> pd.DataFrame:
    """Programmes and cohorts the viewer works with, for the shared sidebar filters.

    Columns: opleiding_id, opleiding, cohort_id, cohort, start_year (newest cohort first).
    """
    stmt = (
        select(
            Opleiding.id.label("opleiding_id"),
            Opleiding.name.label("opleiding"),
            Cohort.id.label("cohort_id"),
            Cohort.name.label("cohort"),
            Cohort.start_year,
        )
        .join(Cohort, Cohort.opleiding_id == Opleiding.id)
        .where(Opleiding.id.in_(viewer_opleiding_ids(viewer)))
        .order_by(Opleiding.name, Cohort.start_year.desc())
    )
    return read_frame(engine, stmt)
