"""Which aios needs a gesprek most: the default of a begeleider's form and the order of their
cards, so that the aios whose gesprek is most overdue comes first, not the first by name."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data_access.cycle import due_dates, next_gesprek_type
from data_access.models import GesprekType

WEEKLY_DAYS = 7  # a begeleidingsgesprek every week (seed 002)
# After the eindgesprek nothing is due (cycle.cycle_closed): below every stage with a gesprek due.
NOTHING_DUE = -100_000


def overdue_days(row: pd.Series, today: dt.date) -> int:
    """Days the gesprek due in a stage (a row of load_stage_progress) is overdue; negative when
    it is not due yet. A one-off counts from its due date, the weekly begeleidingsgesprek from a
    week after the last gesprek (or after the start, when none was held). NOTHING_DUE after the
    eindgesprek."""
    gtype = next_gesprek_type(row, today)
    if gtype is None:
        return NOTHING_DUE
    if gtype is not GesprekType.BEGELEIDINGSGESPREK:
        return (today - due_dates(row["start_date"], row["end_date"])[gtype]).days
    since = row["days_since_gesprek"]
    if since is None or pd.isna(since):
        since = (today - row["start_date"]).days
    return int(since) - WEEKLY_DAYS


def most_overdue_first(progress: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """The stages ordered by how overdue their gesprek is (most first; by name on a tie), with
    `overdue_days` added."""
    if progress.empty:
        return progress.assign(overdue_days=pd.Series(dtype=int))
    out = progress.assign(overdue_days=[overdue_days(row, today) for _, row in progress.iterrows()])
    return out.sort_values(["overdue_days", "aios_name"], ascending=[False, True], kind="stable")
