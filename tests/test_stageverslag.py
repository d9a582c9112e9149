"""The stageverslag: versions (text and files), the type checked by content with real tiny files,
the size limit, hand-in (first date in the stageplan, idempotent), gelezen (who, when), downloads
and their audit rows, refusals per role, and the flag and the reminder that read the hand-in.

Fixture stage 1: aios a1 (aiosnummer A1), begeleider bg1, 2026-01-05 .. 2026-04-05, stageverslag
due 2026-03-29 and not handed in. Stage 2 (a2, ended) was handed in on 2025-11-22 by an import,
without a file. opl1 follows a1 and a2; opl2 only a4; com1 is the stagecommissie.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import streamlit as st
from fpdf import FPDF
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.errors import AccessDenied, ValidationError
from data_access.flags import add_flags
from data_access.models import AuditLog, ReminderKind, Stageplan, StageverslagVersie, VerslagKind
from data_access.queries.filters import StageSelection
from data_access.queries.progress import load_stage_progress
from data_access.reminders.due import due_items
from data_access.settings import FlagThresholds, Settings
from data_access.stageverslag import (
    VerslagInput,
    file_kind,
    hand_in_stageverslag,
    load_stageverslag,
    load_stageverslag_file,
    mark_stageverslag_gelezen,
    save_stageverslag,
    status_sentence,
)
from data_access.viewer import viewer_for
from tests.fixture_data import uid

D = dt.date
LATE_DAY = D(2026, 4, 1)  # three days after stage 1's due date, the stage still running
BY_CONTENT = "Het soort bestand wordt aan de inhoud herkend, niet aan de naam."


def tiny_pdf(text: str = "Mijn stageverslag") -> bytes:
    pdf = FPDF()
    pdf.set_creation_date(dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, text)
    return bytes(pdf.output())


def tiny_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="x"><w:body/></w:document>')
    return buffer.getvalue()


def _v(engine, name):
    return viewer_for(engine, name)


def _save(engine, name="a1", token="t1", stage_id=1, **kw) -> int:
    return save_stageverslag(engine, _v(engine, name), VerslagInput(stage_id=stage_id, submit_token=token, **kw))


def _audit(engine, entity=None) -> list[tuple]:
    with Session(engine) as s:
        stmt = select(AuditLog.action, AuditLog.entity, AuditLog.entity_id, AuditLog.user_id).order_by(AuditLog.id)
        rows = s.execute(stmt).all()
    return [tuple(r) for r in rows if entity is None or r.entity == entity]


def _versions(engine) -> list[tuple]:
    with Session(engine) as s:
        return [tuple(r) for r in s.execute(
            select(StageverslagVersie.stage_id, StageverslagVersie.version, StageverslagVersie.kind,
                   StageverslagVersie.text, StageverslagVersie.file_name, StageverslagVersie.size,
                   StageverslagVersie.handed_in_on, StageverslagVersie.read_on, StageverslagVersie.read_by)
            .order_by(StageverslagVersie.id)).all()]


def _handed_in(engine, stage_id=1):
    with Session(engine) as s:
        return s.execute(select(Stageplan.verslag_handed_in).where(Stageplan.stage_id == stage_id)).scalar_one()


# --- the file's type, from its content --------------------------------------------------------


def test_a_real_pdf_and_a_real_docx_are_recognised_by_their_content():
    assert file_kind(tiny_pdf(), 10_000_000) is VerslagKind.PDF
    assert file_kind(tiny_docx(), 10_000_000) is VerslagKind.DOCX


@pytest.mark.parametrize("content, message", [
    (b"", "Het bestand is leeg (0 bytes). Kies het bestand met uw verslag."),
    (b"Dit is gewoon tekst in een bestand dat verslag.pdf heet.",
     "Dit bestand is geen PDF en geen Word-bestand (.docx). " + BY_CONTENT),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff",
     "Dit bestand is een programma, geen verslag. Upload een PDF of een Word-bestand (.docx). " + BY_CONTENT),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
     "Dit is een oud Word-bestand (.doc). Sla het op als .docx of als PDF en upload het opnieuw."),
])
def test_a_file_that_is_not_a_verslag_gets_a_dutch_message(content, message):
    with pytest.raises(ValidationError) as err:
        file_kind(content, 10_000_000)
    assert err.value.fields == {"file": message}


def test_a_zip_without_a_word_document_is_not_a_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("foto.jpg", b"\xff\xd8\xff")
    with pytest.raises(ValidationError) as err:
        file_kind(buffer.getvalue(), 10_000_000)
    assert err.value.fields == {"file": "Dit is een zip-bestand, maar geen Word-document (.docx). Upload een PDF of "
                                        "een Word-bestand. " + BY_CONTENT}


def test_a_file_above_the_limit_in_settings_is_refused_with_both_sizes():
    assert Settings().stageverslag_max_bytes == 10_000_000
    big = b"%PDF-1.4\n" + bytes(12_345_678 - 9)
    with pytest.raises(ValidationError) as err:
        file_kind(big, Settings().stageverslag_max_bytes)
    assert err.value.fields == {"file": "Het bestand is te groot (12,3 MB); de grens is 10 MB. Sla het kleiner op, "
                                        "bijvoorbeeld als PDF met kleinere afbeeldingen."}


# --- versions -----------------------------------------------------------------------------------


def test_each_save_is_a_new_version_and_nothing_is_overwritten(fresh_db):
    pdf = tiny_pdf()
    first = _save(fresh_db, token="t1", text="  Eerste versie van mijn verslag.  ")
    second = _save(fresh_db, token="t2", file_name="C:\\Users\\anna\\verslag def.pdf", content=pdf)
    third = _save(fresh_db, token="t3", file_name="verslag.docx", content=tiny_docx())
    assert _save(fresh_db, token="t2", file_name="verslag def.pdf", content=pdf) == second  # double submit
    assert len({first, second, third}) == 3
    assert _versions(fresh_db) == [
        (1, 1, VerslagKind.TEKST, "Eerste versie van mijn verslag.", None, 31, None, None, None),
        (1, 2, VerslagKind.PDF, None, "verslag def.pdf", len(pdf), None, None, None),
        (1, 3, VerslagKind.DOCX, None, "verslag.docx", len(tiny_docx()), None, None, None),
    ]
    assert _audit(fresh_db, "stageverslag") == [("aangemaakt", "stageverslag", i, uid("a1"))
                                               for i in (first, second, third)]
    assert _handed_in(fresh_db) is None  # saving is not handing in


@pytest.mark.parametrize("data, fields", [
    ({"text": "   "}, {"text": "Schrijf het verslag, of upload het als PDF of Word-bestand."}),
    ({"text": "x" * 100_001}, {"text": "Het verslag is te lang: maximaal 100.000 tekens (nu 100.001); upload het als "
                                       "PDF of Word-bestand."}),
    ({"file_name": "verslag.pdf", "content": b"geen pdf"},
     {"file": "Dit bestand is geen PDF en geen Word-bestand (.docx). " + BY_CONTENT}),
    ({"file_name": "leeg.pdf", "content": b""}, {"file": "Het bestand is leeg (0 bytes). Kies het bestand met uw verslag."}),
])
def test_invalid_saves_write_nothing_and_say_why_at_the_field(fresh_db, data, fields):
    with pytest.raises(ValidationError) as err:
        _save(fresh_db, **data)
    assert err.value.fields == fields
    assert _versions(fresh_db) == [] and _audit(fresh_db, "stageverslag") == []


def test_the_size_limit_is_the_one_passed_from_settings(fresh_db):
    pdf = tiny_pdf()
    with pytest.raises(ValidationError) as err:
        save_stageverslag(fresh_db, _v(fresh_db, "a1"), VerslagInput(1, "t1", file_name="v.pdf", content=pdf),
                          max_bytes=len(pdf) - 1)
    assert err.value.fields["file"].startswith(f"Het bestand is te groot ({len(pdf)} bytes); de grens is "
                                               f"{len(pdf) - 1} bytes.")
    assert _versions(fresh_db) == []
    assert save_stageverslag(fresh_db, _v(fresh_db, "a1"), VerslagInput(1, "t1", file_name="v.pdf", content=pdf),
                             max_bytes=len(pdf)) > 0


def test_saving_the_same_text_or_file_again_is_not_a_new_version(fresh_db):
    _save(fresh_db, token="t1", text="Mijn verslag.")
    with pytest.raises(ValidationError) as err:
        _save(fresh_db, token="t2", text="Mijn verslag.")
    assert err.value.fields == {"text": "Deze tekst is gelijk aan versie 1; er is niets nieuws om op te slaan."}
    _save(fresh_db, token="t3", file_name="a.pdf", content=tiny_pdf())
    with pytest.raises(ValidationError) as err:
        _save(fresh_db, token="t4", file_name="b.pdf", content=tiny_pdf())
    assert err.value.fields == {"file": "Dit bestand is gelijk aan versie 2; er is niets nieuws om op te slaan."}


# --- hand-in, gelezen, the flag and the reminder --------------------------------------------------


def _flags(engine, today, name="opl1") -> dict:
    progress = load_stage_progress(engine, _v(engine, name), StageSelection(today, stage_ids=(1,)))
    return add_flags(progress, today, FlagThresholds())["flags"].iloc[0]


def test_handing_in_sets_the_first_date_once_and_the_late_flag_disappears(fresh_db):
    assert _flags(fresh_db, LATE_DAY)["stageverslag"] == "stageverslag 3 dagen te laat"
    v1 = _save(fresh_db, token="t1", file_name="verslag.pdf", content=tiny_pdf())
    hand_in_stageverslag(fresh_db, _v(fresh_db, "a1"), v1, LATE_DAY)
    hand_in_stageverslag(fresh_db, _v(fresh_db, "a1"), v1, LATE_DAY + dt.timedelta(days=1))  # double tap
    assert _handed_in(fresh_db) == LATE_DAY
    assert "stageverslag" not in _flags(fresh_db, LATE_DAY)
    # A later version handed in (after a remark) is recorded on that version; the stage keeps
    # its first hand-in date.
    v2 = _save(fresh_db, token="t2", text="Aangevulde versie.")
    hand_in_stageverslag(fresh_db, _v(fresh_db, "a1"), v2, D(2026, 4, 3))
    assert _handed_in(fresh_db) == LATE_DAY
    assert [(r[1], r[6]) for r in _versions(fresh_db)] == [(1, LATE_DAY), (2, D(2026, 4, 3))]
    assert [r[0] for r in _audit(fresh_db, "stageverslag")] == ["aangemaakt", "ingeleverd", "aangemaakt", "ingeleverd"]
    state = load_stageverslag(fresh_db, _v(fresh_db, "bg1"), 1)
    assert status_sentence(state) == ("ingeleverd op 01-04-2026 (3 dagen na de termijn) · versie 2 ingeleverd op "
                                      "03-04-2026 · versie 2 nog niet gelezen")


def test_only_the_newest_version_can_be_handed_in(fresh_db):
    v1 = _save(fresh_db, token="t1", text="Eerste.")
    _save(fresh_db, token="t2", text="Tweede.")
    with pytest.raises(ValidationError) as err:
        hand_in_stageverslag(fresh_db, _v(fresh_db, "a1"), v1, LATE_DAY)
    assert err.value.fields == {"_": "Er is een nieuwere versie (2) opgeslagen; lever die in."}
    assert _handed_in(fresh_db) is None


def test_the_reminder_reads_the_hand_in(fresh_db):
    def stageverslag_reminders():
        return [(i.user_id, i.kind) for i in due_items(fresh_db, LATE_DAY, Settings()) if i.kind is ReminderKind.STAGEVERSLAG
                and i.user_id == uid("a1")]

    assert stageverslag_reminders() == [(uid("a1"), ReminderKind.STAGEVERSLAG)]
    v1 = _save(fresh_db, token="t1", text="Mijn verslag.")
    assert stageverslag_reminders() == [(uid("a1"), ReminderKind.STAGEVERSLAG)]  # a concept is not handed in
    hand_in_stageverslag(fresh_db, _v(fresh_db, "a1"), v1, LATE_DAY)
    assert stageverslag_reminders() == []


@pytest.mark.parametrize("reader, name", [("bg1", "Bram Begeleider"), ("opl1", "Olga Opleider")])
def test_the_begeleider_or_opleider_marks_it_gelezen_once(fresh_db, reader, name):
    v1 = _save(fresh_db, token="t1", text="Mijn verslag.")
    with pytest.raises(ValidationError) as err:
        mark_stageverslag_gelezen(fresh_db, _v(fresh_db, reader), v1, LATE_DAY)
    assert err.value.fields == {"_": "Deze versie is nog niet ingeleverd; alleen een ingeleverd verslag markeert u "
                                     "als gelezen."}
    hand_in_stageverslag(fresh_db, _v(fresh_db, "a1"), v1, D(2026, 3, 27))
    mark_stageverslag_gelezen(fresh_db, _v(fresh_db, reader), v1, D(2026, 3, 30))
    mark_stageverslag_gelezen(fresh_db, _v(fresh_db, reader), v1, D(2026, 3, 31))  # double tap: nothing new
    assert _versions(fresh_db)[0][6:] == (D(2026, 3, 27), D(2026, 3, 30), uid(reader))
    assert _audit(fresh_db, "stageverslag")[-1] == ("gelezen", "stageverslag", v1, uid(reader))
    assert [r[0] for r in _audit(fresh_db, "stageverslag")].count("gelezen") == 1
    state = load_stageverslag(fresh_db, _v(fresh_db, "a1"), 1)
    assert status_sentence(state) == f"ingeleverd op 27-03-2026 · gelezen door {name} op 30-03-2026"
    _save(fresh_db, token="t2", text="Nog een aanvulling.")
    state = load_stageverslag(fresh_db, _v(fresh_db, "a1"), 1)
    assert status_sentence(state) == (f"ingeleverd op 27-03-2026 · gelezen door {name} op 30-03-2026 · nieuwere "
                                      "versie 2 nog niet ingeleverd")


def test_status_of_a_concept_of_nothing_and_of_an_imported_hand_in(fresh_db):
    assert status_sentence(load_stageverslag(fresh_db, _v(fresh_db, "a1"), 1)) == \
        "nog niet geschreven · inleveren uiterlijk 29-03-2026"
    _save(fresh_db, token="t1", text="Mijn verslag.")
    assert status_sentence(load_stageverslag(fresh_db, _v(fresh_db, "a1"), 1)) == \
        "concept (versie 1, nog niet ingeleverd) · inleveren uiterlijk 29-03-2026"
    assert status_sentence(load_stageverslag(fresh_db, _v(fresh_db, "opl1"), 2)) == \
        "ingeleverd op 22-11-2025 · buiten de app ingeleverd; er is geen versie in de app"


# --- downloads and refusals -----------------------------------------------------------------------


def test_download_gives_the_versions_bytes_a_safe_name_and_the_mime_type(fresh_db):
    pdf = tiny_pdf()
    _save(fresh_db, token="t1", text="Tekst met é.")
    v2 = _save(fresh_db, token="t2", file_name="../../etc/passwd.pdf", content=pdf)
    v3 = _save(fresh_db, token="t3", file_name="verslag.docx", content=tiny_docx())
    for name in ("a1", "bg1", "opl1", "admin"):
        got = load_stageverslag_file(fresh_db, _v(fresh_db, name), v2)
        assert (got.content, got.file_name, got.mime) == (pdf, "stageverslag_A1_versie2.pdf", "application/pdf")
    docx = load_stageverslag_file(fresh_db, _v(fresh_db, "bg1"), v3)
    assert (docx.file_name, docx.mime) == (
        "stageverslag_A1_versie3.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    text = load_stageverslag_file(fresh_db, _v(fresh_db, "bg1"), v2 - 1)
    assert (text.content, text.file_name, text.mime) == ("Tekst met é.".encode(), "stageverslag_A1_versie1.txt",
                                                         "text/plain")
    assert load_stageverslag(fresh_db, _v(fresh_db, "bg1"), 1).versions["file_name"].fillna("").tolist() == \
        ["verslag.docx", "passwd.pdf", ""]


def test_refusals_per_role_are_audited_and_change_nothing(fresh_db):
    v1 = _save(fresh_db, token="t1", text="Mijn verslag.")
    before = _versions(fresh_db)
    refused = []
    # Writing and handing in: only the aios of the stage.
    for name in ("bg1", "opl1", "com1", "a2", "admin"):
        with pytest.raises(AccessDenied):
            _save(fresh_db, name=name, token=f"x-{name}", text="Niet van mij.")
        refused.append(("geweigerd", "stage", 1, uid(name)))
        with pytest.raises(AccessDenied):
            hand_in_stageverslag(fresh_db, _v(fresh_db, name), v1, LATE_DAY)
        refused.append(("geweigerd", "stageverslag", v1, uid(name)))
    hand_in_stageverslag(fresh_db, _v(fresh_db, "a1"), v1, LATE_DAY)
    # Gelezen: the stage's begeleider or an opleider who follows the aios; not the aios, not
    # another begeleider, not the commissie, not an opleider of other aios.
    for name in ("a1", "a2", "bg2", "com1", "opl2"):
        with pytest.raises(AccessDenied):
            mark_stageverslag_gelezen(fresh_db, _v(fresh_db, name), v1, LATE_DAY)
        refused.append(("geweigerd", "stageverslag", v1, uid(name)))
    # Reading and downloading: whoever may see the dossier; the commissie never.
    for name in ("com1", "a2", "bg2", "opl2"):
        assert load_stageverslag(fresh_db, _v(fresh_db, name), 1) is None
        with pytest.raises(AccessDenied):
            load_stageverslag_file(fresh_db, _v(fresh_db, name), v1)
        refused.append(("geweigerd", "stageverslag", v1, uid(name)))
    # Someone else's submit token is no way in either.
    with pytest.raises(AccessDenied):
        _save(fresh_db, name="a2", token="t1", stage_id=2, text="Mijn verslag.")
    refused.append(("geweigerd", "stage", 2, uid("a2")))
    assert [r for r in _audit(fresh_db) if r[0] == "geweigerd"] == refused
    assert [r[:6] for r in _versions(fresh_db)] == [r[:6] for r in before]
    assert _versions(fresh_db)[0][7:] == (None, None)


def test_a_download_from_the_dossier_is_audited_when_the_file_is_made(fresh_db, monkeypatch):
    from dashboard.stageverslag import download_data

    monkeypatch.setenv("STAGE_DB_URL", fresh_db.url.render_as_string(hide_password=False))
    st.cache_resource.clear()
    try:
        pdf = tiny_pdf()
        _save(fresh_db, token="t1", file_name="verslag.pdf", content=pdf)
        state = load_stageverslag(fresh_db, _v(fresh_db, "bg1"), 1)
        build = download_data(_v(fresh_db, "bg1"), state, state.versions.iloc[0])
        assert [r for r in _audit(fresh_db) if r[0] == "geëxporteerd"] == []  # not on a page view
        assert build() == pdf
        with Session(fresh_db) as s:
            row = s.execute(select(AuditLog).where(AuditLog.action == "geëxporteerd")).scalar_one()
        assert (row.user_id, row.entity, row.entity_id, row.after) == (
            uid("bg1"), "aios", 1, {"soort": "stageverslag", "stage": 1, "versie": 1})
    finally:
        st.cache_resource.clear()
