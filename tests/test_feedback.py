"""Feedback frequency per week of stage and per aios-week, exact on the fixture."""

import datetime as dt

import pytest

from data_access.queries.feedback import (
    load_feedback_frequency,
    load_feedback_moments,
    load_feedback_per_week,
    load_feedback_trend,
    weekly_grid,
)
from data_access.queries.filters import StageSelection
from data_access.queries.progress import load_stage_progress
from data_access.viewer import viewer_for
from tests.fixture_data import TODAY


def test_feedback_per_week_of_stage(fixture_db):
    frame = load_feedback_per_week(
        fixture_db, viewer_for(fixture_db, "admin"), StageSelection(TODAY, running_only=False, stage_ids=(1,))
    )
    rows = [tuple(r) for r in frame[["week", "kind", "moments", "asked_by_aios"]].itertuples(index=False)]
    assert rows == [(1, "KPB", 1, 1), (1, "informeel", 1, 0), (2, "gesprek", 1, 1), (6, "informeel", 1, 1)]
    assert set(frame["aios_name"]) == {"Anna Aios"}


def test_feedback_per_aios_week_by_stageplaats(fixture_db):
    frame = load_feedback_frequency(
        fixture_db, viewer_for(fixture_db, "admin"), by="stageplaats", today=TODAY
    ).set_index("group_id")
    s1 = frame.loc[1]
    # Exposure: stage 1 so far (56 days) plus four ended 90-day stages = 416 days.
    assert s1["stages"] == 5
    assert s1["aios_weeks"] == pytest.approx(416 / 7)
    assert (s1["moments"], s1["KPB"], s1["gesprek"], s1["informeel"]) == (4, 1, 1, 2)
    assert s1["per_aios_week"] == pytest.approx(4 / (416 / 7))
    assert s1["asked_share"] == pytest.approx(0.75)
    s2 = frame.loc[2]
    assert s2["aios_weeks"] == pytest.approx(118 / 7)
    assert (s2["moments"], s2["asked_share"]) == (2, 0.5)
    s3 = frame.loc[3]
    assert (s3["aios_weeks"], s3["moments"], s3["per_aios_week"]) == (8.0, 1, 0.125)


def test_feedback_frequency_by_begeleider(fixture_db):
    frame = load_feedback_frequency(
        fixture_db, viewer_for(fixture_db, "admin"), by="begeleider", today=TODAY
    ).set_index("name")
    assert frame.loc["Bram Begeleider", "moments"] == 4
    assert frame.loc["Bea Begeleider", "aios_weeks"] == pytest.approx(118 / 7)
    assert frame.loc["Bob Begeleider", "per_aios_week"] == pytest.approx(0.125)


def test_feedback_frequency_of_an_aios_covers_own_stages_only(fixture_db):
    frame = load_feedback_frequency(
        fixture_db, viewer_for(fixture_db, "a1"), by="stageplaats", today=TODAY
    ).set_index("group_id")
    assert sorted(frame.index) == [1, 2]
    assert frame.loc[1, "aios_weeks"] == pytest.approx(146 / 7)
    assert frame.loc[2, "moments"] == 0


def test_feedback_per_week_defaults_to_running_stages(fixture_db):
    frame = load_feedback_per_week(fixture_db, viewer_for(fixture_db, "admin"), StageSelection(TODAY))
    assert sorted(frame["stage_id"].unique()) == [1, 3, 4]


def test_heatmap_grid_has_every_week_of_every_stage_with_exact_counts(fixture_db):
    """opl1 follows MG 2024: running stage 1 (week 9). Feedback in weeks 1 (2), 2 (1) and 6 (1)."""
    viewer = viewer_for(fixture_db, "opl1")
    selection = StageSelection(TODAY)
    stages = load_stage_progress(fixture_db, viewer, selection)
    grid = weekly_grid(stages, load_feedback_per_week(fixture_db, viewer, selection))
    assert grid["week"].tolist() == list(range(1, 10))
    assert grid["moments"].tolist() == [2, 1, 0, 0, 0, 1, 0, 0, 0]
    assert grid[["KPB", "gesprek", "informeel", "asked_by_aios"]].sum().tolist() == [1, 1, 2, 3]
    admin = viewer_for(fixture_db, "admin")
    every = weekly_grid(load_stage_progress(fixture_db, admin, selection), load_feedback_per_week(fixture_db, admin, selection))
    assert every.groupby("stage_id")["moments"].apply(list).to_dict() == {
        1: [2, 1, 0, 0, 0, 1, 0, 0, 0], 3: [1, 0, 1, 0, 0], 4: [1, 0, 0, 0, 0, 0, 0, 0, 0]}


def test_feedback_trend_per_cohort_and_week_of_stage(fixture_db):
    trend = load_feedback_trend(fixture_db, viewer_for(fixture_db, "admin"), today=TODAY, opleiding_id=1)
    rows = {(r.cohort, r.week): (r.aios_weeks, r.moments) for r in trend.itertuples()}
    # MG 2024: stage 1 reached week 9, four ended stages week 13; feedback only in stage 1.
    assert [rows[("MG 2024", w)] for w in (1, 2, 6, 9, 10, 13)] == [(5, 2), (5, 1), (5, 1), (5, 0), (4, 0), (4, 0)]
    # MG 2025: stage 3 reached week 5, stage 6 week 13.
    assert [rows[("MG 2025", w)] for w in (1, 3, 5, 6)] == [(2, 1), (2, 1), (2, 0), (1, 0)]
    assert trend[(trend["cohort"] == "MG 2024") & (trend["week"] == 1)]["per_aios_week"].item() == 0.4
    assert ("MG 2024", 14) not in rows


def test_drill_down_lists_the_moments_behind_a_cell_and_a_row(fixture_db):
    admin = viewer_for(fixture_db, "admin")
    cell = load_feedback_moments(fixture_db, admin, today=TODAY, stage_id=1, week=1)
    assert cell[["date", "kind", "asked_by_aios", "giver"]].values.tolist() == [
        [dt.date(2026, 1, 8), "informeel", False, "Bram Begeleider"],
        [dt.date(2026, 1, 6), "KPB", True, "Bram Begeleider"]]
    site = load_feedback_moments(fixture_db, admin, today=TODAY, stageplaats_id=2)
    assert site["date"].tolist() == [dt.date(2026, 2, 17), dt.date(2026, 2, 3)]
    assert "aios_name" not in site.columns
    by_begeleider = load_feedback_moments(fixture_db, admin, today=TODAY, begeleider_id=1)
    assert len(by_begeleider) == 4
    assert len(load_feedback_moments(fixture_db, admin, today=TODAY, stageplaats_id=2, cohort_ids=(1,))) == 0
    assert len(load_feedback_moments(fixture_db, admin, today=TODAY, stageplaats_id=2, cohort_ids=(2,))) == 2


@pytest.mark.parametrize(("username", "cell", "site_1"), [
    ("com1", 0, 0),   # the committee sees no moment (a record of one aios): counts only, see below
    ("bg2", 0, 0),    # stage 1 and site 1 are not bg2's
    ("bg1", 2, 4),
    ("a3", 0, 0),
])
def test_drill_down_is_scoped(fixture_db, username, cell, site_1):
    viewer = viewer_for(fixture_db, username)
    assert len(load_feedback_moments(fixture_db, viewer, today=TODAY, stage_id=1, week=1)) == cell
    assert len(load_feedback_moments(fixture_db, viewer, today=TODAY, stageplaats_id=1)) == site_1


def test_the_drill_down_counts_aios_the_viewer_cannot_see_only_in_whole_groups(fixture_db):
    """Site 1 has 3 aios (a1, a2, a3); its moments are all of stage 1 (a1), alone in its cell
    (site 1, started in 2026)."""
    from data_access.queries.feedback import load_feedback_breakdown

    admin = viewer_for(fixture_db, "admin")
    site_1 = load_feedback_breakdown(fixture_db, admin, today=TODAY, stageplaats_id=1, threshold=3)
    assert site_1.values.tolist() == [
        ["week 1–4", "KPB", 1, 1, 3], ["week 1–4", "gesprek", 1, 1, 3], ["week 1–4", "informeel", 1, 0, 3],
        ["week 5–8", "informeel", 1, 1, 3]]
    assert not {"date", "topic", "giver", "aios_name"} & set(site_1.columns)
    com1 = viewer_for(fixture_db, "com1")
    for threshold in (3, 2):  # at 2, a2 and a3 (site 1, 2025) count: no moments of theirs
        assert load_feedback_breakdown(fixture_db, com1, today=TODAY, stageplaats_id=1, threshold=threshold).empty
    # A begeleider cuts the cells: only aios the viewer sees one by one, none for the committee.
    assert load_feedback_breakdown(fixture_db, com1, today=TODAY, begeleider_id=1, threshold=2).empty
    assert len(load_feedback_breakdown(fixture_db, admin, today=TODAY, begeleider_id=1, threshold=3)) == 4


@pytest.mark.parametrize(("username", "sites"), [
    ("com1", {}),                              # sees no aios one by one; no cell holds 3 aios
    ("opl1", {1: (2, 4), 2: (1, 1)}),          # a1 and a2 one by one; a3 alone in each of its cells
    ("admin", {1: (3, 5), 2: (2, 2), 3: (1, 1)}),  # sees every aios anyway (site 3: the other programme)
])
def test_feedback_figures_count_hidden_aios_only_in_whole_groups(fixture_db, username, sites):
    frame = load_feedback_frequency(fixture_db, viewer_for(fixture_db, username), by="stageplaats", today=TODAY,
                                    threshold=3)
    assert {int(r.group_id): (int(r.aios), int(r.stages)) for r in frame.itertuples()} == sites


def test_the_trend_per_cohort_counts_only_aios_the_viewer_sees_one_by_one(fixture_db):
    """A cohort cuts the disclosure cells: the committee gets no trend, opl1 the trend of the
    aios they follow (MG 2024: a1, a2, five stages)."""
    from dashboard.charts import feedback_trend_chart

    com1 = load_feedback_trend(fixture_db, viewer_for(fixture_db, "com1"), today=TODAY, opleiding_id=1, threshold=3)
    assert com1.empty
    feedback_trend_chart(com1).to_dict()  # an empty trend still draws
    opl1 = load_feedback_trend(fixture_db, viewer_for(fixture_db, "opl1"), today=TODAY, opleiding_id=1, threshold=3)
    rows = {(r.cohort, r.week): r for r in opl1.itertuples()}
    assert set(opl1["cohort"]) == {"MG 2024"}
    assert (rows[("MG 2024", 1)].aios_weeks, rows[("MG 2024", 1)].moments) == (5, 2)
    assert (rows[("MG 2024", 10)].aios_weeks, rows[("MG 2024", 10)].moments) == (4, 0)


