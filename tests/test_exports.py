"""Exports: ratings never leave the database except as aggregates, and every export is audited."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.audit import load_data_version
from data_access.beheer import EXPLANATION, aios_export_json, export_aios, export_aios_files, export_database
from data_access.models import AuditLog, StageverslagVersie, VerslagKind
from data_access.spreadsheets import xlsx_bytes
from data_access.viewer import viewer_for
from tests.fixture_data import RATINGS, uid

COMMENTS = [r[3] for r in RATINGS.values() if r[3]]


def _cells(sheets) -> str:
    return json.dumps({k: v.astype(str).values.tolist() for k, v in sheets.items()}, ensure_ascii=False)


def _exports(engine) -> list[tuple]:
    with Session(engine) as s:
        return [(a.user_id, a.action, a.entity, a.entity_id, a.after) for a in
                s.execute(select(AuditLog).where(AuditLog.action == "geëxporteerd").order_by(AuditLog.id)).scalars()]


def test_the_full_export_leaves_out_the_rating_tables_and_says_so_on_toelichting(fresh_db):
    sheets = export_database(fresh_db, viewer_for(fresh_db, "admin"))
    assert list(sheets)[0] == "Toelichting"
    assert sheets["Toelichting"]["Toelichting"].tolist() == EXPLANATION
    assert "stageplaats_rating" not in sheets and "rating_item_score" not in sheets
    assert "stageplaats" in sheets and len(sheets["stage"]) == 8
    text = _cells({k: v for k, v in sheets.items() if k != "Toelichting"})
    assert [c for c in COMMENTS if c in text] == []


def test_the_avg_export_says_that_and_when_the_aios_rated_a_stage_not_what(fresh_db):
    sheets = export_aios(fresh_db, viewer_for(fresh_db, "admin"), 1)
    rated = sheets["stageplaatsbeoordelingen"]
    assert list(rated.columns) == ["stage_id", "stageplaats", "beoordeeld_op"]
    assert rated.values.tolist() == [[8, "GGD Noord", dt.date(2024, 12, 10)], [5, "Arbodienst Zuid", dt.date(2025, 12, 1)]]
    text = _cells(sheets)
    assert [c for c in COMMENTS if c in text] == []
    assert "leerklimaat" not in text and "rating_item_score" not in text


def test_every_export_writes_who_what_and_about_whom_without_a_new_data_version(fresh_db):
    admin = viewer_for(fresh_db, "admin")
    version = load_data_version(fresh_db)
    export_database(fresh_db, admin)
    export_aios(fresh_db, admin, 3)
    assert _exports(fresh_db) == [
        (admin.user_id, "geëxporteerd", "export", None, {"soort": "volledige database"}),
        (admin.user_id, "geëxporteerd", "aios", 3, {"soort": "AVG-inzage"}),
    ]
    assert load_data_version(fresh_db) == version
    # the aios' own inzage shows who exported their data
    audit = export_aios(fresh_db, admin, 3)["audit"]
    assert audit[audit["action"] == "geëxporteerd"]["entity_id"].tolist() == [3, 3]


# Uploaded stageverslagen, hand-made: (stage, version, kind, content, uploaded name, uploaded at).
# Not UTF-8 and longer than an Excel cell (32,767 characters); stage 2 is another aios' (a2).
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 170
WORD = b"PK\x03\x04" + bytes(range(255, -1, -1)) * 180
UPLOADED = [
    (1, 2, VerslagKind.PDF, PDF, "verslag.pdf", dt.datetime(2026, 3, 30, 21, 15, 4)),
    (5, 1, VerslagKind.DOCX, WORD, "verslag.pdf", dt.datetime(2025, 11, 28, 8, 0, 0)),
    (2, 1, VerslagKind.PDF, b"%PDF-1.4 van een ander", "ander.pdf", dt.datetime(2025, 11, 29, 9, 0, 0)),
]
# Where the inzage of a1 lists them and the ZIP holds them: the app's own names, unique per stage.
IN_ZIP = {"bestanden/stage1_stageverslag_A1_versie2.pdf": PDF, "bestanden/stage5_stageverslag_A1_versie1.docx": WORD}
LISTED = [
    ["bestanden/stage1_stageverslag_A1_versie2.pdf", 1, 2, "verslag.pdf", len(PDF), dt.datetime(2026, 3, 30, 21, 15, 4)],
    ["bestanden/stage5_stageverslag_A1_versie1.docx", 5, 1, "verslag.pdf", len(WORD), dt.datetime(2025, 11, 28, 8, 0)],
]


def _store_verslagen(engine) -> None:
    """The uploads above, and a typed version 1 in stage 1 (text, not a file: not listed)."""
    with Session(engine) as s, s.begin():
        s.add(StageverslagVersie(stage_id=1, version=1, kind=VerslagKind.TEKST, text="Eerste opzet.", size=13,
                                 author_id=uid("a1"), created_at=dt.datetime(2026, 3, 20, 20, 0)))
        for stage, version, kind, content, name, at in UPLOADED:
            s.add(StageverslagVersie(stage_id=stage, version=version, kind=kind, content=content, file_name=name,
                                     size=len(content), author_id=uid("a1" if stage != 2 else "a2"), created_at=at))


def test_the_inzage_lists_uploaded_files_by_name_size_and_date_and_hands_them_over_as_files(fresh_db):
    """A stored file is never a cell: the JSON and the Excel inzage list it as plain data (before,
    the JSON crashed on the bytes and Excel cut them at 32,767 characters), and the ZIP of files
    holds it byte for byte under the listed name, audited like the inzage. The full database export
    leaves the bytes out too."""
    assert min(len(PDF), len(WORD)) > 40_000
    _store_verslagen(fresh_db)
    admin = viewer_for(fresh_db, "admin")
    sheets = export_aios(fresh_db, admin, 1)

    listed = json.loads(aios_export_json(sheets))["bestanden"]
    assert [list(f.values()) for f in listed] == [[*row[:5], row[5].isoformat(timespec="milliseconds")] for row in LISTED]
    assert list(listed[0]) == ["bestand", "stage_id", "versie", "naam_bij_upload", "grootte_bytes", "geupload_op"]

    workbook = pd.read_excel(io.BytesIO(xlsx_bytes(sheets)), sheet_name=None)
    assert workbook["bestanden"].values.tolist() == [[*row[:5], pd.Timestamp(row[5])] for row in LISTED]
    assert "content" not in sheets["stageverslag_versie"].columns and "content" not in workbook["stageverslag_versie"]
    assert "content" not in export_database(fresh_db, admin)["stageverslag_versie"].columns

    with zipfile.ZipFile(io.BytesIO(export_aios_files(fresh_db, admin, 1))) as archive:
        assert {name: archive.read(name) for name in archive.namelist()} == IN_ZIP
        assert archive.getinfo(LISTED[0][0]).date_time == (2026, 3, 30, 21, 15, 4)
    assert _exports(fresh_db)[-1] == (admin.user_id, "geëxporteerd", "aios", 1, {"soort": "AVG-inzage (bestanden)"})
