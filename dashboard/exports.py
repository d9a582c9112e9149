"""Downloads: the same table as CSV (Dutch Excel reads ';' and a BOM) and as .xlsx."""

from __future__ import annotations

import io

import pandas as pd


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    # utf-8-sig and ';' so that Dutch Excel opens it with the accents and columns intact.
    return frame.to_csv(index=False, sep=";", encoding="utf-8-sig", date_format="%Y-%m-%d").encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str) -> bytes:
    return to_xlsx_sheets({sheet: frame})


def to_xlsx_sheets(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One workbook, a sheet per frame (name → frame), one header row each, dates as dates."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl", date_format="DD-MM-YYYY") as writer:
        for sheet, frame in sheets.items():
            frame.to_excel(writer, index=False, sheet_name=sheet[:31])
            sheet_obj = writer.sheets[sheet[:31]]
            for column in sheet_obj.columns:  # readable widths; Excel has no auto-fit on open
                width = max(len(str(c.value or "")) for c in column[:200])
                sheet_obj.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    return buffer.getvalue()
