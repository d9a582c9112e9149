"""Every CSV and Excel file the app writes, written so that text stays text.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula by
spreadsheet programs (OWASP "CSV injection"): a name such as `=HYPERLINK("http://…")` typed by
one user would run on the computer of another who opens the export. So:

- in Excel files every string is a string cell (openpyxl would otherwise store a string that
  starts with `=` as a formula); the text itself is kept exactly as typed;
- in CSV files such a string gets a leading apostrophe (`'=…`), OWASP's advice, which Excel
  and LibreOffice show as text and do not evaluate.

Numbers, dates and booleans are written as themselves. No Streamlit here: the exports in
data_access and the downloads in dashboard/ use the same two functions.
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def defuse(value: object) -> object:
    """A CSV cell: a string that a spreadsheet would evaluate gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as CSV for Dutch Excel (';' and a BOM, so accents and columns open intact)."""
    safe = frame.apply(lambda col: col.map(defuse) if col.dtype == object or pd.api.types.is_string_dtype(col) else col)
    safe.columns = [defuse(str(c)) for c in frame.columns]
    # CRLF rows (RFC 4180): a field holding a CR or LF is then quoted, so it cannot split a row.
    return safe.to_csv(index=False, sep=";", date_format="%Y-%m-%d", lineterminator="\r\n").encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One workbook, a sheet per frame (name → frame), one header row each, dates as dates,
    every string a string cell."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl", date_format="DD-MM-YYYY") as writer:
        for sheet, frame in sheets.items():
            frame.to_excel(writer, index=False, sheet_name=sheet[:31])
            sheet_obj = writer.sheets[sheet[:31]]
            for column in sheet_obj.iter_cols():
                for cell in column:
                    if cell.data_type == "f":  # openpyxl took a string starting with '=' for a formula
                        cell.data_type = "s"
                width = max(len(str(c.value or "")) for c in column[:200])  # Excel has no auto-fit on open
                sheet_obj.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    return buffer.getvalue()
