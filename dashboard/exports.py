"""Downloads: the same table as CSV (Dutch Excel reads ';' and a BOM) and as .xlsx, through the
one spreadsheet writer of data_access (text stays text, never a formula)."""

from __future__ import annotations

import pandas as pd

from data_access.spreadsheets import csv_bytes, xlsx_bytes


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    return csv_bytes(frame)


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str) -> bytes:
    return xlsx_bytes({sheet: frame})


def to_xlsx_sheets(sheets: dict[str, pd.DataFrame]) -> bytes:
    return xlsx_bytes(sheets)
