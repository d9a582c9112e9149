"""The stage cycle as rules: which gesprekken are due by a given day (seeds 001, 002, 004).

Targets are guidelines (DOMAIN.md): these rules say what is expected so far, so a page can show
progress against it and explain a flag in words; they judge nobody.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from data_access.models import GesprekType

# Days after the stage start by which the startgesprek should have happened (week 1).
STARTGESPREK_DUE_DAYS = 7
# The evaluatiegesprek is "about halfway": due at the midpoint plus this grace.
EVALUATIE_GRACE_DAYS = 7


def due_dates(start: dt.date, end: dt.date) -> dict[GesprekType, dt.date]:
    """When each one-off gesprek of a stage is due."""
    midpoint = start + dt.timedelta(days=(end - start).days // 2)
    return {
        GesprekType.KENNISMAKING: start,
        GesprekType.STARTGESPREK: start + dt.timedelta(days=STARTGESPREK_DUE_DAYS),
        GesprekType.EVALUATIEGESPREK: midpoint + dt.timedelta(days=EVALUATIE_GRACE_DAYS),
        GesprekType.EINDGESPREK: end,
    }


def add_expected_gesprekken(frame: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Add week, weeks_total and expected_<type> columns to rows with start_date/end_date.

    - startgesprek: 1 from the end of week 1;
    - begeleidingsgesprek: one a week for every full week after the first, until the last week
      (the first and last weeks have the start- and eindgesprek);
    - evaluatiegesprek: 1 from the midpoint plus a week's grace;
    - eindgesprek: 1 once the end date has passed.
    Kennismaking is "ideally" before the start and is not expected.
    """
    out = frame.copy()
    start = pd.to_datetime(out["start_date"])
    end = pd.to_datetime(out["end_date"])
    now = pd.Timestamp(today)
    length = (end - start).dt.days
    elapsed = (now - start).dt.days.clip(lower=0)
    elapsed = np.minimum(elapsed, length)
    weeks_total = np.ceil(length / 7).astype(int)
    full_weeks = elapsed // 7
    out["weeks_total"] = weeks_total
    out["week"] = np.where(now < start, 0, np.minimum(full_weeks + 1, weeks_total)).astype(int)
    out["expected_startgesprek"] = (now >= start + pd.Timedelta(days=STARTGESPREK_DUE_DAYS)).astype(int)
    out["expected_begeleidingsgesprek"] = (
        np.minimum(full_weeks, weeks_total - 1) - 1
    ).clip(lower=0).astype(int)
    midpoint = start + pd.to_timedelta(length // 2, unit="D")
    out["expected_evaluatiegesprek"] = (
        now >= midpoint + pd.Timedelta(days=EVALUATIE_GRACE_DAYS)
    ).astype(int)
    out["expected_eindgesprek"] = (now > end).astype(int)
    return out
