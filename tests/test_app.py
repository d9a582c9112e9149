"""AppTest: every role logs in through the real login form and renders each of its pages."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import streamlit as st
from sqlalchemy import func, select, text, update
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from dashboard.auth import LOCKED, WRONG_PASSWORD
from dashboard.navigation import PAGES, PAGES_DIR, specs_for
from dashboard.testing import APP, lazy_tab_labels, login_through_form, open_tab
from dashboard.text import literal
from data_access import clock
from data_access.accounts import LOCK_AFTER_FAILURES
from data_access.db import make_engine, migrate
from data_access.flags import FLAG_KINDS
from data_access.models import (
    CommitteeDecision,
    GesprekType,
    Meeting,
    MeetingItem,
    MeetingStatus,
    Moment,
    Role,
    Stageplaats,
    Stageplan,
    UserAccount,
)
from data_access.queries.filters import StageSelection
from data_access.queries.progress import load_stage_progress
from data_access.viewer import viewer_for
from sample_data import DEMO_PASSWORD, DEMO_USERNAMES
from tests.demo_db import demo_copy, request_of_an_ended_stage

TIMEOUT = 60


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory, demo_template):
    """This module's own copy of the demo database (its tests write to it)."""
    return demo_copy(demo_template, tmp_path_factory.mktemp("app"))


def _app_on(url: str, monkeypatch):
    monkeypatch.setenv("STAGE_DB_URL", url)
    monkeypatch.setenv("STAGE_DEMO_MODE", "true")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield url
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def app_env(demo_url, monkeypatch):
    """The app on this module's demo database."""
    yield from _app_on(demo_url, monkeypatch)


@pytest.fixture
def private_app_env(demo_template, tmp_path, monkeypatch):
    """The app on a demo database of this test's own, for a test that arranges its data."""
    yield from _app_on(demo_copy(demo_template, tmp_path), monkeypatch)


def login(username: str, password: str = DEMO_PASSWORD) -> AppTest:
    return login_through_form(username, password, TIMEOUT)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_exactly_its_pages_and_each_renders(app_env, role):
    at = login(DEMO_USERNAMES[role])
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert not [t for t in at.text_input if t.label == "Wachtwoord"]  # the login form is gone
    for spec in specs_for(role):
        at.switch_page(str(PAGES_DIR / spec.file))
        at.run()
        assert not at.exception, (spec.file, at.exception)
        assert [t.value for t in at.title] == [spec.title]


def _download_buttons_on_every_page_and_tab(at: AppTest, role: Role) -> list[tuple[str, str, str, bool]]:
    """(page, tab, label, whether a click starts no run) of every download button drawn."""
    found = []
    for spec in specs_for(role):
        at.switch_page(str(PAGES_DIR / spec.file))
        at.run()
        tabs = lazy_tab_labels(at) or [""]
        for number, tab in enumerate(tabs):
            if number:
                open_tab(at, tab)
            assert not at.exception, (spec.file, tab, at.exception)
            found += [(spec.file, tab, b.proto.label, b.proto.ignore_rerun) for b in at.get("download_button")]
    return found


DOSSIER_PDF = {("aios.py", "Samenvatting (PDF)")}
VERSLAG_VERSION = re.compile(r"Versie \d+ downloaden|Openen: versie \d+ \(.+\)")  # dashboard/stageverslag.py
SITE_TABLE = {("stageplaatsen.py", "Download CSV"), ("stageplaatsen.py", "Download Excel")}
COHORT_TABLE = {("cohorten.py", "Download CSV"), ("cohorten.py", "Download Excel")}
MEETING_PACK = {("vergadering.py", "Vergaderstuk (Excel)"), ("vergadering.py", "Vergaderstuk (PDF)")}
DOWNLOADS = {
    Role.AIOS: DOSSIER_PDF,
    Role.STAGEBEGELEIDER: DOSSIER_PDF | SITE_TABLE,
    Role.INSTITUUTSOPLEIDER: DOSSIER_PDF | SITE_TABLE | COHORT_TABLE,
    Role.STAGECOMMISSIE: SITE_TABLE | MEETING_PACK,
    Role.BEHEERDER: DOSSIER_PDF | SITE_TABLE | COHORT_TABLE | MEETING_PACK | {
        ("auditlog.py", "Download CSV"), ("auditlog.py", "Download Excel"),
        ("exporteren.py", "Database exporteren (Excel)"), ("exporteren.py", "Inzage (Excel)"),
        ("exporteren.py", "Inzage (JSON)"), ("exporteren.py", "Bestanden (ZIP)"), ("importeren.py", "Sjabloon (CSV)"),
        ("importeren.py", "Sjabloon (Excel)")},
}


@pytest.mark.parametrize("role", list(Role))
def test_no_download_button_on_any_page_or_tab_starts_a_run_on_its_click(app_env, role):
    """Every download button of every page and tab the role has (on the demo's first screen of
    each): a run on the click replaced the file being fetched (dashboard.widgets.download_button)."""
    found = _download_buttons_on_every_page_and_tab(login(DEMO_USERNAMES[role]), role)
    # Besides these, the dossier's Verslagen tab has a download per stageverslag version (written or
    # uploaded), on the days the first aios shown has one.
    assert {(page, label) for page, _, label, _ in found if not VERSLAG_VERSION.fullmatch(label)} == DOWNLOADS[role]
    assert {page for page, _, label, _ in found if VERSLAG_VERSION.fullmatch(label)} <= {"aios.py"}
    assert [f for f in found if not f[3]] == []


@pytest.mark.parametrize("role", list(Role))
def test_forbidden_pages_cannot_be_switched_to(app_env, role):
    at = login(DEMO_USERNAMES[role])
    allowed = {spec.file for spec in specs_for(role)}
    forbidden = [spec for spec in PAGES if spec.file not in allowed]
    assert forbidden
    for spec in forbidden:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(str(PAGES_DIR / spec.file))


def test_sidebar_shows_user_role_demo_marker_and_the_database_to_the_beheerder_only(app_env):
    at = login("opleider")
    sidebar_text = " ".join(m.value for m in at.sidebar.markdown)
    assert "Ingelogd als" in sidebar_text and "instituutsopleider" in sidebar_text
    assert any("Demo-omgeving" in w.value for w in at.sidebar.warning)
    assert not any("SQLite-bestand" in c.value for c in at.sidebar.caption)
    assert any("SQLite-bestand" in c.value for c in login("beheerder").sidebar.caption)
    assert [s.label for s in at.sidebar.selectbox] == ["Opleiding"]
    assert at.sidebar.radio[0].value == "Lopende stages"


def test_cohort_table_shows_the_opleiders_running_stages(app_env):
    at = login("opleider")
    table = at.dataframe[0].value
    assert list(table.columns[:4]) == ["Aios", "Cohort", "Stageplaats", "Week"]
    assert len(table) > 10
    assert table["Week"].str.fullmatch(r"\d+ van \d+").all()


def test_wrong_password_gets_a_dutch_message(app_env):
    at = login("opleider", "fout")
    assert [e.value for e in at.error] == [WRONG_PASSWORD]
    assert [t.label for t in at.text_input][:2] == ["Gebruikersnaam", "Wachtwoord"]


@pytest.fixture
def unlock_afterwards(app_env):
    """The demo database is shared by this module: give a locked account back afterwards."""
    yield
    from sqlalchemy import delete, update

    from data_access.models import LoginThrottle

    engine = make_engine(app_env)
    with engine.begin() as conn:
        conn.execute(update(UserAccount).values(failed_attempts=0, locked_until=None))
        conn.execute(delete(LoginThrottle))
    engine.dispose()


def test_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(app_env, unlock_afterwards):
    for _ in range(LOCK_AFTER_FAILURES - 1):
        assert [e.value for e in login("commissie", "fout").error] == [WRONG_PASSWORD]
    assert [e.value for e in login("commissie", "fout").error] == [LOCKED]
    at = login("commissie", DEMO_PASSWORD)
    assert [e.value for e in at.error] == [LOCKED]
    assert not at.title  # no page rendered
    engine = make_engine(app_env)
    with engine.connect() as conn:
        locked_until = conn.execute(
            select(UserAccount.locked_until).where(UserAccount.username == "commissie")
        ).scalar_one()
    assert locked_until is not None and locked_until > dt.datetime.now(dt.UTC).replace(tzinfo=None)


def test_app_refuses_to_start_outside_demo_mode_with_the_default_cookie_key(app_env, monkeypatch):
    monkeypatch.setenv("STAGE_DEMO_MODE", "false")
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert "STAGE_COOKIE_KEY" in at.error[0].value
    assert not at.text_input


def _fixture_database(tmp_path) -> str:
    """A database with real-looking accounts but without the demo logins."""
    from tests.fixture_data import load_fixture

    url = f"sqlite:///{tmp_path / 'echt.sqlite'}"
    engine = make_engine(url)
    migrate(engine)
    load_fixture(engine)
    engine.dispose()
    return url


def test_the_default_cookie_key_is_refused_on_a_database_without_demo_accounts_even_in_demo_mode(
        app_env, monkeypatch, tmp_path):
    monkeypatch.setenv("STAGE_DB_URL", _fixture_database(tmp_path))
    monkeypatch.setenv("STAGE_DEMO_MODE", "true")
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert "STAGE_COOKIE_KEY" in at.error[0].value
    assert not at.text_input
    monkeypatch.setenv("STAGE_COOKIE_KEY", "een-eigen-geheime-sleutel-van-ruim-32-bytes")
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.error and [t.label for t in at.text_input] == ["Gebruikersnaam", "Wachtwoord"]


@pytest.mark.parametrize("change", ["deactivated", "new password", "another beheerder"])
def test_the_demo_key_is_refused_once_the_demo_accounts_are_not_the_demos_any_more(private_app_env, monkeypatch, change):
    """Leak 5: with the demo accounts deactivated or re-passworded, or a real beheerder added, a
    cookie forged with the public demo key would open a real account: the app does not start."""
    import bcrypt
    from sqlalchemy import update
    from sqlalchemy.orm import Session

    from data_access.models import Role, UserAccount, UserRole

    engine = make_engine(private_app_env)
    with Session(engine) as s, s.begin():
        if change == "deactivated":
            s.execute(update(UserAccount).values(active=False))
        elif change == "new password":
            s.execute(update(UserAccount).where(UserAccount.username == "beheerder")
                      .values(password_hash=bcrypt.hashpw(b"een-echt-wachtwoord-1", bcrypt.gensalt(4)).decode()))
        else:
            s.add(UserAccount(id=99_999, username="echte.beheerder", display_name="Echte Beheerder",
                              email="beheer@umc.example"))
            s.flush()
            s.add(UserRole(user_id=99_999, role=Role.BEHEERDER))
    engine.dispose()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert "De app start niet: er is geen eigen cookiesleutel ingesteld" in at.error[0].value
    assert not at.text_input


@pytest.mark.parametrize("threshold", ["1", "2"])
def test_the_app_does_not_start_with_an_anonymity_threshold_below_3(app_env, monkeypatch, threshold):
    """Leak 6: the API refused a threshold of 1, the app accepted it."""
    monkeypatch.setenv("STAGE_ANONYMITY_THRESHOLD", threshold)
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert at.error[0].value == (
        f"De app start niet: de anonimiteitsdrempel is {threshold}, en moet minstens 3 zijn (kleinere groepen wijzen "
        "één aios aan). Zet `STAGE_ANONYMITY_THRESHOLD` op 3 of hoger, of laat het leeg.")
    assert not at.text_input


def test_an_unreachable_database_gets_a_dutch_message_without_host_or_paths(app_env, monkeypatch):
    """Issue "every write lands": with the database down every click showed SQLAlchemy's English
    traceback with host, port and file paths (from the login gate, outside the page's handler)."""
    from tests.servers import free_port

    port = free_port()  # nothing listens there
    monkeypatch.setenv("STAGE_DB_URL", f"postgresql+psycopg://stage:geheim@127.0.0.1:{port}/stage?connect_timeout=2")
    monkeypatch.setenv("STAGE_DEMO_MODE", "false")
    monkeypatch.setenv("STAGE_COOKIE_KEY", "een-eigen-geheime-sleutel-van-ruim-32-bytes")
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "De database is even niet bereikbaar. Probeer het over een minuut opnieuw; blijft dit zo, meld het dan bij "
        "de beheerder (die vindt de oorzaak in het log)."]
    shown = " ".join(str(e.value) for e in [*at.error, *at.markdown, *at.text, *at.caption])
    assert str(port) not in shown and "127.0.0.1" not in shown and "sqlalchemy" not in shown.lower()


def test_a_configured_database_is_no_demo_unless_asked_and_short_keys_are_refused(app_env, monkeypatch):
    monkeypatch.delenv("STAGE_DEMO_MODE")  # the demo database, but configured by URL: no demo
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert "STAGE_COOKIE_KEY" in at.error[0].value
    monkeypatch.setenv("STAGE_COOKIE_KEY", "te-kort-31-bytes-xxxxxxxxxxxxxx")
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert "korter dan 32 bytes" in at.error[0].value and not at.text_input


def test_an_unknown_username_gets_the_same_answers_and_the_same_lockout(app_env, unlock_afterwards):
    for name in ("commissie", "niet-bestaand"):
        answers = [[e.value for e in login(name, "fout").error] for _ in range(LOCK_AFTER_FAILURES)]
        assert answers == [[WRONG_PASSWORD]] * (LOCK_AFTER_FAILURES - 1) + [[LOCKED]], name


def test_a_live_session_ends_at_its_next_run_when_the_account_is_locked_elsewhere(app_env, unlock_afterwards):
    from dashboard.auth import SESSION_ENDED
    from data_access.accounts import record_failed_login

    at = login("aios")
    assert [t.value for t in at.title] == ["Mijn stage"]
    engine = make_engine(app_env)
    for _ in range(LOCK_AFTER_FAILURES):  # someone guessing from another address
        record_failed_login(engine, "aios", client="203.0.113.7")
    engine.dispose()
    at.run()
    assert [e.value for e in at.error] == [SESSION_ENDED]
    assert not at.title and [t.label for t in at.text_input] == ["Gebruikersnaam", "Wachtwoord"]
    # Not locked out from here: the lock holds for the guesser's address only.
    assert [t.value for t in login("aios").title] == ["Mijn stage"]


def test_password_change_keeps_input_and_says_what_is_wrong_at_the_field(app_env):
    at = login("aios")
    at.switch_page(str(PAGES_DIR / "account.py"))
    at.run()
    fields = {t.label: t for t in at.text_input}
    fields["Huidig wachtwoord"].input(DEMO_PASSWORD)
    fields["Nieuw wachtwoord"].input("kort1")
    fields["Herhaal nieuw wachtwoord"].input("kort1")
    next(b for b in at.button if b.label == "Wachtwoord wijzigen").click()
    at.run()
    assert [e.value for e in at.error] == ["Het wachtwoord moet minstens 10 tekens lang zijn."]
    assert {t.label: t.value for t in at.text_input}["Nieuw wachtwoord"] == "kort1"
    fields = {t.label: t for t in at.text_input}
    fields["Nieuw wachtwoord"].input("x" * 70 + "é1")  # 73 bytes
    fields["Herhaal nieuw wachtwoord"].input("x" * 70 + "é1")
    next(b for b in at.button if b.label == "Wachtwoord wijzigen").click()
    at.run()
    assert [e.value for e in at.error] == ["Het wachtwoord is te lang: maximaal 72 bytes."]


def _withdraw_the_oldest_plan_approval(url: str) -> None:
    """The opleider's running stage furthest along gets an unapproved stageplan: whether the demo
    has one past its approval week depends on the day."""
    engine = make_engine(url)
    try:
        progress = load_stage_progress(engine, viewer_for(engine, "opleider"), StageSelection(today=clock.today()))
        stage_id = int(progress.sort_values(["week", "stage_id"]).iloc[-1]["stage_id"])
        with engine.begin() as conn:
            conn.execute(update(Stageplan).where(Stageplan.stage_id == stage_id).values(approved_at=None, approved_by=None))
    finally:
        engine.dispose()


def test_cohort_overview_counts_flags_filters_by_flag_and_offers_downloads(private_app_env):
    _withdraw_the_oldest_plan_approval(private_app_env)
    at = login("opleider")
    total = len(at.dataframe[0].value)
    tiles = {b.key.removeprefix("cohorten_tegel_"): b.label for b in at.button if b.key.startswith("cohorten_tegel_")}
    assert sorted(tiles) == sorted([*FLAG_KINDS, "geen"])
    counts = {}
    for kind, label in tiles.items():
        name, _, count = label.rpartition(": ")
        assert name == {**FLAG_KINDS, "geen": "Zonder signalen"}[kind] and count.endswith(f" van {total}")
        counts[kind] = int(count.split()[0])
    assert 0 < counts["stageplan"] < total
    at.multiselect(key="cohorten_signalen").select("stageplan").run()
    table = at.dataframe[0].value
    assert len(table) == counts["stageplan"]
    assert table["Signalen"].str.contains("stageplan niet goedgekeurd").all()
    assert at.query_params["signaal"] == "stageplan"
    assert at.get("download_button")

    # A tile filters alone, says it is chosen, and a second click shows all stages again.
    at.button(key="cohorten_tegel_geen").click().run()
    assert at.query_params["signaal"] == "geen"
    table = at.dataframe[0].value
    assert len(table) == counts["geen"] and (table["Signalen"] == "—").all()
    assert at.button(key="cohorten_tegel_geen").label.endswith(" · filter aan")
    assert at.multiselect(key="cohorten_signalen").value == ["geen"]
    at.button(key="cohorten_tegel_geen").click().run()
    assert "signaal" not in at.query_params and len(at.dataframe[0].value) == total


def test_mijn_aios_shows_each_aios_with_what_is_due_next(app_env):
    at = login("begeleider")
    assert [t.value for t in at.title] == ["Mijn aios"]
    cards = [m.value for m in at.markdown if "Week " in m.value]
    assert len(cards) >= 2  # the demo begeleider has several aios placed now
    infos = [i.value for i in at.info]
    assert 0 < len(infos) <= len(cards)
    assert all(v.startswith("Volgende: ") for v in infos)


def _dossier_aios(url: str, username: str):
    from data_access.queries.dossier import load_dossier_aios
    from data_access.viewer import viewer_for

    engine = make_engine(url)
    try:
        return load_dossier_aios(engine, viewer_for(engine, username))
    finally:
        engine.dispose()


def _open_dossier(at: AppTest, aios_id: int) -> AppTest:
    at.query_params["aios"] = str(aios_id)
    at.switch_page(str(PAGES_DIR / "aios.py"))
    return at.run()


def test_dossier_opens_the_aios_in_the_url_with_all_its_parts(app_env):
    visible = _dossier_aios(app_env, "opleider")
    chosen = visible.iloc[len(visible) // 2]
    at = _open_dossier(login("opleider"), int(chosen["aios_id"]))
    assert not at.exception
    assert not at.warning or all("niet beschikbaar" not in w.value for w in at.warning)
    assert [h.value for h in at.subheader] == [chosen["aios_name"]]
    assert [t.label for t in at.tabs] == ["Tijdlijn", "Stageplan", "Beoordeling", "Verslagen"]
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    titles = [json.dumps(s.get("title", "")) for s in specs]
    assert any("Tijdlijn van de stage" in t for t in titles)
    assert at.get("download_button")


def test_an_aios_sees_only_their_own_dossier_whatever_the_url_asks(app_env):
    own = _dossier_aios(app_env, "aios")
    assert len(own) == 1
    others = _dossier_aios(app_env, "opleider")
    other_id = int(others[others["aios_id"] != own["aios_id"].iloc[0]]["aios_id"].iloc[0])
    at = _open_dossier(login("aios"), other_id)
    assert not at.exception
    assert any("niet beschikbaar" in w.value for w in at.warning)
    assert [h.value for h in at.subheader] == [own["aios_name"].iloc[0]]
    assert not [s for s in at.selectbox if s.label == "Aios"]  # nothing to choose


def test_a_begeleider_cannot_open_an_aios_not_placed_with_them(app_env):
    mine = set(_dossier_aios(app_env, "begeleider")["aios_id"])
    others = _dossier_aios(app_env, "opleider")
    stranger = int(others[~others["aios_id"].isin(mine)]["aios_id"].iloc[0])
    at = _open_dossier(login("begeleider"), stranger)
    assert any("niet beschikbaar" in w.value for w in at.warning)
    # No silent switch to another aios: the notice stays, the list waits for a choice.
    assert [h.value for h in at.subheader] == []
    assert [s.value for s in at.selectbox if s.label == "Aios"] == [None]
    at.run()
    assert any("niet beschikbaar" in w.value for w in at.warning)
    shown = _dossier_aios(app_env, "begeleider").set_index("aios_id")["aios_name"]
    mine = int(shown.index[-1])
    next(s for s in at.selectbox if s.label == "Aios").set_value(mine).run()
    assert [h.value for h in at.subheader] == [shown[mine]]
    assert not any("niet beschikbaar" in w.value for w in at.warning)


def _page(username: str, file: str) -> AppTest:
    at = login(username)
    at.switch_page(str(PAGES_DIR / file))
    return at.run()


def _chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def _chart_frames(chart) -> list:
    """The data of a chart as rendered: Streamlit sends it as Arrow beside the spec."""
    return [convert_arrow_bytes_to_pandas_df(d.data.data) for d in chart.proto.datasets]


@pytest.mark.parametrize("username", ["opleider", "commissie", "beheerder", "begeleider"])
def test_beoordelingen_never_puts_two_moments_in_one_chart(app_env, username):
    at = _page(username, "beoordelingen.py")
    assert not at.exception
    for moment, word in ((Moment.TUSSENTIJDS, "formatief"), (Moment.EIND, "summatief")):
        at.radio(key="beoordelingen_moment").set_value(moment).run()
        assert not at.exception
        charts = [c for c in at.get("vega_lite_chart") if "Scores per criterium" in c.proto.spec]
        assert len(charts) == 1
        assert word in charts[0].proto.spec
        moments = set().union(*(set(f["moment"]) for f in _chart_frames(charts[0]) if "moment" in f))
        assert moments == {moment.value}


def test_a_begeleider_sees_only_their_own_position_among_raters(app_env):
    at = open_tab(_page("begeleider", "beoordelingen.py"), "Beoordelaars")
    assert not at.exception
    tables = [d.value for d in at.dataframe if "Beoordelaar" in d.value.columns]
    assert tables, "the calibration table is shown"
    assert set(tables[0]["Beoordelaar"]) == {"U"}
    chart = next(c for c in at.get("vega_lite_chart") if "Kalibratie" in c.proto.spec)
    names = set()
    for frame in _chart_frames(chart):
        names |= set(frame["rater"]) if "rater" in frame else set()
    assert "U" in names and all(n == "U" or n.startswith("Beoordelaar ") for n in names)


def test_feedback_page_shows_the_heatmap_to_an_opleider_and_not_to_the_committee(app_env):
    opleider = _page("opleider", "feedback.py")
    assert not opleider.exception
    assert any(s.get("params", [{}])[0].get("name") == "cel" for s in _chart_specs(opleider))
    assert [t.label for t in opleider.tabs] == ["Per aios", "Per stageplaats", "Per begeleider", "Trend", "Feedbackvragen"]
    commissie = _page("commissie", "feedback.py")
    assert not commissie.exception
    # The tabs the committee may not see are not there at all: the page opens on one it may see.
    # Per begeleider and the trend per cohort count only aios one sees one by one: none for it.
    assert [t.label for t in commissie.tabs] == ["Per stageplaats", "Feedbackvragen"]
    assert not any(s.get("params") for s in _chart_specs(commissie))


def test_the_committee_holds_the_prepared_meeting_and_no_decision_is_saved_without_a_choice(app_env):
    at = _page("commissie", "vergadering.py")
    assert not at.exception
    chosen = at.selectbox(key="vergadering_keuze").value
    engine = make_engine(app_env)
    with engine.connect() as conn:
        prepared = conn.execute(select(Meeting.id).where(Meeting.status == MeetingStatus.VOORBEREID)).scalar_one()
        agenda = conn.execute(select(MeetingItem.stageplaats_id).where(MeetingItem.meeting_id == prepared)
                              .order_by(MeetingItem.position)).scalars().all()
    assert chosen == prepared  # the next prepared meeting is shown first
    # Until it starts, the agenda can change: the second site first, the rest off.
    at.multiselect(key=f"vergadering_wijzig_{prepared}_agenda").set_value([agenda[1], agenda[0]]).run()
    next(b for b in at.button if b.label == "Wijzigingen opslaan").click().run()
    assert not at.exception and not at.error
    with engine.connect() as conn:
        items = conn.execute(select(MeetingItem.stageplaats_id, MeetingItem.id).where(MeetingItem.meeting_id == prepared)
                             .order_by(MeetingItem.position)).all()
    assert [i.stageplaats_id for i in items] == [agenda[1], agenda[0]]
    site, item = items[0]
    next(b for b in at.button if b.label == "Vergadering openen").click().run()
    assert not at.exception
    form = f"uitkomst_{item}"
    assert at.radio(key=f"{form}_uitkomst").value is None  # no preset decision
    at.text_area(key=f"{form}_motivering").input("Te weinig begeleiding")
    submit = lambda: at.button(key=f"{form}_opslaan")  # noqa: E731
    submit().click().run()
    assert [e.value for e in at.error] == ["Kies een besluit."]
    assert at.text_area(key=f"{form}_motivering").value == "Te weinig begeleiding"  # kept
    at.radio(key=f"{form}_uitkomst").set_value("remediëringsplan")
    submit().click().run()
    assert [e.value for e in at.error] == ["Kies een datum waarop het besluit wordt opgevolgd."]
    at.date_input(key=f"{form}_opvolging").set_value(clock.today() + dt.timedelta(days=60))
    submit().click().run()
    assert not at.error and not at.exception
    with engine.connect() as conn:
        status = conn.execute(select(Stageplaats.status).where(Stageplaats.id == site)).scalar_one()
        decided = conn.execute(select(CommitteeDecision.rationale).join(
            MeetingItem, MeetingItem.decision_id == CommitteeDecision.id).where(MeetingItem.id == item)).scalar_one()
    engine.dispose()
    assert (status.value, decided) == ("in remediëring", "Te weinig begeleiding")


def test_a_meeting_marks_what_a_decision_requires_and_does_keeps_drafts_names_them_at_closing_and_corrects(
        private_app_env):
    from data_access.meetings import start_meeting

    engine = make_engine(private_app_env)
    with engine.begin() as conn:
        held = conn.execute(select(Meeting.id).where(Meeting.status == MeetingStatus.VOORBEREID)).scalar_one()
        items = conn.execute(select(MeetingItem.id, MeetingItem.stageplaats_id, Stageplaats.name)
                             .join(Stageplaats, Stageplaats.id == MeetingItem.stageplaats_id)
                             .where(MeetingItem.meeting_id == held).order_by(MeetingItem.position)).all()
        conn.execute(update(Stageplaats).where(Stageplaats.id == items[0].stageplaats_id)
                     .values(status="in remediëring"))
    start_meeting(engine, viewer_for(engine, "commissie"), held)
    (first, site, name), (second, _, other) = items[0], items[1]
    at = _page("commissie", "vergadering.py")
    assert not at.exception
    form = f"uitkomst_{first}"
    date = lambda: at.date_input(key=f"{form}_opvolging")  # noqa: E731
    assert date().label == "Opvolgen op (verplicht bij gesprek en remediëringsplan)"
    # Choosing a decision marks what it requires at once, before anything is saved.
    at.radio(key=f"{form}_uitkomst").set_value("gesprek").run()
    assert (date().label, at.text_area(key=f"{form}_motivering").label) == (
        "Opvolgen op (verplicht bij gesprek)", "Motivering (verplicht)")
    assert literal(f"De status van {name} blijft: in remediëring.") in [c.value for c in at.caption]
    # "geen actie" ends the remediation: the page says so before it is saved, and after.
    at.radio(key=f"{form}_uitkomst").set_value("geen actie").run()
    assert date().label == "Opvolgen op (mag leeg bij geen actie)"
    assert [w.value for w in at.warning if "status" in w.value] == [
        literal(f"De status van {name} wordt: actief (was: in remediëring).")]
    at.text_area(key=f"{form}_motivering").input("Beoordelingen weer goed")
    at.button(key=f"{form}_opslaan").click().run()
    assert not at.exception and not at.error
    assert [x.value for x in at.success] == [
        "Besluit: geen actie", literal(f"{name}: geen actie. De status van {name} is nu: actief (was: in remediëring).")]

    # The besluit is corrected: the form opens with what is recorded; the new one replaces it.
    at.button(key=f"{form}_corrigeer").click().run()
    assert (at.radio(key=f"{form}_uitkomst").value, at.text_area(key=f"{form}_motivering").value) == (
        "geen actie", "Beoordelingen weer goed")
    at.radio(key=f"{form}_uitkomst").set_value("gesprek")
    at.date_input(key=f"{form}_opvolging").set_value(clock.today() + dt.timedelta(days=30))
    at.button(key=f"{form}_opslaan").click().run()
    assert not at.exception and not at.error
    assert [x.value for x in at.success][1] == literal(
        f"{name}: gecorrigeerd in gesprek. De status van {name} is nu: in remediëring (was: actief).")
    with engine.connect() as conn:
        decided = conn.execute(select(CommitteeDecision.decision, CommitteeDecision.rationale).join(
            MeetingItem, MeetingItem.decision_id == CommitteeDecision.id).where(MeetingItem.id == first)).one()
        status = conn.execute(select(Stageplaats.status).where(Stageplaats.id == site)).scalar_one()
        in_meeting = conn.execute(select(func.count()).select_from(CommitteeDecision).where(
            CommitteeDecision.stageplaats_id == site, CommitteeDecision.date == clock.today())).scalar_one()
    assert (decided.decision.value, decided.rationale, status.value, in_meeting) == (
        "gesprek", "Beoordelingen weer goed", "in remediëring", 1)

    # What is chosen and typed on the next item stays when the chair goes back, and is named.
    at.button(key=f"vergadering_punt_{held}_volgende").click().run()
    at.radio(key=f"uitkomst_{second}_uitkomst").set_value("stopzetten")
    at.text_area(key=f"uitkomst_{second}_motivering").input("Geen begeleider meer").run()
    at.button(key=f"vergadering_punt_{held}_vorige").click().run()
    assert (f"Nog niet vastgelegd: punt 2 ({literal(other)}). Wat u daar koos of typte staat klaar; ga terug om het "
            "vast te leggen.") in [w.value for w in at.warning]
    at.button(key=f"vergadering_punt_{held}_naar_2").click().run()
    assert (at.radio(key=f"uitkomst_{second}_uitkomst").value, at.text_area(key=f"uitkomst_{second}_motivering").value
            ) == ("stopzetten", "Geen begeleider meer")

    # Closing asks first and names each item without a recorded outcome.
    at.button(key=f"vergadering_sluiten_{held}_vraag").click().run()
    rest = [f"- {literal(f'{i + 1}. {n}: geen uitkomst; staat in de notulen als niet besproken.')}"
            for i, (_, _, n) in enumerate(items) if i > 1]
    assert [w.value for w in at.warning if w.value.startswith("Nog niet af")] == ["\n".join([
        "Nog niet af:", f"- {literal(f'2. {other}: geen uitkomst; wat is ingevuld (stopzetten) is niet vastgelegd en gaat verloren.')}",
        *rest])]
    at.button(key=f"vergadering_sluiten_{held}_nee").click().run()
    with engine.connect() as conn:
        assert conn.execute(select(Meeting.status).where(Meeting.id == held)).scalar_one() is MeetingStatus.BEZIG
    engine.dispose()


def test_the_committee_lands_on_the_meeting_being_held_and_sees_response_rates(app_env):
    from data_access.meetings import (
        AgendaEntry,
        MeetingInput,
        close_meeting,
        prepare_meeting,
        start_meeting,
    )
    from data_access.models import AgendaReason
    from data_access.viewer import viewer_for

    engine = make_engine(app_env)
    viewer = viewer_for(engine, "commissie")
    with engine.connect() as conn:  # another test may have left the demo's meeting open
        held_before = conn.execute(select(Meeting.id).where(Meeting.status == MeetingStatus.BEZIG)).scalars().all()
    for meeting_id in held_before:
        close_meeting(engine, viewer, meeting_id, "")
    st.cache_data.clear()
    at = login("commissie")
    assert [t.value for t in at.title] == ["Stageplaatsen"]  # no meeting is being held
    respons = next(t for t in open_tab(at, "Respons").tabs if t.label == "Respons")
    rated = [d.value for d in respons.dataframe]
    assert list(rated[0].columns) == ["Stageplaats", "Beoordeeld", "Respons"]
    assert list(rated[1].columns) == ["Cohort", "Beoordeeld", "Respons"]
    assert all(" van " in v for v in rated[0]["Beoordeeld"])
    with engine.connect() as conn:
        site = conn.execute(select(MeetingItem.stageplaats_id).limit(1)).scalar_one()
        opleiding = conn.execute(select(Stageplaats.opleiding_id).where(Stageplaats.id == site)).scalar_one()
    held = prepare_meeting(engine, viewer, MeetingInput(opleiding, clock.today(), "Voorzitter", "Voorzitter",
                                                         (AgendaEntry(site, AgendaReason.HANDMATIG),), "landing"))
    start_meeting(engine, viewer, held)
    try:
        st.cache_data.clear()
        at = login("commissie")
        assert not at.exception
        assert at.query_params.get("vergadering") == str(held)
        assert any(m.value.startswith("### Punt 1 van 1:") for m in at.markdown)
    finally:
        close_meeting(engine, viewer, held, "")
        engine.dispose()


def test_an_aios_rates_a_stageplaats_after_being_told_what_is_missing(app_env):
    # The demo leaves the aios' newest ended stage unrated on every day (tests/test_generator.py).
    at = _page("aios", "stageplaats_beoordelen.py")
    assert not at.exception
    stage_id = at.selectbox(key="beoordelen_stage").value
    form = f"beoordeling_{stage_id}"
    assert at.radio(key=f"{form}_leerklimaat").value is None  # the unrated stage is offered first
    at.text_area(key=f"{form}_comment").input("Veel geleerd")
    next(b for b in at.button if b.label == "Beoordeling opslaan").click().run()
    messages = [e.value for e in at.error]
    assert messages[:3] == ["Kies een score van 1 tot 5."] * 3
    assert at.text_area(key=f"{form}_comment").value == "Veel geleerd"  # kept
    for field in ("leermogelijkheden", "leerklimaat", "begeleiding"):
        at.radio(key=f"{form}_{field}").set_value(4)
    for radio in at.radio:
        if radio.key and radio.key.startswith(f"{form}_item_"):
            radio.set_value(3)
    next(b for b in at.button if b.label == "Beoordeling opslaan").click().run()
    assert not at.error, [e.value for e in at.error]
    # Pending, counted from the next release; or, on a day its site had threshold − 1 ratings
    # waiting, it filled a batch and was released at once (then the form says so and is fixed).
    released = "Deze beoordeling is vrijgegeven en telt mee in de cijfers van de stageplaats; zij staat vast."
    pending = any("is opgeslagen" in s.value and "volgende vrijgave" in s.value for s in at.success)
    assert pending != ([i.value for i in at.info] == [released])
    at.run()
    assert any("telt mee vanaf de volgende vrijgave" in i.value for i in at.info) if pending else (
        [i.value for i in at.info] == [released])


def test_stageplaatsen_overview_never_shows_a_mean_below_the_threshold(app_env, monkeypatch):
    # Whether the demo has a site below 3 released ratings depends on the day; a threshold at the
    # largest n puts sites on both sides of it on every day.
    threshold = max(3, int(_page("commissie", "stageplaatsen.py").dataframe[0].value["n"].max()))
    monkeypatch.setenv("STAGE_ANONYMITY_THRESHOLD", str(threshold))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = _page("commissie", "stageplaatsen.py")
    assert not at.exception
    table = at.dataframe[0].value
    few, many = table[table["n"] < threshold], table[table["n"] >= threshold]
    assert not few.empty and not many.empty
    assert (few["Leerklimaat"] == few["n"].map(lambda n: f"te weinig beoordelingen (n={n})")).all()
    assert many["Leerklimaat"].str.fullmatch(r"\d,\d \(\d,\d–\d,\d\)").all()
    # New ratings wait for a release: a count, never a figure; the eind level counts aios.
    assert (table["Wacht op vrijgave"] < 3).all() and table["Wacht op vrijgave"].sum() > 0
    assert table["Eindniveau aios (context)"].str.fullmatch(r"—|te weinig aios \(n=\d+\)|\d,\d \(n=\d+ aios\)").all()


@pytest.mark.parametrize("username", ["begeleider", "opleider", "aios"])
def test_gesprek_form_keeps_what_was_typed_says_why_and_then_saves(app_env, username):
    at = _page(username, "gesprek_vastleggen.py")
    assert not at.exception
    at.selectbox(key="gv_type").set_value(GesprekType.BEGELEIDINGSGESPREK).run()
    at.text_area(key="gv_afspraken").input("Volgende week KPB")
    save = "Concept opslaan" if username == "aios" else "Opslaan"
    next(b for b in at.button if b.label == save and b.form_id == "gv").click().run()
    assert [e.value for e in at.error] == ["Noteer de besproken onderwerpen."]
    assert at.text_area(key="gv_afspraken").value == "Volgende week KPB"  # kept
    at.text_area(key="gv_verslag").input("Casus besproken")
    next(b for b in at.button if b.label == save and b.form_id == "gv").click().run()
    assert not at.error, [e.value for e in at.error]
    done = [s.value for s in at.success]
    if username == "aios":
        assert done and done[0].startswith("Begeleidingsgesprek van ") and "als concept opgeslagen" in done[0]
    else:  # the confirmation names the aios and the type
        chosen = at.selectbox(key="gv_stage")
        name = chosen.options[chosen.index].split(" · ")[0]
        assert done and done[0].startswith(f"Begeleidingsgesprek met {name} opgeslagen")
    assert at.text_area(key="gv_verslag").value == ""  # ready for the next one


def test_a_kpb_in_a_few_taps(app_env):
    at = _page("begeleider", "gesprek_vastleggen.py")
    at.radio(key="kpb_niveau").set_value(3)
    at.text_area(key="kpb_feedback").input("Goede uitleg aan de patiënt")
    next(b for b in at.button if b.label == "KPB opslaan").click().run()
    assert [e.value for e in at.error] == ["Kies de EPA."]
    from data_access.models import Epa

    engine = make_engine(app_env)
    with engine.connect() as conn:
        epa_id = conn.execute(select(func.min(Epa.id)).where(Epa.opleiding_id == 1)).scalar_one()
    engine.dispose()
    at.selectbox(key="kpb_epa").set_value(epa_id)
    next(b for b in at.button if b.label == "KPB opslaan").click().run()
    assert not at.error
    assert any(s.value.startswith("KPB van ") and "supervisieniveau 3" in s.value for s in at.success)


def test_a_begeleider_corrects_a_verslag_from_the_dossier_as_a_new_version(app_env):
    from data_access.models import Gesprek, GesprekStatus, Stage, StageBegeleider, Stagebegeleider

    # A verslag of a running stage: the form corrects those (a correction of an ended stage is
    # refused with a warning). Which aios the dossier opens on depends on the day, so choose.
    today = clock.today()
    engine = make_engine(app_env)
    with engine.connect() as conn:
        aios_id, stage_id = conn.execute(
            select(Stage.aios_id, Stage.id)
            .join(StageBegeleider, StageBegeleider.stage_id == Stage.id)
            .join(Stagebegeleider, Stagebegeleider.id == StageBegeleider.begeleider_id)
            .join(UserAccount, UserAccount.id == Stagebegeleider.user_id)
            .where(UserAccount.username == "begeleider", Stage.start_date <= today, Stage.end_date >= today,
                   Stage.id.in_(select(Gesprek.stage_id).where(Gesprek.status == GesprekStatus.VASTGESTELD)))
            .order_by(Stage.id).limit(1)).one()
    engine.dispose()
    at = login("begeleider")
    at.switch_page(str(PAGES_DIR / "aios.py"))
    at.query_params["aios"], at.query_params["stage"] = str(aios_id), str(stage_id)
    at = open_tab(at.run(), "Verslagen")
    assert not at.exception
    buttons = [b for b in at.button if b.label == "Corrigeren"]
    assert buttons, "the dossier offers a correction of a vastgesteld verslag"
    gesprek_id = int(buttons[0].key.removeprefix("corrigeer_"))
    buttons[0].click().run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Gesprek vastleggen"]
    field = "gv_verslag" if at.text_area(key="gv_verslag").value else "gv_wat_gaat_goed"
    at.text_area(key=field).input("Gecorrigeerd verslag")
    save = next(b for b in at.button if b.label == "Opslaan" and b.form_id == "gv")
    save.click().run()
    assert not at.error, [e.value for e in at.error]
    engine = make_engine(app_env)
    with engine.connect() as conn:
        new = conn.execute(select(Gesprek.version, Gesprek.status).where(Gesprek.supersedes_id == gesprek_id)).one()
    engine.dispose()
    assert new.version >= 2 and new.status.value == "vastgesteld"


def test_an_aios_requests_a_kpb_and_the_begeleider_confirms_it_with_their_level(app_env):
    from data_access.gesprekken import KpbInput, log_kpb
    from data_access.models import (
        Aios,
        Epa,
        Kpb,
        Stage,
        StageBegeleider,
        Stagebegeleider,
    )

    at = _page("aios", "gesprek_vastleggen.py")
    assert not at.exception
    engine = make_engine(app_env)
    with engine.connect() as conn:
        epa_id = conn.execute(select(func.min(Epa.id)).where(Epa.opleiding_id == 1)).scalar_one()
    at.selectbox(key="kpb_epa").set_value(epa_id)
    at.radio(key="kpb_niveau").set_value(5)
    at.text_area(key="kpb_feedback").input("Consult zelfstandig gedaan")
    next(b for b in at.button if b.label == "KPB aanvragen").click().run()
    assert not at.error, [e.value for e in at.error]
    assert any("als aanvraag" in s.value for s in at.success)
    with engine.connect() as conn:
        mine = conn.execute(select(Kpb.status, Kpb.supervision_level, Kpb.proposed_level)
                            .where(Kpb.feedback == "Consult zelfstandig gedaan")).one()
        assert (mine.status.value, mine.supervision_level, mine.proposed_level) == ("concept", None, 5)
        # A concept KPB for an aios placed with the demo begeleider, entered as that aios.
        stage_id, aios_user = conn.execute(
            select(Stage.id, Aios.user_id).join(Aios, Aios.id == Stage.aios_id)
            .join(StageBegeleider, StageBegeleider.stage_id == Stage.id)
            .join(Stagebegeleider, Stagebegeleider.id == StageBegeleider.begeleider_id)
            .join(UserAccount, UserAccount.id == Stagebegeleider.user_id)
            .where(UserAccount.username == "begeleider", Stage.start_date <= clock.today(),
                   Stage.end_date >= clock.today()).order_by(Stage.id).limit(1)).one()
        username = conn.execute(select(UserAccount.username).where(UserAccount.id == aios_user)).scalar_one()
    from data_access.viewer import viewer_for
    kpb_id = log_kpb(engine, viewer_for(engine, username), KpbInput(stage_id, epa_id, clock.today(), 4,
                                                                    "Graag observatie", "apptest-kpb"), clock.today())
    st.cache_data.clear()
    at = _page("begeleider", "gesprek_vastleggen.py")
    assert not at.exception
    next(b for b in at.button if b.key == f"kpbconcept_{kpb_id}_ok").click().run()
    assert [e.value for e in at.error] == ["Kies een supervisieniveau van 1 tot 5."]
    at.radio(key=f"kpbconcept_{kpb_id}_niveau").set_value(3)
    next(b for b in at.button if b.key == f"kpbconcept_{kpb_id}_ok").click().run()
    assert not at.error, [e.value for e in at.error]
    assert any(s.value.startswith("KPB vastgesteld") and "supervisieniveau 3" in s.value for s in at.success)
    with engine.connect() as conn:
        done = conn.execute(select(Kpb.status, Kpb.supervision_level).where(Kpb.id == kpb_id)).one()
    assert (done.status.value, done.supervision_level) == ("vastgesteld", 3)
    # A request the begeleider did not observe goes back with a remark and leaves their list.
    other = log_kpb(engine, viewer_for(engine, username), KpbInput(stage_id, epa_id, clock.today(), None,
                                                                   "Graag feedback", "apptest-kpb-2"), clock.today())
    st.cache_data.clear()
    at.run()
    at.text_area(key=f"kpbconcept_{other}_opmerking").input("Niet door mij geobserveerd")
    next(b for b in at.button if b.key == f"kpbconcept_{other}_terug").click().run()
    assert not at.error, [e.value for e in at.error]
    assert any(s.value.startswith(literal("Teruggestuurd naar de aios: KPB")) for s in at.success)
    assert not [b for b in at.button if b.key == f"kpbconcept_{other}_ok"]
    with engine.connect() as conn:
        back = conn.execute(select(Kpb.status, Kpb.return_remark).where(Kpb.id == other)).one()
    engine.dispose()
    assert (back.status.value, back.return_remark) == ("concept", "Niet door mij geobserveerd")


LATE_TOPIC = "Overdracht aan de avonddienst"


def _answer_from_mijn_aios(request_id: int) -> AppTest:
    """The demo begeleider on Mijn aios taps "Beantwoorden" on one open feedback request."""
    at = _page("begeleider", "mijn_aios.py")
    next(b for b in at.button if b.key == f"fvraag_{request_id}_antwoord").click().run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Gesprek vastleggen"]
    # The app switched pages itself; AppTest's next runs would go back to the page it was sent to.
    return at.switch_page(str(PAGES_DIR / "gesprek_vastleggen.py"))


def test_a_feedback_request_of_an_ended_stage_is_answered_with_a_kpb_on_that_aios(private_app_env):
    """Issue 30: the request's stage ended a month ago; the form opened on the first running
    stage, another aios, and saved the KPB there. Now it is held to the request's stage, says
    which dates count, names the aios in the confirmation and answers the request."""
    from data_access.models import Epa, FeedbackRequest, Kpb, Stage, Stageplaats

    today = clock.today()
    late = request_of_an_ended_stage(private_app_env, today, 30, LATE_TOPIC)
    engine = make_engine(private_app_env)
    with engine.connect() as conn:
        start, end, site = conn.execute(select(Stage.start_date, Stage.end_date, Stageplaats.name)
                                        .join(Stageplaats, Stageplaats.id == Stage.stageplaats_id)
                                        .where(Stage.id == late.stage_id)).one()
        epa = conn.execute(select(Epa.code).where(Epa.id == late.epa_id)).scalar_one()
    first, last = start - dt.timedelta(days=14), end + dt.timedelta(days=14)
    assert (end, last < today) == (today - dt.timedelta(days=30), True)

    at = _answer_from_mijn_aios(late.request_id)
    assert [i.value for i in at.info] == [
        f"U beantwoordt de feedbackvraag van **{literal(late.aios_name)}**: {literal(epa)} · {literal(LATE_TOPIC)}. "
        "Sla een KPB of een feedbackmoment op; daarmee is de vraag beantwoord. "
        f"De stage liep van {start:%d-%m-%Y} t/m {end:%d-%m-%Y}: kies een datum van {first:%d-%m-%Y} t/m "
        f"{last:%d-%m-%Y} (14 dagen marge)."]
    assert f"**{literal(f'{late.aios_name} · {site}')}**" in [m.value for m in at.markdown]
    assert [s for s in at.selectbox if s.key == "gv_stage"] == []  # no other aios to slip to
    assert at.selectbox(key="kpb_epa").value == late.epa_id
    at.radio(key="kpb_niveau").set_value(3)
    at.text_area(key="kpb_feedback").input("Volledige overdracht; actiepunten expliciet maken.")
    next(b for b in at.button if b.label == "KPB opslaan").click().run()
    # Today's date, the form's default, lies after the stage and its margin: said at the field.
    assert [e.value for e in at.error] == [literal(
        f"De datum valt buiten de stage ({start:%d-%m-%Y} t/m {end:%d-%m-%Y}, met 14 dagen marge): kies een datum "
        f"van {first:%d-%m-%Y} t/m {last:%d-%m-%Y}.")]
    at.date_input(key="kpb_date").set_value(end)
    next(b for b in at.button if b.label == "KPB opslaan").click().run()
    assert not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == [literal(
        f"KPB van {end:%d-%m-%Y} voor {late.aios_name} vastgelegd (supervisieniveau 3). De feedbackvraag is beantwoord.")]
    with engine.connect() as conn:
        kpbs = conn.execute(select(Kpb.id, Kpb.stage_id, Kpb.date, Kpb.supervision_level)
                            .where(Kpb.feedback == "Volledige overdracht; actiepunten expliciet maken.")).all()
        answered = conn.execute(select(FeedbackRequest.answered_on, FeedbackRequest.kpb_id)
                                .where(FeedbackRequest.id == late.request_id)).one()
    engine.dispose()
    assert [(k.stage_id, k.date, k.supervision_level) for k in kpbs] == [(late.stage_id, end, 3)]
    assert tuple(answered) == (today, kpbs[0].id)
    at = _page("begeleider", "mijn_aios.py")
    assert [b for b in at.button if b.key == f"fvraag_{late.request_id}_antwoord"] == []  # no longer open


def test_a_feedback_request_whose_stage_the_begeleider_lost_opens_no_other_aios_form(private_app_env):
    """Between "Beantwoorden" and the next visit of the form the begeleider is taken off the
    stage: the form says so and opens on no other aios; a tap goes on with the usual form."""
    from data_access.models import StageBegeleider, Stagebegeleider

    late = request_of_an_ended_stage(private_app_env, clock.today(), 3, LATE_TOPIC)
    at = _answer_from_mijn_aios(late.request_id)
    assert [b for b in at.button if b.label == "KPB opslaan"]
    engine = make_engine(private_app_env)
    with engine.begin() as conn:
        conn.execute(StageBegeleider.__table__.delete().where(
            StageBegeleider.stage_id == late.stage_id,
            StageBegeleider.begeleider_id.in_(select(Stagebegeleider.id).join(
                UserAccount, UserAccount.id == Stagebegeleider.user_id).where(UserAccount.username == "begeleider"))))
    engine.dispose()
    st.cache_data.clear()
    at.run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning if "feedbackvraag" in w.value] == [
        f"De feedbackvraag van **{literal(late.aios_name)}** kunt u niet meer beantwoorden: u heeft geen toegang meer "
        "tot de stage waarin zij is gesteld. Er is niets opgeslagen."]
    assert [b for b in at.button if b.label in ("KPB opslaan", "Feedbackmoment opslaan", "Opslaan")] == []
    assert [s for s in at.selectbox if s.key == "gv_stage"] == [] and not at.info
    next(b for b in at.button if b.label == "Een gesprek of KPB van een andere aios vastleggen").click().run()
    assert not [w for w in at.warning if "feedbackvraag" in w.value]
    assert [b for b in at.button if b.label == "KPB opslaan"]


def test_a_card_button_after_beantwoorden_opens_the_form_on_the_cards_aios_not_the_feedback_request(
        private_app_env):
    """Answering holds the form to the request's stage until the begeleider starts something else:
    a card's KPB button on Mijn aios lets the request go and opens the card's aios."""
    late = request_of_an_ended_stage(private_app_env, clock.today(), 3, LATE_TOPIC)
    at = _answer_from_mijn_aios(late.request_id)
    at.switch_page(str(PAGES_DIR / "mijn_aios.py")).run()
    card = next(b for b in at.button if re.fullmatch(r"kpb_\d+", b.key) and b.key != f"kpb_{late.stage_id}")
    card.click().run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Gesprek vastleggen"]
    assert (at.session_state["gv_stage"], at.session_state["gv_tab"]) == (int(card.key.removeprefix("kpb_")), "KPB")
    assert not [i for i in at.info if "feedbackvraag" in i.value]


def test_an_aios_proposes_a_leerdoel_behaald_and_a_begeleider_confirms_one(app_env):
    from data_access.commands import set_leerdoel_status
    from data_access.models import (
        Aios,
        Leerdoel,
        LeerdoelStatus,
        Stage,
        StageBegeleider,
        Stagebegeleider,
    )
    from data_access.viewer import viewer_for

    engine = make_engine(app_env)

    def open_goal(stage_id: int) -> int:
        with engine.connect() as conn:
            return conn.execute(select(func.min(Leerdoel.id)).where(
                Leerdoel.stage_id == stage_id, Leerdoel.status != LeerdoelStatus.BEHAALD,
                Leerdoel.proposed_status.is_(None))).scalar_one()

    def state(goal_id: int) -> tuple:
        with engine.connect() as conn:
            return tuple(conn.execute(select(Leerdoel.status, Leerdoel.proposed_status).where(Leerdoel.id == goal_id)).one())

    at = open_tab(_page("aios", "aios.py"), "Stageplan")
    assert not at.exception
    goal_id = open_goal(int(at.query_params["stage"]))
    at.radio(key=f"leerdoel_status_{goal_id}").set_value(LeerdoelStatus.BEHAALD).run()
    next(b for b in at.button if b.key == f"leerdoel_status_{goal_id}_ok").click().run()
    assert not at.error, [e.value for e in at.error]
    assert any("Voorgesteld als behaald" in s.value for s in at.success)
    assert state(goal_id)[1] is LeerdoelStatus.BEHAALD and state(goal_id)[0] is not LeerdoelStatus.BEHAALD

    with engine.connect() as conn:  # a stage placed with the demo begeleider that has an open leerdoel
        stage_id, aios_id, aios_username = conn.execute(
            select(Stage.id, Aios.id, UserAccount.username).join(Aios, Aios.id == Stage.aios_id)
            .join(UserAccount, UserAccount.id == Aios.user_id)
            .join(StageBegeleider, StageBegeleider.stage_id == Stage.id)
            .join(Stagebegeleider, Stagebegeleider.id == StageBegeleider.begeleider_id)
            .where(Stagebegeleider.user_id == select(UserAccount.id).where(UserAccount.username == "begeleider").scalar_subquery(),
                   Stage.id.in_(select(Leerdoel.stage_id).where(Leerdoel.status != LeerdoelStatus.BEHAALD,
                                                                Leerdoel.proposed_status.is_(None))))
            .order_by(Stage.id).limit(1)).one()
    goal_id = open_goal(stage_id)
    at = login("begeleider")
    at.switch_page(str(PAGES_DIR / "aios.py"))
    at.query_params["aios"], at.query_params["stage"] = str(aios_id), str(stage_id)
    set_leerdoel_status(engine, viewer_for(engine, aios_username), goal_id, LeerdoelStatus.BEHAALD)
    open_tab(at, "Stageplan")
    next(b for b in at.button if b.key == f"leerdoel_bevestig_{goal_id}").click().run()
    assert not at.error, [e.value for e in at.error]
    assert state(goal_id) == (LeerdoelStatus.BEHAALD, None)
    engine.dispose()


def test_the_login_cookie_is_samesite_strict_and_secure_over_https_or_when_set():
    from dashboard.auth import _cookie_script
    from data_access.settings import Settings

    auto = _cookie_script(Settings(), "tok.en.x")
    assert "SameSite=Strict" in auto and 'if (location.protocol === "https:")' in auto and "Secure" in auto
    assert "Max-Age=43200" in auto  # half a day: the cookie is readable by the page, keep it short
    assert "if (true)" in _cookie_script(Settings(cookie_secure=True), "t")
    assert "if (false)" in _cookie_script(Settings(cookie_secure=False), "t")
    assert "Max-Age=0" in _cookie_script(Settings(), None)  # logout deletes it


def test_the_beheerder_creates_a_user_and_a_taken_address_is_said_at_its_field(private_app_env):
    """The new-user form's callback once read the other tab's form (a shared variable): every
    "Aanmaken" failed with "Opslaan is mislukt" and nothing was created."""
    from dashboard.text import literal

    at = _page("beheerder", "gebruikers.py")
    at.text_input(key="nieuwe_gebruiker_username").input("nieuw.lid")
    at.text_input(key="nieuwe_gebruiker_naam").input("Nina Nieuw")
    at.text_input(key="nieuwe_gebruiker_email").input("commissie@voorbeeld.nl")
    at.multiselect(key="nieuwe_gebruiker_rollen").select(Role.AIOS)
    next(b for b in at.button if b.label == "Aanmaken").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        literal("Het e-mailadres commissie@voorbeeld.nl is al in gebruik bij gebruiker 'commissie'.")]
    assert at.text_input(key="nieuwe_gebruiker_username").value == "nieuw.lid"  # what was typed stays
    at.text_input(key="nieuwe_gebruiker_email").input("nina@voorbeeld.nl")
    next(b for b in at.button if b.label == "Aanmaken").click().run()
    assert not at.error and at.success and "nieuw.lid" in at.success[0].value
    with make_engine(private_app_env).connect() as conn:
        assert conn.execute(text("SELECT email FROM user_account WHERE username = 'nieuw.lid'")).scalar_one() == "nina@voorbeeld.nl"
