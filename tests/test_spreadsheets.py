"""Spreadsheet formula injection: text that starts with =, +, -, @, tab or CR is text in every
CSV and Excel file the app makes (all downloads, full and AVG export, meeting pack, audit log,
import templates)."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
import streamlit as st
from sqlalchemy import update

from dashboard.actions import database_export, personal_export
from dashboard.data import audit, audit_files, cohort_files, meeting_pack, stageplaats_overview
from dashboard.exports import to_csv_bytes, to_xlsx_bytes
from dashboard.tables import sites_export
from data_access.audit import record_export
from data_access.db import make_engine, migrate
from data_access.importer import KINDS, template_file
from data_access.models import UserAccount
from data_access.queries.filters import StageSelection
from data_access.spreadsheets import FORMULA_STARTS, csv_bytes, defuse, xlsx_bytes
from data_access.viewer import viewer_for
from tests.fixture_data import TODAY, load_fixture, uid
from tests.payload import poison_database

NUMBER = re.compile(r"-?\d+([.,]\d+)?")


def test_the_helpers_write_formula_like_text_as_text():
    frame = __import__("pandas").DataFrame({"tekst": ["=1+1", "+31 6", "-x", "@SUM(A1)", "\tx", "\rx", "gewoon"],
                                           "getal": [1, -2, 3, 4, 5, 6, 7]})
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"Blad": frame})))
    cells = [(c.value, c.data_type) for c in book["Blad"]["A"][1:]]
    # (XML reads a carriage return back as a newline)
    assert cells == [("=1+1", "s"), ("+31 6", "s"), ("-x", "s"), ("@SUM(A1)", "s"), ("\tx", "s"), ("\nx", "s"),
                     ("gewoon", "s")]
    assert [c.value for c in book["Blad"]["B"][1:]] == [1, -2, 3, 4, 5, 6, 7]
    rows = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8-sig")), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["'=1+1", "'+31 6", "'-x", "'@SUM(A1)", "'\tx", "'\rx", "gewoon"]
    assert [r[1] for r in rows[1:]] == ["1", "-2", "3", "4", "5", "6", "7"]
    assert defuse(-2) == -2


@pytest.fixture
def poisoned_app(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'gif.sqlite'}"
    engine = make_engine(url)
    migrate(engine)
    load_fixture(engine)
    poison_database(engine)
    monkeypatch.setenv("STAGE_DB_URL", url)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield engine
    st.cache_resource.clear()
    st.cache_data.clear()
    engine.dispose()


def _check_xlsx(data: bytes) -> int:
    """Every string cell is a string (never a formula); returns how many hold the payload."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    return sum(1 for c in cells if isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS))


def _check_csv(data: bytes) -> int:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    fields = [f for row in rows for f in row]
    assert [f for f in fields if f.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(f)] == []
    return sum(1 for f in fields if f.startswith(tuple("'" + c for c in FORMULA_STARTS)))


def test_every_csv_and_excel_file_of_the_app_writes_text_as_text(poisoned_app):
    engine = poisoned_app
    admin, opleider, commissie = (viewer_for(engine, u) for u in ("admin", "opl1", "com1"))
    with engine.begin() as conn:  # a username may start with '-' (letters, digits, . _ -)
        conn.execute(update(UserAccount).where(UserAccount.username == "bg3").values(username="-bg3"))
    record_export(engine, uid("bg3"), "test")
    selection = StageSelection(today=TODAY, opleiding_id=1, cohort_ids=(), running_only=False)
    cohort_csv, cohort_xlsx = cohort_files(opleider, selection, ())
    overview, _ = stageplaats_overview(commissie, selection)
    sites = sites_export(overview, 3)
    log = audit(admin)
    log_csv, log_xlsx = audit_files(admin, log, {})
    files = {
        "cohort.csv": cohort_csv(), "cohort.xlsx": cohort_xlsx(),
        "stageplaatsen.csv": to_csv_bytes(sites), "stageplaatsen.xlsx": to_xlsx_bytes(sites, "Stageplaatsen"),
        "vergaderstuk.xlsx": meeting_pack(commissie, selection, (1, 2))()[1],
        "database.xlsx": database_export(admin), "inzage.xlsx": personal_export(admin, 1)[0],
        "auditlog.csv": log_csv(), "auditlog.xlsx": log_xlsx(),
    }
    found = {name: (_check_csv if name.endswith(".csv") else _check_xlsx)(data) for name, data in files.items()}
    assert [name for name, n in found.items() if n == 0] == []  # the payload reached every file
    for kind in KINDS:  # the import templates hold examples, through the same writer
        _check_xlsx(template_file(kind, "xlsx"))
        _check_csv(template_file(kind, "csv"))


def _export_rows(engine) -> list[tuple]:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from data_access.models import AuditLog
    with Session(engine) as s:
        return [(a.user_id, a.entity, a.entity_id, a.after) for a in
                s.execute(select(AuditLog).where(AuditLog.action == "geëxporteerd").order_by(AuditLog.id)).scalars()]


def test_downloads_of_personal_data_are_built_and_audited_on_the_click_not_on_the_page_view(poisoned_app):
    from dashboard.data import aios_summary

    engine = poisoned_app
    admin, opleider, commissie = (viewer_for(engine, u) for u in ("admin", "opl1", "com1"))
    selection = StageSelection(today=TODAY, opleiding_id=1, cohort_ids=(), running_only=False)
    cohort_csv, cohort_xlsx = cohort_files(opleider, selection, ())
    pdf = aios_summary(opleider, 1, TODAY)
    pack = meeting_pack(commissie, selection, (2, 1))
    log_csv, _ = audit_files(admin, audit(admin), {"actie": "geëxporteerd"})
    assert _export_rows(engine) == []  # what a page run builds writes nothing
    cohort_xlsx(), log_csv()
    pdfs = [pdf(), pack()[0]]
    assert [b"/URI" in p or b"/Link" in p for p in pdfs] == [False, False]  # fpdf2 without markdown: no links
    assert _export_rows(engine) == [
        (opleider.user_id, "export", None, {"soort": "cohortoverzicht", "formaat": "xlsx", "aios": [1, 2]}),
        (admin.user_id, "export", None, {"soort": "auditlog", "formaat": "csv", "filters": {"actie": "geëxporteerd"},
                                         "regels": 0}),
        (opleider.user_id, "aios", 1, {"soort": "samenvatting (PDF)", "stage": 1}),
        (commissie.user_id, "export", None, {"soort": "vergaderstuk", "stageplaatsen": [2, 1]}),
    ]
