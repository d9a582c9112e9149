"""Feedback frequency per week of stage and per aios-week, exact on the fixture."""

import pytest

from data_access.queries.filters import StageSelection
from data_access.queries.feedback import load_feedback_frequency, load_feedback_per_week
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
