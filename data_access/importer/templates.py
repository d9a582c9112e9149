"""Templates a programme office fills in: the Dutch columns and one example row, and in Excel a
second sheet that explains every column (what identifies a record, what is refused)."""

from __future__ import annotations

import pandas as pd

from data_access.importer.kinds import KINDS
from data_access.spreadsheets import csv_bytes, xlsx_bytes


def template(kind: str) -> pd.DataFrame:
    """The template of a kind: Dutch column names and one example row."""
    k = KINDS[kind]
    return pd.DataFrame([k.example], columns=[c.rstrip("*") for c in k.columns])


def notes(kind: str) -> pd.DataFrame:
    k = KINDS[kind]
    return pd.DataFrame([(c.rstrip("*"), "ja" if c.endswith("*") else "nee", k.notes.get(c.rstrip("*"), ""))
                         for c in k.columns], columns=["kolom", "verplicht", "toelichting"])


def template_file(kind: str, fmt: str) -> bytes:
    """The template as bytes: 'csv' (';', UTF-8 with BOM, as Dutch Excel opens it) or 'xlsx'
    (sheet 'sjabloon' plus sheet 'toelichting'). All template writing goes through here."""
    frame = template(kind)
    if fmt == "csv":
        return csv_bytes(frame)
    return xlsx_bytes({"sjabloon": frame, "toelichting": notes(kind)})
