"""Reading the files programme offices really have into a frame of stripped strings.

CSV and text exports (UTF-8 with or without BOM, UTF-16 with BOM as Excel's "Unicode-tekst",
Windows-1252; ',', ';' or tab) and .xlsx workbooks (first sheet). The header is the first row
that holds the kind's required columns, so a title row and blank rows above it are fine. A row
with more or fewer fields than the header is refused with its row number: columns never shift.
Size and line length are checked before anything is parsed, and every step is linear.

The frame's index is the row number the user sees in a spreadsheet (index name "rij");
`frame.attrs["kopregel"]` is the header's row number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass

import pandas as pd

from data_access.importer.fields import dutch_int, dutch_number

XLS_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Excel (OLE) format
XLSX_SIGNATURE = b"PK\x03\x04"  # a zip: .xlsx
SEPARATORS = ("\t", ";", ",")
HEADER_SEARCH_ROWS = 20
MAX_ROW_ERRORS = 10


class UnreadableFile(ValueError):
    """The file is not a table we can read (the message is Dutch, for the user)."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_line_chars: int


def default_limits() -> Limits:
    from data_access.settings import load_settings

    settings = load_settings()
    return Limits(settings.import_max_bytes, settings.import_max_line_chars)


def read_table(raw: bytes, filename: str, required: list[str] | None = None,
               limits: Limits | None = None) -> pd.DataFrame:
    """The file as a frame of stripped strings ('' for empty), header names lowered; fully empty
    rows skipped. `required`: the column names that identify the header row."""
    limits = limits or default_limits()
    if len(raw) > limits.max_bytes:
        raise UnreadableFile(f"Het bestand is te groot ({dutch_number(round(len(raw) / 1e6, 1))} MB); "
                             f"maximaal {dutch_number(round(limits.max_bytes / 1e6, 1))} MB.")
    if raw.startswith(XLS_SIGNATURE) or filename.lower().endswith(".xls"):
        raise UnreadableFile("Dit is een oud Excel-bestand (.xls). Sla het bestand op als .xlsx (Excel-werkmap) of CSV "
                             "en probeer het opnieuw.")
    excel = raw.startswith(XLSX_SIGNATURE) or filename.lower().endswith((".xlsx", ".xlsm"))
    rows = _excel_rows(raw, limits) if excel else _text_rows(raw, limits)
    return _table(rows, [c.lower() for c in required or []])


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    elif raw.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    else:
        encodings = ("utf-8", "cp1252")
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise UnreadableFile("Het bestand is geen tekst in UTF-8, UTF-16 of Windows-1252. "
                         "Sla het op als CSV (UTF-8) of als .xlsx (Excel-werkmap).")


def _text_rows(raw: bytes, limits: Limits) -> list[tuple[int, list[str]]]:
    text = _decode(raw)
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        if len(line) > limits.max_line_chars:
            raise UnreadableFile(f"Rij {number} is te lang ({dutch_int(len(line))} tekens; maximaal "
                                 f"{dutch_int(limits.max_line_chars)}). Is dit wel een CSV-bestand?")
    sample = [line for line in lines[:HEADER_SEARCH_ROWS * 2] if line.strip()][:HEADER_SEARCH_ROWS]
    separator = max(SEPARATORS, key=lambda s: sum(line.count(s) for line in sample))
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_line_chars))
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    rows = []
    try:
        line = 1
        for fields in reader:
            rows.append((line, fields))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableFile(f"Rij {reader.line_num} kan niet gelezen worden (een aanhalingsteken of teken dat niet "
                             "klopt). Controleer die rij.") from exc
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _excel_rows(raw: bytes, limits: Limits) -> list[tuple[int, list[str]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFile("Het bestand is geen leesbaar Excel-bestand (.xlsx). Sla het opnieuw op als .xlsx "
                             "(Excel-werkmap) of CSV.") from exc
    try:
        rows = []
        for number, cells in enumerate(book.worksheets[0].iter_rows(values_only=True), 1):
            texts = [_cell_text(c) for c in cells]
            if sum(map(len, texts)) > limits.max_line_chars:
                raise UnreadableFile(f"Rij {number} is te lang (meer dan {dutch_int(limits.max_line_chars)} tekens).")
            rows.append((number, texts))
        return rows
    finally:
        book.close()


def _trimmed(fields: list[str]) -> list[str]:
    end = len(fields)
    while end and not fields[end - 1].strip():
        end -= 1
    return fields[:end]


def _find_header(rows: list[tuple[int, list[str]]], required: list[str]) -> int:
    """Index in `rows` of the header: the first of the first non-empty rows holding every required
    column, else the one holding most of them (the plan then names what is missing)."""
    candidates = [i for i, (_, fields) in enumerate(rows) if _trimmed(fields)][:HEADER_SEARCH_ROWS]
    if not candidates:
        raise UnreadableFile("Het bestand is leeg.")
    if not required:
        return candidates[0]

    def found(i: int) -> int:
        names = {f.strip().lower() for f in rows[i][1]}
        return sum(c in names for c in required)
    return max(candidates, key=lambda i: (found(i), -i))


def _table(rows: list[tuple[int, list[str]]], required: list[str]) -> pd.DataFrame:
    at = _find_header(rows, required)
    header_line, header_fields = rows[at]
    width, named = len(header_fields), len(_trimmed(header_fields))
    names = [f.strip().lower() for f in header_fields]
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise UnreadableFile(f"De kolom '{name}' staat twee keer in de kopregel (rij {header_line}).")
        seen.add(name)
    data, lines, errors = [], [], []
    for line, fields in rows[at + 1:]:
        if not _trimmed(fields):
            continue
        # Empty fields past the last header name (or missing there) shift nothing.
        if len(fields) < named or _trimmed(fields[width:]):
            errors.append(f"Rij {line} heeft {len(fields)} velden, de kopregel (rij {header_line}) "
                          f"{named if len(fields) < named else width}: "
                          "de kolommen zouden verschuiven. Controleer de scheidingstekens en aanhalingstekens in die rij.")
            if len(errors) == MAX_ROW_ERRORS:
                break
            continue
        data.append([f.strip() for f in fields[:width]] + [""] * (width - len(fields)))
        lines.append(line)
    if errors:
        raise UnreadableFile("\n".join(errors))
    frame = pd.DataFrame(data, columns=[n or f"(kolom {i + 1} zonder naam)" for i, n in enumerate(names)],
                         index=pd.Index(lines, name="rij"), dtype=object)
    unnamed = [c for c, n in zip(frame.columns, names) if not n and not (frame[c] != "").any()]
    frame = frame.drop(columns=unnamed)
    frame.attrs["kopregel"] = header_line
    return frame
