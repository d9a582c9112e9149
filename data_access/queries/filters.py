"""The stage selection shared by the per-aios queries: scope first, then the page's filters."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_

from data_access.models import Aios, Stage
from data_access.scope import individual_stage_ids
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
    conditions = [Stage.id.in_(individual_stage_ids(viewer))]
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
