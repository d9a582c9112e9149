"""Templates a programme office fills in: the Dutch columns and one example row, and in Excel a
second sheet that explains every column (what identifies a record, what is refused)."""

from __future__ import annotations

import io

import pandas as pd

from data_access.importer.kinds import KINDS


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
        return frame.to_csv(index=False, sep=";").encode("utf-8-sig")
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name="sjabloon")
        notes(kind).to_excel(writer, index=False, sheet_name="toelichting")
    return buffer.getvalue()
