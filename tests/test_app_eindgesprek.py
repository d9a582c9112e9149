"""Issue 30, item 8, in the app on the hand-made fixture (TODAY = 2026-03-02): bg1 logs a1's
eindgesprek five weeks before the end of stage 1; the form asks first, then saves, and the card on
Mijn aios no longer asks for a gesprek."""

import bcrypt
import pytest
import streamlit as st
from sqlalchemy import update

from dashboard.navigation import PAGES_DIR
from dashboard.testing import login_through_form
from data_access.models import GesprekType, UserAccount
from tests.fixture_data import TODAY

PASSWORD = "eindgesprek-test"
QUESTION = ("Het eindgesprek valt 5 weken voor het einde van de stage (laatste dag 05-04-2026); toch vastleggen? "
            "Na het eindgesprek verwacht de stage geen gesprekken meer. Vink het vakje hieronder aan en sla opnieuw op.")


@pytest.fixture
def bg1_app(fresh_db, monkeypatch):
    with fresh_db.begin() as conn:
        conn.execute(update(UserAccount).where(UserAccount.username == "bg1")
                     .values(password_hash=bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()))
    monkeypatch.setenv("STAGE_DB_URL", fresh_db.url.render_as_string(hide_password=False))
    monkeypatch.setenv("STAGE_TODAY", TODAY.isoformat())
    monkeypatch.setenv("STAGE_COOKIE_KEY", "een-sleutel-alleen-voor-deze-test-" + "x" * 32)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield login_through_form("bg1", PASSWORD)
    st.cache_resource.clear()
    st.cache_data.clear()


def _due_captions(at) -> list[str]:
    return [c.value for c in at.caption if c.value.startswith("Aan de beurt: ")]


def _save(at):
    next(b for b in at.button if b.label == "Opslaan" and b.form_id == "gv").click().run()
    assert not at.exception, at.exception
    return at


def test_an_early_eindgesprek_is_asked_then_saved_and_the_card_asks_for_nothing(bg1_app):
    at = bg1_app
    assert [t.value for t in at.title] == ["Mijn aios"]
    assert _due_captions(at) == ["Aan de beurt: evaluatiegesprek"]
    at.switch_page(str(PAGES_DIR / "gesprek_vastleggen.py"))
    at.run()
    at.selectbox(key="gv_type").set_value(GesprekType.EINDGESPREK).run()
    at.text_area(key="gv_wat_gaat_goed").input("Zorgvuldig")
    at.text_area(key="gv_wat_kan_beter").input("Tempo")
    for cid in (3, 4, 5):  # rubric version 2
        at.radio(key=f"gv_score_{cid}").set_value(3)
    at.checkbox(key="gv_signed").check()
    assert [c.key for c in at.checkbox] == ["gv_signed"]  # no question before the save
    _save(at)
    assert [e.value for e in at.error] == [QUESTION]
    assert at.text_area(key="gv_wat_gaat_goed").value == "Zorgvuldig"  # kept
    at.checkbox(key="gv_early_confirmed").check()
    _save(at)
    assert not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == [  # shown through dashboard.text.literal: the colon escaped
        "Eindgesprek met Anna Aios opgeslagen\\: het verslag van 02-03-2026 is vastgelegd en vastgesteld."]
    at.switch_page(str(PAGES_DIR / "mijn_aios.py"))
    at.run()
    assert _due_captions(at) == ["Aan de beurt: geen gesprek meer (het eindgesprek is gehouden)"]
    # Before the eindgesprek stage 1 had these five flags; after it only what was behind by then.
    assert [w.value for w in at.warning] == [
        "evaluatiegesprek niet gehouden vóór het eindgesprek",
        "begeleidingsgesprekken achter bij het eindgesprek: 4 van verwacht 7",
        "KPB's achter bij het eindgesprek: 2 van verwacht 3",
    ]
