"""Exports: ratings never leave the database except as aggregates, and every export is audited."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.audit import load_data_version
from data_access.beheer import EXPLANATION, export_aios, export_database
from data_access.models import AuditLog
from data_access.viewer import viewer_for
from tests.fixture_data import RATINGS

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
