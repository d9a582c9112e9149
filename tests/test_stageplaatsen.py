"""Stageplaatsen for the stagecommissie: overview, flags, decisions and the aios' rating
(TODAY = 2026-03-02; site 1 has 4 ratings, site 2 one, site 3 none)."""

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data_access.commands import RatingInput, record_decision, submit_rating
from data_access.errors import AccessDenied, ValidationError
from data_access.flags import add_site_flags
from data_access.models import AuditLog, Decision, Opleiding, Stage, Stageplaats, StageplaatsRating, StageStatus
from data_access.queries.ratings import load_rateable_stages, load_stageplaats_rating_trend
from data_access.queries.stageplaatsen import due_follow_ups, load_decisions, load_stageplaats_overview
from data_access.viewer import viewer_for
from tests.fixture_data import TODAY


def _overview(engine, username="com1", threshold=3):
    return load_stageplaats_overview(engine, viewer_for(engine, username), threshold=threshold, today=TODAY)


def test_overview_joins_ratings_feedback_context_and_decisions(fixture_db):
    frame = _overview(fixture_db).set_index("stageplaats_id")
    assert sorted(frame.index) == [1, 2]  # com1 sits for MG: S1 and S2
    s1 = frame.loc[1]
    assert (s1["n"], s1["leermogelijkheden"], s1["enough"]) == (4, 3.5, True)
    # Feedback: no cell of site 1 (site × year the stage started) holds 3 aios, so the committee
    # gets no feedback figure; the beheerder, who sees every aios, gets 4 moments per 416 days.
    assert pd.isna(s1["per_aios_week"])
    assert _overview(fixture_db, "admin").set_index("stageplaats_id").loc[1, "per_aios_week"] == pytest.approx(4 / (416 / 7))
    # Summative context: newest MG rubric is version 2, whose eind scores fall after TODAY.
    assert s1["summative_n"] == 0 and pd.isna(s1["summative"])
    s2 = frame.loc[2]
    assert s2["n"] == 1 and pd.isna(s2["leerklimaat"]) and pd.isna(s2["leerklimaat_low"])
    assert pd.isna(s2["decision"])


def test_a_site_below_the_minimum_mean_is_flagged_with_its_reason(fixture_db):
    overview = _overview(fixture_db)
    trend = load_stageplaats_rating_trend(fixture_db, viewer_for(fixture_db, "com1"), threshold=3)
    flagged = add_site_flags(overview, trend, min_mean=3.0)
    assert flagged["stageplaats"].tolist()[0] == "GGD Noord"  # worst first
    assert flagged.iloc[0]["flags"] == ["begeleiding 2,8 (onder 3,0; n=4)"]
    assert flagged.set_index("stageplaats_id").loc[2, "flags"] == []  # n=1: no mean, so no rating flag


def test_a_site_declining_two_years_in_a_row_is_flagged_with_the_years():
    overview = pd.DataFrame([{"stageplaats_id": 9, "stageplaats": "Site", "n": 12, "enough": True,
                              "leermogelijkheden": 3.4, "leerklimaat": 3.5, "begeleiding": 3.6}])
    trend = pd.DataFrame([
        {"stageplaats_id": 9, "year": y, "enough": True, "leermogelijkheden": lm, "leerklimaat": 3.5, "begeleiding": bg}
        for y, lm, bg in ((2023, 3.8, 3.0), (2024, 3.4, 3.9), (2025, 3.0, 3.7))
    ])
    flags = add_site_flags(overview, trend, min_mean=3.0).iloc[0]["flags"]
    assert flags == ["leermogelijkheden daalt twee jaar op rij: 3,8 (2023) → 3,4 (2024) → 3,0 (2025)"]
    gap = trend.assign(year=[2021, 2024, 2025])  # not consecutive years: no trend claimed
    assert add_site_flags(overview, gap, min_mean=3.0).iloc[0]["flags"] == []


def test_a_decision_changes_the_status_leaves_an_audit_row_and_shows_as_history(fresh_db):
    com1 = viewer_for(fresh_db, "com1")
    follow_up = TODAY + dt.timedelta(days=90)
    decision_id = record_decision(fresh_db, com1, 1, Decision.REMEDIERINGSPLAN, "Te weinig feedback.", follow_up, TODAY)
    with Session(fresh_db) as s:
        assert s.get(Stageplaats, 1).status.value == "in remediëring"
        audit = s.execute(select(AuditLog.action, AuditLog.entity, AuditLog.entity_id, AuditLog.before, AuditLog.after)).one()
    assert audit == ("besloten", "stageplaats", 1, {"status": "actief"},
                     {"status": "in remediëring", "besluit": "remediëringsplan", "besluit_id": decision_id,
                      "opvolging": follow_up.isoformat()})
    history = load_decisions(fresh_db, com1, (1,))
    assert history[["decision", "rationale", "decided_by"]].values.tolist() == [
        ["remediëringsplan", "Te weinig feedback.", "Carla Commissie"]]
    overview = _overview(fresh_db).set_index("stageplaats_id")
    assert (overview.loc[1, "status"], overview.loc[1, "decision"]) == ("in remediëring", "remediëringsplan")
    assert due_follow_ups(overview.reset_index(), follow_up)["stageplaats_id"].tolist() == [1]
    assert due_follow_ups(overview.reset_index(), TODAY).empty
    record_decision(fresh_db, com1, 1, Decision.GEEN_ACTIE, "Plan uitgevoerd.", None, TODAY)
    assert _overview(fresh_db).set_index("stageplaats_id").loc[1, "status"] == "actief"


@pytest.mark.parametrize(("decision", "rationale", "follow_up", "errors"), [
    (Decision.GESPREK, "  ", None, {"rationale": "Geef een motivering voor het besluit.",
                                    "follow_up_date": "Kies een datum waarop het besluit wordt opgevolgd."}),
    (Decision.STOPZETTEN, "x" * 2001, TODAY, {"rationale": "De motivering is te lang: maximaal 2000 tekens (nu 2001).",
                                              "follow_up_date": "De datum van opvolging moet na vandaag liggen."}),
])
def test_a_decision_with_bad_input_says_why_per_field_and_writes_nothing(fresh_db, decision, rationale, follow_up, errors):
    with pytest.raises(ValidationError) as err:
        record_decision(fresh_db, viewer_for(fresh_db, "com1"), 1, decision, rationale, follow_up, TODAY)
    assert err.value.fields == errors
    with Session(fresh_db) as s:
        assert s.execute(select(AuditLog)).first() is None


@pytest.mark.parametrize("username", ["opl1", "bg1", "a1"])
def test_only_the_committee_decides_and_a_refusal_is_audited(fresh_db, username):
    with pytest.raises(AccessDenied):
        record_decision(fresh_db, viewer_for(fresh_db, username), 1, Decision.GEEN_ACTIE, "ok", None, TODAY)
    with Session(fresh_db) as s:
        assert s.execute(select(AuditLog.action, AuditLog.entity)).all() == [("geweigerd", "stageplaats")]


def _ended_stage(engine, stage_id=40, aios_id=1, site=2, end=dt.date(2026, 1, 4)):
    """One more ended, unrated stage (the fixture's own ratings are all released)."""
    with Session(engine) as s, s.begin():
        s.add(Stage(id=stage_id, aios_id=aios_id, stageplaats_id=site, start_date=end - dt.timedelta(days=90),
                    end_date=end, fte=1.0, status=StageStatus.AFGEROND))


def test_an_aios_rates_an_ended_stage_and_the_audit_keeps_no_scores(fresh_db):
    _ended_stage(fresh_db)
    a1 = viewer_for(fresh_db, "a1")
    stages = load_rateable_stages(fresh_db, a1, TODAY)
    # The fixture's ratings are released, so they stay as they were counted; the new stage is open.
    assert stages[["stage_id", "rated", "released", "editable"]].values.tolist() == [
        [40, False, False, True], [5, True, True, False], [8, True, True, False]]
    submit_rating(fresh_db, a1, 40, RatingInput(2, 3, 4, "  Goede <b>sfeer</b>  "), TODAY, threshold=3)
    with Session(fresh_db) as s:
        row = s.execute(select(StageplaatsRating).where(StageplaatsRating.stage_id == 40)).scalar_one()
        assert (row.leermogelijkheden, row.leerklimaat, row.begeleiding, row.comment) == (2, 3, 4, "Goede <b>sfeer</b>")
        assert row.release_id is None  # pending: 1 new rating at site 2 is no batch of 3
        # No scores, and no rating id either: that id would tie the aios to the stage and site.
        assert s.execute(select(AuditLog.user_id, AuditLog.action, AuditLog.entity, AuditLog.entity_id,
                                AuditLog.before, AuditLog.after)).all() == [
            (8, "ingediend", "stageplaats_beoordeling", None, None, None)]


def test_a_rating_is_locked_once_the_committee_has_decided_on_the_site(fresh_db):
    _ended_stage(fresh_db)
    a1 = viewer_for(fresh_db, "a1")
    submit_rating(fresh_db, a1, 40, RatingInput(3, 3, 3), TODAY, threshold=3)
    record_decision(fresh_db, viewer_for(fresh_db, "com1"), 2, Decision.GEEN_ACTIE, "Besproken.", None, TODAY)
    assert load_rateable_stages(fresh_db, a1, TODAY).set_index("stage_id").loc[40, "editable"] == False  # noqa: E712
    with pytest.raises(ValidationError) as err:
        submit_rating(fresh_db, a1, 40, RatingInput(2, 3, 4), TODAY, threshold=3)
    assert err.value.fields == {"stage": "Deze beoordeling is al besproken in de stagecommissie en kan niet meer worden gewijzigd."}


def test_rating_input_is_checked_per_field(fresh_db):
    _ended_stage(fresh_db)
    a1 = viewer_for(fresh_db, "a1")
    with pytest.raises(ValidationError) as err:
        submit_rating(fresh_db, a1, 1, RatingInput(None, 6, 3, "x" * 2001), TODAY, threshold=3)
    assert err.value.fields == {
        "leermogelijkheden": "Kies een score van 1 tot 5.", "leerklimaat": "Kies een score van 1 tot 5.",
        "comment": "De toelichting is te lang: maximaal 2000 tekens (nu 2001).",
        "stage": "U kunt de stageplaats beoordelen zodra de stage is afgelopen.",
    }
    with Session(fresh_db) as s, s.begin():
        s.execute(update(Opleiding).where(Opleiding.id == 1).values(uses_rating_instrument=True))
    with pytest.raises(ValidationError) as err:
        submit_rating(fresh_db, a1, 40, RatingInput(2, 3, 4), TODAY, threshold=3)
    assert err.value.fields == {"items": "Vul ook de vragen over het leerklimaat in."}


@pytest.mark.parametrize("username", ["a2", "bg2", "com1"])
def test_nobody_rates_someone_elses_stage(fresh_db, username):
    with pytest.raises(AccessDenied):
        submit_rating(fresh_db, viewer_for(fresh_db, username), 5, RatingInput(2, 3, 4), TODAY, threshold=3)
    assert load_rateable_stages(fresh_db, viewer_for(fresh_db, username), TODAY).query("stage_id == 5").empty


def _eind_scores(engine, scores_by_stage) -> None:
    """Eindbeoordelingen by the begeleider on MG's newest rubric (version 2: criteria 3, 4, 5),
    all dated 15 December 2025: one disclosure cell (site 1, 2025, begeleider scores)."""
    from data_access.models import Beoordeling, Moment, RaterKind, RubricScore
    from tests.fixture_data import STAGES, uid

    with Session(engine) as s, s.begin():
        for n, (stage, scores) in enumerate(scores_by_stage.items(), 50 + s.query(Beoordeling).filter(Beoordeling.id >= 50).count()):
            s.add(Beoordeling(id=n, stage_id=stage, rubric_id=2, moment=Moment.EIND, rater_kind=RaterKind.BEGELEIDER,
                              rater_id=uid(STAGES[stage][2]), date=dt.date(2025, 12, 15)))
            s.flush()
            s.add_all([RubricScore(beoordeling_id=n, criterion_id=c, score=v) for c, v in zip((3, 4, 5), scores)])


@pytest.mark.parametrize(("username", "n_by_step"), [
    ("com1", (0, 0, 3)),  # sees nobody one by one: the aios come in as one whole group of 3
    ("bg1", (1, 2, 3)),   # sees a1, a2 and a3 one by one (all three are bg1's): as they come
    ("opl1", (1, 1, 2)),  # sees a1 and a2; a3 alone waits for two more hidden aios
])
def test_the_eind_level_context_moves_only_by_whole_groups_of_aios(fresh_db, username, n_by_step):
    from dashboard.tables import summative_text

    steps = [{2: (2, 2, 2), 7: (4, 4, 4)},  # one aios (a2) with two stages: one aios
             {6: (1, 1, 1)},                 # a3
             {8: (4, 4, 4)}]                 # a1
    for step, n in zip(steps, n_by_step, strict=True):
        _eind_scores(fresh_db, step)
        s1 = _overview(fresh_db, username).set_index("stageplaats_id").loc[1]
        assert s1["summative_n"] == n
        if n < 3:
            assert pd.isna(s1["summative"]) and summative_text(s1) == (f"te weinig aios (n={n})" if n else "—")
    # Three aios: the mean of the aios' means, (3 + 1 + 4) / 3.
    if n_by_step[-1] == 3:
        assert s1["summative"] == pytest.approx(8 / 3) and summative_text(s1) == "2,7 (n=3 aios)"
