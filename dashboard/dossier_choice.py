"""Which aios and stage the aiosdossier opens on without a link: the aios whose current stage
needs attention most (most signals, then the most overdue gesprek), never the first name in the
alphabet; with nothing current, a list to choose from. Of a chosen aios, the current stage."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.data import stage_progress
from data_access.queries.filters import StageSelection
from data_access.urgency import most_overdue_first
from data_access.viewer import Viewer


def attention_aios(viewer: Viewer, filters: StageSelection, aios_ids: list[int]) -> int | None:
    """Among `aios_ids`, the aios whose running stage needs attention most; None if none runs."""
    running = stage_progress(viewer, StageSelection(today=filters.today, opleiding_id=filters.opleiding_id,
                                                    cohort_ids=filters.cohort_ids, running_only=True))
    running = running[running["aios_id"].isin(aios_ids)]
    if running.empty:
        return None
    ordered = most_overdue_first(running, filters.today)
    ordered = ordered.sort_values("flag_count", ascending=False, kind="stable")
    return int(ordered["aios_id"].iloc[0])


def current_stage(stages: pd.DataFrame, today: dt.date) -> int:
    """The stage running today (the latest if several), else the newest (`stages` come newest
    first): the stage of an aios someone chose, never an older one picked by name."""
    running = stages[(stages["start_date"] <= today) & (stages["end_date"] >= today)]
    if not running.empty:
        return int(running.sort_values("start_date")["stage_id"].iloc[-1])
    return int(stages["stage_id"].iloc[0])
