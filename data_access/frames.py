"""Run a SELECT and return a DataFrame: the one place rows become frames."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, Select


def read_frame(engine: Engine, stmt: Select) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.all(), columns=list(result.keys()))


def enum_values(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Enum members → their Dutch values, so frames pickle small and print as users read them."""
    for col in columns:
        frame[col] = frame[col].map(lambda v: getattr(v, "value", v))
    return frame
