"""AppTest: the aios' section "Stageverslag" on Mijn stage keeps what was typed on an error, saves
a version and hands it in; the commissie has no way to it."""

from __future__ import annotations

import pytest
import streamlit as st

from dashboard.navigation import PAGES_DIR
from dashboard.testing import login_through_form
from data_access import clock
from data_access.db import make_engine
from tests.demo_db import demo_copy

TIMEOUT = 60


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory, demo_template):
    url = demo_copy(demo_template, tmp_path_factory.mktemp("app_verslag"))
    engine = make_engine(url)
    with engine.begin() as conn:  # the demo aios' running stage: nothing written yet
        conn.exec_driver_sql(
            "DELETE FROM stageverslag_versie WHERE stage_id IN (SELECT s.id FROM stage s JOIN aios a ON a.id = s.aios_id "
            "JOIN user_account u ON u.id = a.user_id WHERE u.username = 'aios')")
    engine.dispose()
    return url


@pytest.fixture
def app_env(demo_url, monkeypatch):
    monkeypatch.setenv("STAGE_DB_URL", demo_url)
    monkeypatch.setenv("STAGE_DEMO_MODE", "true")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield demo_url
    st.cache_resource.clear()
    st.cache_data.clear()


def _button(at, label):
    return next(b for b in at.button if b.label.startswith(label))


def test_the_aios_writes_saves_and_hands_in_the_stageverslag_on_mijn_stage(app_env):
    at = login_through_form("aios", "demo", TIMEOUT)
    at.switch_page(str(PAGES_DIR / "mijn_stage.py")).run()
    assert not at.exception
    assert [s.value for s in at.subheader if s.value == "Stageverslag"] == ["Stageverslag"]  # once, beside Stageplan and Feedback vragen
    box = next(t for t in at.text_area if t.label == "Stageverslag")
    box.input("   ")
    _button(at, "Nieuwe versie opslaan").click().run()
    assert [e.value for e in at.error] == ["Schrijf het verslag, of upload het als PDF of Word-bestand."]
    assert next(t for t in at.text_area if t.label == "Stageverslag").value == "   "  # kept
    next(t for t in at.text_area if t.label == "Stageverslag").input("Mijn verslag over deze stage.")
    _button(at, "Nieuwe versie opslaan").click().run()
    assert not at.error
    assert any("Versie 1 is opgeslagen als concept" in s.value for s in at.success)
    assert next(t for t in at.text_area if t.label == "Stageverslag").value == "Mijn verslag over deze stage."
    _button(at, "Inleveren (versie 1)").click().run()
    today = clock.today()
    assert [s.value for s in at.success if "versie 1" in s.value] == [  # beside the other sections' states
        f"Ingeleverd op {today:%d-%m-%Y} · versie 1 nog niet gelezen",
        f"Stageverslag (versie 1) ingeleverd op {today:%d-%m-%Y}. Uw begeleider leest het.",
    ]
    assert not [b for b in at.button if b.label.startswith("Inleveren")]  # handed in: no second hand-in


def test_the_commissie_has_no_page_with_a_stageverslag(app_env):
    at = login_through_form("commissie", "demo", TIMEOUT)
    for page in ("mijn_stage.py", "aios.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(str(PAGES_DIR / page))
