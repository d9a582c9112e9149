"""The stage selection shared by the per-aios queries, and the options of the shared filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import ColumnElement, Engine, and_, select

from data_access.frames import read_frame
from data_access.models import Aios, Cohort, Opleiding, Stage, Stageplaats
from data_access.scope import individual_stage_condition, viewer_opleiding_ids
from data_access.viewer import Viewer


@dataclass(frozen=True)
class StageSelection:
    """Which stages a per-aios view shows, within what the viewer may see.

    Running stages (start ≤ today ≤ end) by default: the whole history of a national programme
    is asked for one aios at a time. Frozen and hashable, so it can key a cache.
    """

    today: dt.date
    opleiding_id: int | None = None
    cohort_ids: tuple[int, ...] = ()
    running_only: bool = True
    aios_id: int | None = None
    stage_ids: tuple[int, ...] = ()


def stage_conditions(viewer: Viewer, selection: StageSelection) -> ColumnElement[bool]:
    """Conditions on Stage joined with Aios: the viewer's scope first, then the selection."""
    conditions = [individual_stage_condition(viewer)]
    if selection.opleiding_id is not None:
        conditions.append(Aios.opleiding_id == selection.opleiding_id)
    if selection.cohort_ids:
        conditions.append(Aios.cohort_id.in_(selection.cohort_ids))
    if selection.running_only:
        conditions += [Stage.start_date <= selection.today, Stage.end_date >= selection.today]
    if selection.aios_id is not None:
        conditions.append(Stage.aios_id == selection.aios_id)
    if selection.stage_ids:
        conditions.append(Stage.id.in_(selection.stage_ids))
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


def load_stageplaats_options(engine: Engine, viewer: Viewer, opleiding_id: int | None = None) -> pd.DataFrame:
    """Stageplaatsen of the viewer's programmes, for filters. Columns: stageplaats_id, stageplaats."""
    stmt = (
        select(Stageplaats.id.label("stageplaats_id"), Stageplaats.name.label("stageplaats"))
        .where(Stageplaats.opleiding_id.in_(viewer_opleiding_ids(viewer)))
        .order_by(Stageplaats.name)
    )
    if opleiding_id is not None:
        stmt = stmt.where(Stageplaats.opleiding_id == opleiding_id)
    return read_frame(engine, stmt)
