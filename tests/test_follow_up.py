"""The opleider's follow-up: notes in an aios' file and marks for the voortgangsoverleg, with
exact values on both databases, refusals per role (audited), audit rows and double submits
(fixture, TODAY = 2026-03-02: opl1 follows cohort MG 2024 = a1, a2; opl2 follows a4 only)."""

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.errors import AccessDenied, ValidationError
from data_access.follow_up import (
    add_note,
    clear_follow_up,
    load_begeleider_contacts,
    load_follow_up_list,
    load_notes,
    mark_for_follow_up,
)
from data_access.models import AuditLog, DossierNote, FollowUpMark
from data_access.viewer import viewer_for
from tests.fixture_data import TODAY

D = dt.date
A1, A4 = 1, 4  # aios ids of a1 (cohort MG 2024) and a4 (followed by opl2 by name)


def _audit(engine) -> list[tuple]:
    with Session(engine) as s:
        return s.execute(select(AuditLog.action, AuditLog.entity, AuditLog.entity_id, AuditLog.user_id)
                         .order_by(AuditLog.id)).all()


def _count(engine, model) -> int:
    with Session(engine) as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def test_opleider_adds_a_note_that_only_opleiders_read(fresh_db):
    opl1 = viewer_for(fresh_db, "opl1")
    note_id = add_note(fresh_db, opl1, A1, "  Loopt achter met KPB's; bellen met begeleider.  ", "n-1")
    notes = load_notes(fresh_db, opl1, A1)
    assert notes[["id", "author", "text"]].values.tolist() == [
        [note_id, "Olga Opleider", "Loopt achter met KPB's; bellen met begeleider."]]
    assert load_notes(fresh_db, viewer_for(fresh_db, "admin"), A1)["text"].tolist() == [
        "Loopt achter met KPB's; bellen met begeleider."]
    for other in ("bg1", "a1", "com1", "opl2"):
        assert load_notes(fresh_db, viewer_for(fresh_db, other), A1).empty, other
    assert _audit(fresh_db) == [("aangemaakt", "dossiernotitie", note_id, opl1.user_id)]


def test_a_double_submitted_note_is_saved_once(fresh_db):
    opl1 = viewer_for(fresh_db, "opl1")
    first = add_note(fresh_db, opl1, A1, "Eerste notitie", "n-dubbel")
    again = add_note(fresh_db, opl1, A1, "Eerste notitie", "n-dubbel")
    assert again == first
    assert _count(fresh_db, DossierNote) == 1
    assert [a[0] for a in _audit(fresh_db)] == ["aangemaakt"]


def test_someone_elses_token_is_refused_not_answered(fresh_db):
    add_note(fresh_db, viewer_for(fresh_db, "opl1"), A1, "Notitie", "n-gedeeld")
    admin = viewer_for(fresh_db, "admin")
    with pytest.raises(AccessDenied):
        add_note(fresh_db, admin, A1, "Notitie", "n-gedeeld")
    assert _audit(fresh_db)[-1] == ("geweigerd", "aios", A1, admin.user_id)


def test_a_note_needs_text_within_the_limit(fresh_db):
    opl1 = viewer_for(fresh_db, "opl1")
    with pytest.raises(ValidationError) as err:
        add_note(fresh_db, opl1, A1, "   ", "n-leeg")
    assert err.value.fields == {"text": "Schrijf de notitie."}
    with pytest.raises(ValidationError) as err:
        add_note(fresh_db, opl1, A1, "x" * 11, "n-lang", limit=10)
    assert err.value.fields == {"text": "Deze tekst is te lang: maximaal 10 tekens (nu 11)."}
    assert _count(fresh_db, DossierNote) == 0 and _audit(fresh_db) == []


@pytest.mark.parametrize("username", ["bg1", "a1", "com1", "opl2"])
def test_only_the_opleider_of_the_aios_or_the_beheerder_may_note_or_mark(fresh_db, username):
    viewer = viewer_for(fresh_db, username)
    with pytest.raises(AccessDenied):
        add_note(fresh_db, viewer, A1, "Mag niet", f"n-{username}")
    with pytest.raises(AccessDenied):
        mark_for_follow_up(fresh_db, viewer, A1, TODAY, "", f"m-{username}", TODAY)
    assert _count(fresh_db, DossierNote) == 0 and _count(fresh_db, FollowUpMark) == 0
    assert _audit(fresh_db) == [("geweigerd", "aios", A1, viewer.user_id)] * 2


def test_opleider_of_a_named_aios_and_beheerder_may_act(fresh_db):
    opl2, admin = viewer_for(fresh_db, "opl2"), viewer_for(fresh_db, "admin")
    add_note(fresh_db, opl2, A4, "Mentorgesprek gepland", "n-a4")
    mark_for_follow_up(fresh_db, admin, A1, D(2026, 3, 9), "", "m-admin", TODAY)
    assert load_notes(fresh_db, opl2, A4)["text"].tolist() == ["Mentorgesprek gepland"]
    assert load_follow_up_list(fresh_db, admin)["aios_name"].tolist() == ["Anna Aios"]
    # opl2 does not follow a1: their list holds nothing of a1.
    assert load_follow_up_list(fresh_db, opl2).empty


def test_mark_puts_the_aios_on_the_follow_up_list_until_cleared(fresh_db):
    opl1 = viewer_for(fresh_db, "opl1")
    mark_id = mark_for_follow_up(fresh_db, opl1, A1, D(2026, 3, 16), " geen recent gesprek ", "m-1", TODAY)
    listed = load_follow_up_list(fresh_db, opl1)
    assert listed[["mark_id", "aios_id", "aios_name", "cohort", "discuss_on", "reason", "marked_by"]].values.tolist() == [
        [mark_id, A1, "Anna Aios", "MG 2024", D(2026, 3, 16), "geen recent gesprek", "Olga Opleider"]]
    assert load_follow_up_list(fresh_db, opl1, aios_id=2).empty
    for other in ("bg1", "a1", "com1"):
        assert load_follow_up_list(fresh_db, viewer_for(fresh_db, other)).empty, other

    with pytest.raises(ValidationError) as err:
        mark_for_follow_up(fresh_db, opl1, A1, D(2026, 3, 23), "", "m-2", TODAY)
    assert err.value.fields == {"discuss_on": "Deze aios staat al op de lijst voor het voortgangsoverleg van 16-03-2026."}

    clear_follow_up(fresh_db, opl1, mark_id)
    clear_follow_up(fresh_db, opl1, mark_id)  # a double click writes nothing more
    assert load_follow_up_list(fresh_db, opl1).empty
    with Session(fresh_db) as s:
        mark = s.get(FollowUpMark, mark_id)
        assert mark.cleared_by == opl1.user_id and mark.cleared_at is not None
    assert _audit(fresh_db) == [("aangemaakt", "voortgangsoverleg", mark_id, opl1.user_id),
                                ("besproken", "voortgangsoverleg", mark_id, opl1.user_id)]
    # Discussed: the aios may be marked again.
    again = mark_for_follow_up(fresh_db, opl1, A1, D(2026, 3, 23), "", "m-3", TODAY)
    assert load_follow_up_list(fresh_db, opl1)["mark_id"].tolist() == [again]


def test_a_double_submitted_mark_is_saved_once(fresh_db):
    opl1 = viewer_for(fresh_db, "opl1")
    first = mark_for_follow_up(fresh_db, opl1, A1, TODAY, "", "m-dubbel", TODAY)
    assert mark_for_follow_up(fresh_db, opl1, A1, TODAY, "", "m-dubbel", TODAY) == first
    assert _count(fresh_db, FollowUpMark) == 1
    assert [a[0] for a in _audit(fresh_db)] == ["aangemaakt"]


def test_mark_date_is_checked(fresh_db):
    opl1 = viewer_for(fresh_db, "opl1")
    cases = {
        None: "Kies de datum van het voortgangsoverleg.",
        D(2026, 3, 1): "Deze datum ligt in het verleden; kies de datum van een komend voortgangsoverleg.",
        D(2027, 3, 4): "Deze datum ligt meer dan een jaar vooruit.",
    }
    for i, (date, message) in enumerate(cases.items()):
        with pytest.raises(ValidationError) as err:
            mark_for_follow_up(fresh_db, opl1, A1, date, "", f"m-d{i}", TODAY)
        assert err.value.fields == {"discuss_on": message}
    assert _count(fresh_db, FollowUpMark) == 0


@pytest.mark.parametrize("username", ["bg1", "a1", "com1", "opl2"])
def test_clearing_someone_elses_mark_is_refused_and_audited(fresh_db, username):
    mark_id = mark_for_follow_up(fresh_db, viewer_for(fresh_db, "opl1"), A1, TODAY, "", "m-x", TODAY)
    viewer = viewer_for(fresh_db, username)
    with pytest.raises(AccessDenied):
        clear_follow_up(fresh_db, viewer, mark_id)
    assert _audit(fresh_db)[-1] == ("geweigerd", "voortgangsoverleg", mark_id, viewer.user_id)
    assert load_follow_up_list(fresh_db, viewer_for(fresh_db, "opl1"))["mark_id"].tolist() == [mark_id]


def test_begeleider_contacts_for_the_message_are_the_opleiders_only(fixture_db):
    contacts = load_begeleider_contacts(fixture_db, viewer_for(fixture_db, "opl1"), 1)
    assert contacts.values.tolist() == [["Bram Begeleider", "bg1@voorbeeld.nl"]]
    for other in ("bg1", "a1", "com1", "opl2"):
        assert load_begeleider_contacts(fixture_db, viewer_for(fixture_db, other), 1).empty, other
