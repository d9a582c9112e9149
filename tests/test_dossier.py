"""The aiosdossier: the cycle's slots, the stage's records and who may open them (TODAY = 2026-03-02)."""

import datetime as dt

import pytest

from data_access.cycle import gesprek_slots, match_slots, slots_per_week
from data_access.models import GesprekType
from data_access.queries.dossier import (
    load_aios_stages,
    load_dossier_aios,
    load_stage_dossier,
)
from data_access.queries.filters import StageSelection
from data_access.queries.progress import load_gesprek_dates, load_stage_progress
from data_access.viewer import viewer_for
from tests.fixture_data import TODAY

D = dt.date
B = GesprekType.BEGELEIDINGSGESPREK


def test_slots_of_stage_1_pair_held_gesprekken_in_order():
    held = [(GesprekType.KENNISMAKING, D(2025, 12, 20)), (GesprekType.STARTGESPREK, D(2026, 1, 6)),
            (B, D(2026, 1, 13)), (B, D(2026, 1, 20)), (B, D(2026, 1, 27)), (B, D(2026, 2, 10))]
    slots = match_slots(D(2026, 1, 5), D(2026, 4, 5), held, TODAY)
    assert [(t.value, due, held_on, status) for t, due, held_on, status in slots] == [
        ("kennismaking", None, D(2025, 12, 20), "gehouden"),
        ("startgesprek", D(2026, 1, 12), D(2026, 1, 6), "op tijd"),
        ("begeleidingsgesprek", D(2026, 1, 18), D(2026, 1, 13), "op tijd"),
        ("begeleidingsgesprek", D(2026, 1, 25), D(2026, 1, 20), "op tijd"),
        ("begeleidingsgesprek", D(2026, 2, 1), D(2026, 1, 27), "op tijd"),
        ("begeleidingsgesprek", D(2026, 2, 8), D(2026, 2, 10), "te laat"),
        ("begeleidingsgesprek", D(2026, 2, 15), None, "ontbreekt"),
        ("begeleidingsgesprek", D(2026, 2, 22), None, "ontbreekt"),
        ("evaluatiegesprek", D(2026, 2, 26), None, "ontbreekt"),
        ("begeleidingsgesprek", D(2026, 3, 1), None, "ontbreekt"),
        ("begeleidingsgesprek", D(2026, 3, 8), None, "verwacht"),
        ("begeleidingsgesprek", D(2026, 3, 15), None, "verwacht"),
        ("begeleidingsgesprek", D(2026, 3, 22), None, "verwacht"),
        ("begeleidingsgesprek", D(2026, 3, 29), None, "verwacht"),
        ("eindgesprek", D(2026, 4, 5), None, "verwacht"),
    ]


def test_slots_agree_with_the_counts_of_the_cohort_table(fixture_db):
    """Missing slots = expected − held, per type, for every running stage."""
    admin = viewer_for(fixture_db, "admin")
    selection = StageSelection(TODAY)
    progress = load_stage_progress(fixture_db, admin, selection)
    slots = gesprek_slots(progress, load_gesprek_dates(fixture_db, admin, selection), TODAY)
    for row in progress.itertuples():
        mine = slots[slots["stage_id"] == row.stage_id]
        for gtype in ("startgesprek", "begeleidingsgesprek", "evaluatiegesprek", "eindgesprek"):
            due = mine[(mine["type"] == gtype) & mine["status"].isin(["op tijd", "te laat", "ontbreekt"])]
            assert len(due) == getattr(row, f"expected_{gtype}"), (row.stage_id, gtype)


def test_gesprekken_per_week_of_the_cohort(fixture_db):
    """MG 2024 (opl1): stage 1 only. Weeks are Mondays of the due date."""
    opl1 = viewer_for(fixture_db, "opl1")
    selection = StageSelection(TODAY)
    progress = load_stage_progress(fixture_db, opl1, selection)
    weeks = slots_per_week(gesprek_slots(progress, load_gesprek_dates(fixture_db, opl1, selection), TODAY), TODAY)
    assert list(weeks.itertuples(index=False, name=None)) == [
        (D(2026, 1, 12), "op tijd", 2),
        (D(2026, 1, 19), "op tijd", 1),
        (D(2026, 1, 26), "op tijd", 1),
        (D(2026, 2, 2), "te laat", 1),
        (D(2026, 2, 9), "ontbreekt", 1),
        (D(2026, 2, 16), "ontbreekt", 1),
        (D(2026, 2, 23), "ontbreekt", 2),
    ]


def test_dossier_of_stage_1_holds_its_records(fixture_db):
    dossier = load_stage_dossier(fixture_db, viewer_for(fixture_db, "opl1"), 1, TODAY)
    assert dossier.progress["stage_id"].tolist() == [1]
    # Newest first, the correction (version 2) above the version it replaced.
    g = dossier.gesprekken
    assert g[["id", "version", "current", "original_id"]].head(3).values.tolist() == [
        [7, 2, True, 6], [6, 1, False, 6], [5, 1, True, 5]]
    assert g.set_index("id").loc[5, "afspraken"] == "**Vet** <b>geen html</b>: twee KPB's plannen"
    assert dossier.kpbs[["date", "epa_code", "supervision_level"]].values.tolist() == [
        [D(2026, 1, 6), "EPA1", 2], [D(2026, 1, 27), "EPA1", 3]]
    assert dossier.epa_targets.drop(columns="max_level").to_dict("records") == [
        {"epa_code": "EPA1", "epa_name": "Consult", "target_level": 3, "n_kpb": 2},
        {"epa_code": "EPA2", "epa_name": "Overdracht", "target_level": 2, "n_kpb": 0},
    ]
    assert dossier.epa_targets["max_level"].fillna(0).tolist() == [3, 0]  # no KPB yet: no level
    assert dossier.opdrachten.values.tolist() == [
        ["Casusbespreking", D(2026, 2, 1), "afgerond"], ["Beleidsadvies", D(2026, 3, 15), "bezig"]]
    assert dossier.leerdoelen[["id", "status", "changes"]].values.tolist() == [
        [1, "behaald", 2], [2, "bezig", 0], [3, "gepland", 0]]
    assert dossier.leerdoel_history["text"].tolist() == ["Leerdoel 1 (eerste versie)", "Leerdoel 1"]
    assert dossier.feedback["asked_by_aios"].tolist() == [True, False, True, True]
    scores = dossier.scores
    assert scores[["rater_kind", "moment", "criterion", "score", "label"]].values.tolist() == [
        ["begeleider", "tussentijds", "Medische kennis", 2, "voldoende"],
        ["begeleider", "tussentijds", "Communicatie", 3, "goed"],
        ["begeleider", "tussentijds", "Samenwerking", 3, "goed"],
        ["zelf", "tussentijds", "Medische kennis", 3, "goed"],
        ["zelf", "tussentijds", "Communicatie", 3, "goed"],
        ["zelf", "tussentijds", "Samenwerking", 4, "excellent"],
    ]
    assert dossier.slots["status"].value_counts().to_dict() == {
        "verwacht": 5, "ontbreekt": 4, "op tijd": 4, "te laat": 1, "gehouden": 1}


def test_stages_of_an_aios_newest_first_with_header(fixture_db):
    stages = load_aios_stages(fixture_db, viewer_for(fixture_db, "opl1"), 1)
    assert stages[["stage_id", "stageplaats", "begeleiders"]].values.tolist() == [
        [1, "GGD Noord", "Bram Begeleider"], [5, "Arbodienst Zuid", "Bea Begeleider"],
        [8, "GGD Noord", "Bram Begeleider"]]
    assert stages.iloc[0][["aios_name", "opleiding", "cohort", "status"]].tolist() == [
        "Anna Aios", "Arts M&G", "MG 2024", "lopend"]


@pytest.mark.parametrize(("username", "stages_of_a1"), [
    ("admin", [1, 5, 8]),
    ("opl1", [1, 5, 8]),       # follows cohort MG 2024
    ("opl2", []),              # follows a4 only
    ("com1", []),              # the committee sees no individual records
    ("bg1", [1, 8]),           # a1 was placed with bg1 in stages 1 and 8, not 5
    ("bg2", [5]),
    ("bg3", []),
    ("a1", [1, 5, 8]),
    ("a2", []),
])
def test_who_may_open_the_dossier_of_a1(fixture_db, username, stages_of_a1):
    viewer = viewer_for(fixture_db, username)
    assert load_aios_stages(fixture_db, viewer, 1)["stage_id"].tolist() == stages_of_a1
    for stage_id in (1, 5, 8):
        dossier = load_stage_dossier(fixture_db, viewer, stage_id, TODAY)
        assert (dossier is not None) == (stage_id in stages_of_a1)
    assert (1 in load_dossier_aios(fixture_db, viewer)["aios_id"].tolist()) == bool(stages_of_a1)


def test_dossier_choices_follow_the_filters(fixture_db):
    admin = viewer_for(fixture_db, "admin")
    assert load_dossier_aios(fixture_db, admin)["aios_name"].tolist() == ["Anna Aios", "Bert Aios", "Cees Aios", "Dirk Aios"]
    assert load_dossier_aios(fixture_db, admin, opleiding_id=1, cohort_ids=(2,))["aios_name"].tolist() == ["Cees Aios"]
