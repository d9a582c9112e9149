"""Chart specs of the Beoordelingen and Feedback pages, built from the fixture (TODAY = 2026-03-02)."""

from dashboard.charts import calibration_chart, feedback_heatmap, feedback_trend_chart, self_vs_begeleider_chart
from dashboard.tables import (
    by_lowest_feedback,
    calibration_table,
    feedback_frequency_table,
    self_vs_begeleider_means_table,
)
from data_access.models import Moment
from data_access.queries.feedback import load_feedback_frequency, load_feedback_per_week, load_feedback_trend, weekly_grid
from data_access.queries.filters import StageSelection
from data_access.queries.progress import load_stage_progress
from data_access.queries.rubrics import load_rater_calibration, load_self_vs_begeleider
from data_access.viewer import viewer_for
from tests.fixture_data import TODAY


def _values(spec: dict) -> list[dict]:
    return [v for values in spec["datasets"].values() for v in values]


def test_heatmap_spec_holds_the_exact_counts_per_week_and_a_cell_selection(fixture_db):
    admin = viewer_for(fixture_db, "admin")
    selection = StageSelection(TODAY)
    grid = weekly_grid(load_stage_progress(fixture_db, admin, selection), load_feedback_per_week(fixture_db, admin, selection))
    spec = feedback_heatmap(grid).to_dict()
    cells = {(v["stage_id"], v["week"]): v["moments"] for v in _values(spec)}
    assert len(cells) == 9 + 5 + 9
    assert [cells[(1, w)] for w in range(1, 10)] == [2, 1, 0, 0, 0, 1, 0, 0, 0]
    assert [cells[(3, w)] for w in range(1, 6)] == [1, 0, 1, 0, 0]
    assert spec["params"][0]["name"] == "cel"
    assert spec["params"][0]["select"]["fields"] == ["stage_id", "week"]
    assert spec["title"]["subtitle"].startswith("3 stages, 7 momenten")


def test_trend_chart_leaves_out_weeks_with_too_few_aios_weeks(fixture_db):
    trend = load_feedback_trend(fixture_db, viewer_for(fixture_db, "admin"), today=TODAY, opleiding_id=1)
    values = _values(feedback_trend_chart(trend, min_aios_weeks=2).to_dict())
    assert {(v["cohort"], v["week"]) for v in values if v["cohort"] == "MG 2025"} == {("MG 2025", w) for w in range(1, 6)}


def test_calibration_chart_and_table_show_the_chosen_rater_with_interval(fixture_db):
    frame = load_rater_calibration(fixture_db, viewer_for(fixture_db, "admin"), rubric_id=1, moment=Moment.EIND, min_n=5)
    spec = calibration_chart(frame, "Bram Begeleider").to_dict()
    assert spec["title"]["subtitle"] == "Bram Begeleider (ruit, met 95%-interval) tegen 1 andere beoordelaar (grijs)"
    chosen = [v for v in _values(spec) if v.get("wie") == "Bram Begeleider"]
    assert {v["criterium"] for v in chosen} == {"1. Medische kennis", "2. Communicatie"}
    table = calibration_table(frame)
    assert table.iloc[0].to_dict() == {
        "Beoordelaar": "Bea Begeleider", "Criterium": "1. Medische kennis", "n": 1, "Gemiddeld": "2,00",
        "Anderen (n)": "3,25 (4)", "Verschil": "-1,25", "95%-interval": "-1,74 tot -0,76",
        "Oordeel": "te weinig scores voor een oordeel (n=1, anderen n=4; minimaal 5)",
    }


def test_self_vs_begeleider_chart_names_the_direction_and_pairs(fixture_db):
    frame = load_self_vs_begeleider(fixture_db, viewer_for(fixture_db, "admin"), rubric_id=1, moment=Moment.EIND)
    values = _values(self_vs_begeleider_chart(frame).to_dict())
    assert [(v["criterium"], v["richting"]) for v in values] == [
        ("1. Medische kennis (paren=1)", "gelijk"), ("2. Communicatie (paren=1)", "begeleider hoger")]


def test_on_a_phone_the_self_vs_begeleider_table_shows_the_charts_rows_and_figures(fixture_db):
    frame = load_self_vs_begeleider(fixture_db, viewer_for(fixture_db, "admin"), rubric_id=1, moment=Moment.EIND)
    charted = _values(self_vs_begeleider_chart(frame[frame["pairs"] > 0]).to_dict())
    table = self_vs_begeleider_means_table(frame)
    assert table["Criterium"].tolist() == [v["criterium"].rsplit(" (paren=", 1)[0] for v in charted]
    assert table["Richting"].tolist() == [v["richting"] for v in charted]
    assert table["Verschil (niveaus)"].tolist() == [f"{v['difference']:+.2f}".replace(".", ",") for v in charted]
    assert table["Paren"].tolist() == [v["pairs"] for v in charted]


def test_the_phone_table_shows_no_means_where_data_access_withheld_them(fixture_db):
    frame = load_self_vs_begeleider(fixture_db, viewer_for(fixture_db, "admin"), rubric_id=1, moment=Moment.EIND)
    hidden = frame.assign(mean_zelf=float("nan"), mean_begeleider=float("nan"), difference=float("nan"))
    table = self_vs_begeleider_means_table(hidden)
    assert set(table[["Gemiddeld zelf", "Gemiddeld begeleider", "Verschil (niveaus)", "Richting"]].stack()) == {"—"}


def test_feedback_table_ranks_lowest_first_and_says_too_few_in_words(fixture_db):
    frequency = load_feedback_frequency(fixture_db, viewer_for(fixture_db, "admin"), by="stageplaats", today=TODAY)
    table = feedback_frequency_table(by_lowest_feedback(frequency), "Stageplaats", min_aios_weeks=9)
    assert table[["Stageplaats", "Per aios-week", "Aios-weken (n)"]].values.tolist() == [
        ["GGD Noord", "0,07", 59], ["Arbodienst Zuid", "0,12", 17], ["Praktijk West", "te weinig gegevens", 8]]
