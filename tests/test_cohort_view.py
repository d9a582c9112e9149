"""The cohort view's tiles (count out of all stages shown, "zonder signalen" beside the signals),
the mailto link to the begeleider, and EPA supervision levels shown as ordinal: a distribution
and the highest level reached, never a mean (fixture, TODAY = 2026-03-02)."""

import json
from urllib.parse import unquote

import pytest

from dashboard.charts import epa_distribution_chart, epa_level_distribution, epa_levels_chart
from dashboard.cohort import OPTIONS, tile_counts, tile_label
from dashboard.dossier_actions import mailto_link
from data_access.flags import FLAG_KINDS, NO_FLAGS, add_flags, select_flagged
from data_access.queries.dossier import load_stage_dossier
from data_access.queries.filters import StageSelection
from data_access.queries.progress import load_stage_progress
from data_access.settings import FlagThresholds
from data_access.viewer import viewer_for
from tests.fixture_data import TODAY


def _progress(engine, username: str):
    viewer = viewer_for(engine, username)
    return add_flags(load_stage_progress(engine, viewer, StageSelection(TODAY, running_only=False)), TODAY,
                     FlagThresholds())


@pytest.mark.parametrize(("username", "total", "expected"), [
    # Stage 1 (a1) and 4 (a4) are behind on five counts, stage 3 (a3) has its stageplan unapproved.
    ("admin", 8, {"gesprek": 2, "feedback": 2, "startgesprek": 0, "evaluatiegesprek": 2, "begeleidingsgesprekken": 2,
                  "kpb": 2, "stageplan": 1, "stageverslag": 0, NO_FLAGS: 5}),
    # opl1 follows MG 2024: a1 (stages 1, 5, 8) and a2 (2, 7); only stage 1 runs and is behind.
    ("opl1", 5, {"gesprek": 1, "feedback": 1, "startgesprek": 0, "evaluatiegesprek": 1, "begeleidingsgesprekken": 1,
                 "kpb": 1, "stageplan": 0, "stageverslag": 0, NO_FLAGS: 4}),
])
def test_tiles_count_each_signal_out_of_all_stages_shown(fixture_db, username, total, expected):
    progress = _progress(fixture_db, username)
    assert len(progress) == total
    assert tile_counts(progress) == expected
    assert list(OPTIONS) == [*FLAG_KINDS, NO_FLAGS]
    for kind, count in expected.items():
        assert len(select_flagged(progress, (kind,))) == count


def test_tile_labels_say_count_of_total_and_which_is_chosen():
    assert tile_label("gesprek", 20, 144, False) == "Geen recent gesprek: 20 van 144"
    assert tile_label(NO_FLAGS, 7, 40, True) == "Zonder signalen: 7 van 40 · filter aan"


def test_no_flags_filter_selects_the_quiet_stages_and_combines_as_and(fixture_db):
    progress = _progress(fixture_db, "admin")
    assert sorted(select_flagged(progress, (NO_FLAGS,))["stage_id"]) == [2, 5, 6, 7, 8]
    assert select_flagged(progress, (NO_FLAGS, "kpb")).empty


def test_mailto_names_the_aios_and_the_signal_url_encoded():
    link = mailto_link(["bg1@voorbeeld.nl", " bg+2@voorbeeld.nl"], "Anna de Vries & Co",
                       {"gesprek": "geen gesprek sinds 20 dagen (verwacht: wekelijks)", "kpb": "KPB's achter: 2 van verwacht 3"})
    assert link == ("mailto:bg1@voorbeeld.nl,bg%2B2@voorbeeld.nl?subject=Anna%20de%20Vries%20%26%20Co%3A%20geen%20gesprek"
                    "%20sinds%2020%20dagen%20%28verwacht%3A%20wekelijks%29%3B%20KPB%27s%20achter%3A%202%20van%20verwacht%203")
    assert unquote(link.split("subject=")[1]) == ("Anna de Vries & Co: geen gesprek sinds 20 dagen (verwacht: wekelijks); "
                                                 "KPB's achter: 2 van verwacht 3")
    assert mailto_link(["bg1@voorbeeld.nl"], "Anna Aios", {}) == "mailto:bg1@voorbeeld.nl?subject=Anna%20Aios%3A%20voortgang"


@pytest.fixture
def dossier_1(fixture_db):
    return load_stage_dossier(fixture_db, viewer_for(fixture_db, "opl1"), 1, TODAY)


def _no_mean(spec: dict) -> None:
    text = json.dumps(spec)
    assert '"mean"' not in text and '"average"' not in text and '"median"' not in text


def test_epa_distribution_counts_kpbs_per_level_with_highest_and_target(dossier_1):
    # Stage 1 has two vastgesteld KPB's, both EPA1 (levels 2 and 3); EPA2 has none yet.
    frame = epa_level_distribution(dossier_1.kpbs, dossier_1.epa_targets)
    assert frame.values.tolist() == [
        ["EPA1 Consult (n=2 · hoogste 3 · doel 3)", "EPA1", str(lv), n] for lv, n in zip(range(1, 6), [0, 1, 1, 0, 0])
    ] + [["EPA2 Overdracht (n=0 · nog geen KPB · doel 2)", "EPA2", str(lv), 0] for lv in range(1, 6)]
    spec = epa_distribution_chart(dossier_1.kpbs, dossier_1.epa_targets).to_dict()
    _no_mean(spec)
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["color"]["type"] == "ordinal"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["1", "2", "3", "4", "5"]
    assert spec["encoding"]["x"]["field"] == "aantal" and "aggregate" not in spec["encoding"]["x"]


def test_epa_levels_over_time_are_ordinal_points_on_a_readable_dutch_date_axis(dossier_1):
    spec = epa_levels_chart(dossier_1.kpbs, dossier_1.epa_targets).to_dict()
    _no_mean(spec)
    rules, points = spec["layer"]
    assert points["mark"]["type"] == "point"  # one point per KPB: no line between ordinal levels
    assert points["encoding"]["y"]["type"] == "ordinal"
    assert points["encoding"]["y"]["scale"]["domain"] == [5, 4, 3, 2, 1]
    assert rules["encoding"]["y"]["type"] == "ordinal"
    axis = points["encoding"]["x"]["axis"]
    assert axis["title"] == "Datum van de KPB" and axis["labelAngle"] == 0 and axis["tickCount"] == "week"
    assert "'mrt'" in axis["labelExpr"] and "month(datum.value)" in axis["labelExpr"]
