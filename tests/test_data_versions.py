"""Data versions per area (issue 19): a write stamps the areas it changes and no more, login
bookkeeping stamps nothing, an entity nobody mapped stamps everything; and through the pages'
cache (dashboard.data with Streamlit's cache_data) a gesprek makes the cohort page of its
programme miss while the Stageplaatsen page hits. Fixture: TODAY = 2026-03-02; stage 1 is a1's
at site 1 of programme 1 (MG), bg1 is its begeleider, opl1 follows a1, com1 sits for MG."""

import pytest
import streamlit as st
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from dashboard import data
from data_access.accounts import attempt_login, record_login, record_logout
from data_access.audit import DATA_AREAS, ENTITY_AREAS, areas_of, load_data_version, load_data_versions, record_write
from data_access.db import write_session
from data_access.gesprekken import GesprekInput, log_gesprek
from data_access.models import AuditLog, GesprekType
from data_access.queries.filters import StageSelection
from data_access.viewer import viewer_for
from tests.fixture_data import TODAY

def _begeleidingsgesprek(token: str = "dv-1") -> GesprekInput:
    return GesprekInput(stage_id=1, type=GesprekType.BEGELEIDINGSGESPREK, date=TODAY, submit_token=token,
                        verslag="Casus besproken.")


def _changed(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {area: after[area] for area in after if after[area] != before[area]}


def test_every_area_has_a_row_and_a_fresh_database_starts_at_zero(fresh_db):
    assert load_data_versions(fresh_db) == dict.fromkeys(DATA_AREAS, 0)
    assert load_data_version(fresh_db) == 0


def test_a_login_a_failed_login_a_throttle_and_a_logout_change_no_data_version(fresh_db):
    before = load_data_versions(fresh_db)
    for _ in range(6):  # past the lock: the throttle row is written too
        attempt_login(fresh_db, "bg1", "fout-wachtwoord", "198.51.100.7")
    attempt_login(fresh_db, "niemand", "fout-wachtwoord", "198.51.100.7")
    record_login(fresh_db, "bg1", via="cookie")
    record_logout(fresh_db, "bg1")
    assert load_data_versions(fresh_db) == before
    with Session(fresh_db) as s:  # the bookkeeping was written and audited all the same
        actions = [a for (a,) in s.execute(select(AuditLog.action).order_by(AuditLog.id))]
    assert actions[-2:] == ["ingelogd", "uitgelogd"] and "inloggen mislukt" in actions


def test_a_gesprek_stamps_progress_only_one_past_the_newest_stamp(fresh_db):
    before = load_data_versions(fresh_db)
    log_gesprek(fresh_db, viewer_for(fresh_db, "bg1"), _begeleidingsgesprek(), TODAY)
    assert _changed(before, load_data_versions(fresh_db)) == {"progress": 1}
    log_gesprek(fresh_db, viewer_for(fresh_db, "bg1"), _begeleidingsgesprek("dv-2"), TODAY)
    assert _changed(before, load_data_versions(fresh_db)) == {"progress": 2}
    assert load_data_version(fresh_db) == 2


def test_a_gesprek_with_rubric_scores_also_stamps_the_rubric_scores(fresh_db):
    before = load_data_versions(fresh_db)
    log_gesprek(fresh_db, viewer_for(fresh_db, "bg1"), GesprekInput(
        stage_id=1, type=GesprekType.EINDGESPREK, date=TODAY, submit_token="dv-eind", wat_gaat_goed="Zorgvuldig",
        wat_kan_beter="Tempo", signed=True, scores=((3, 3), (4, 2), (5, 4)), early_confirmed=True), TODAY)
    assert _changed(before, load_data_versions(fresh_db)) == {"progress": 1, "rubric_scores": 1}


def test_an_entity_without_data_areas_is_refused_at_its_first_write_and_writes_nothing(fresh_db):
    """Every command's audit row stamps the areas its entity maps to; one that maps to none is
    refused in its own transaction, so a new command cannot leave a cache stale unnoticed (its
    first test fails), nor make every page cold by a guess."""
    assert {e: areas_of(e) for e in ("gesprek", "kpb", "stageplaats_beoordeling", "stageplaats", "herinnering")} == {
        "gesprek": ("progress",), "kpb": ("feedback",), "stageplaats_beoordeling": ("ratings",),
        "stageplaats": ("decisions",), "herinnering": ()}
    assert {area for areas in ENTITY_AREAS.values() for area in areas} <= set(DATA_AREAS)
    before = load_data_versions(fresh_db)
    with pytest.raises(ValueError, match="entity 'iets_nieuws' has no data areas"), \
            write_session(fresh_db) as s, s.begin():
        record_write(s, None, action="aangemaakt", entity="iets_nieuws", entity_id=None)
    assert load_data_versions(fresh_db) == before
    with fresh_db.connect() as conn:
        assert conn.execute(select(AuditLog.id).where(AuditLog.entity == "iets_nieuws")).all() == []


def test_a_refused_write_is_audited_and_stamps_nothing(fresh_db):
    before = load_data_versions(fresh_db)
    with pytest.raises(Exception, match="geen toegang"):
        log_gesprek(fresh_db, viewer_for(fresh_db, "a3"), _begeleidingsgesprek(), TODAY)
    assert load_data_versions(fresh_db) == before


def test_the_migration_gives_each_area_the_old_version(empty_db):
    from alembic import command
    from sqlalchemy import text

    from data_access.db import alembic_config
    cfg = alembic_config(empty_db.url.render_as_string(hide_password=False))
    command.downgrade(cfg, "0008")
    with empty_db.begin() as conn:
        conn.execute(text("UPDATE data_version SET version = 41"))
    command.upgrade(cfg, "head")
    assert load_data_versions(empty_db) == dict.fromkeys(DATA_AREAS, 41)
    command.downgrade(cfg, "0008")
    with empty_db.connect() as conn:
        assert conn.execute(text("SELECT id, version FROM data_version")).all() == [(1, 41)]
    command.upgrade(cfg, "head")


@pytest.fixture
def pages_cache(fresh_db, monkeypatch):
    """dashboard.data on the fixture database, with empty caches; counts the SQL each call sends
    besides the one tiny data_version query (none: a cache hit)."""
    monkeypatch.setenv("STAGE_DB_URL", fresh_db.url.render_as_string(hide_password=False))
    st.cache_resource.clear()
    st.cache_data.clear()
    sent: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if "data_version" not in statement and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            sent.append(statement)
    engine = data.get_engine(data._url())
    event.listen(engine, "before_cursor_execute", count)

    def queries(call) -> int:  # noqa: ANN001
        sent.clear()
        call()
        return len(sent)
    yield queries
    event.remove(engine, "before_cursor_execute", count)
    st.cache_resource.clear()
    st.cache_data.clear()


def test_a_gesprek_makes_the_cohort_page_of_its_programme_miss_and_the_stageplaatsen_page_hit(fresh_db, pages_cache):
    opl1, com1 = viewer_for(fresh_db, "opl1"), viewer_for(fresh_db, "com1")
    mg = StageSelection(today=TODAY, opleiding_id=1)

    def cohort_page():
        data.stage_progress(opl1, mg)
        data.gesprek_weeks(opl1, mg)

    def stageplaatsen_page():
        data.stageplaats_overview(com1, mg)
        data.decisions(com1)

    before = data.stage_progress(opl1, mg).set_index("stage_id").loc[1, "n_begeleidingsgesprek"]
    assert pages_cache(cohort_page) > 0 and pages_cache(stageplaatsen_page) > 0  # cold
    assert (pages_cache(cohort_page), pages_cache(stageplaatsen_page)) == (0, 0)  # warm: nothing sent
    log_gesprek(fresh_db, viewer_for(fresh_db, "bg1"), _begeleidingsgesprek(), TODAY)
    assert pages_cache(stageplaatsen_page) == 0  # hit: the overview reads no gesprekken
    assert pages_cache(cohort_page) > 0  # miss, and the new gesprek is counted
    assert data.stage_progress(opl1, mg).set_index("stage_id").loc[1, "n_begeleidingsgesprek"] == before + 1


def test_a_login_leaves_every_page_cache_warm(fresh_db, pages_cache):
    opl1 = viewer_for(fresh_db, "opl1")
    mg = StageSelection(today=TODAY, opleiding_id=1)
    pages_cache(lambda: data.stage_progress(opl1, mg))
    attempt_login(fresh_db, "opl1", "fout-wachtwoord", "198.51.100.8")
    record_login(fresh_db, "opl1", via="cookie")
    assert pages_cache(lambda: data.stage_progress(opl1, mg)) == 0


def test_a_rating_makes_the_stageplaatsen_page_miss(fresh_db, pages_cache):
    """The other way round: a write to an area the overview reads is seen on its next run."""
    com1 = viewer_for(fresh_db, "com1")
    mg = StageSelection(today=TODAY, opleiding_id=1)
    pages_cache(lambda: data.stageplaats_overview(com1, mg))
    with write_session(fresh_db) as s, s.begin():
        record_write(s, None, action="vrijgegeven", entity="beoordelingsvrijgave", entity_id=None)
    assert pages_cache(lambda: data.stageplaats_overview(com1, mg)) > 0


def _counted(engine, viewer, i: int) -> int:  # noqa: ANN001 - a query as cached_query calls it
    _counted.runs += 1
    return i


def test_the_cache_keeps_at_most_max_entries_results_dropping_the_least_recently_used(pages_cache):
    _counted.runs = 0
    for i in range(data.MAX_ENTRIES + 1):
        data.cached_query(_counted, None, reads=(), i=i)
    assert _counted.runs == data.MAX_ENTRIES + 1
    data.cached_query(_counted, None, reads=(), i=data.MAX_ENTRIES)  # the newest is kept
    assert _counted.runs == data.MAX_ENTRIES + 1
    data.cached_query(_counted, None, reads=(), i=0)  # the oldest was dropped
    assert _counted.runs == data.MAX_ENTRIES + 2
