"""Per-aios progress against the stageplan and the cycle, on the hand-made fixture."""

import datetime as dt

import pandas as pd

from data_access.cycle import add_expected_gesprekken, due_dates
from data_access.models import GesprekType
from data_access.queries.filters import StageSelection
from data_access.queries.progress import load_stage_progress
from data_access.viewer import viewer_for
from tests.fixture_data import TODAY


def _row(frame: pd.DataFrame, stage_id: int) -> dict:
    return frame.set_index("stage_id").loc[stage_id].to_dict()


def test_running_stage_progress_has_exact_counts_and_pace(fixture_db):
    frame = load_stage_progress(fixture_db, viewer_for(fixture_db, "admin"), StageSelection(TODAY))
    assert sorted(frame["stage_id"]) == [1, 3, 4]  # running on TODAY only
    row = _row(frame, 1)
    assert row["aios_name"] == "Anna Aios"
    assert row["stageplaats"] == "GGD Noord"
    assert row["cohort"] == "MG 2024"
    assert (row["week"], row["weeks_total"]) == (9, 13)
    # Gesprek 7 corrects gesprek 6 (same meeting): four begeleidingsgesprekken, not five.
    assert row["n_kennismaking"] == 1
    assert row["n_startgesprek"] == 1
    assert row["n_begeleidingsgesprek"] == 4
    assert row["n_evaluatiegesprek"] == 0
    assert row["n_eindgesprek"] == 0
    assert row["expected_startgesprek"] == 1
    assert row["expected_begeleidingsgesprek"] == 7
    assert row["expected_evaluatiegesprek"] == 1  # midpoint 19-02 + 7 days grace < TODAY
    assert row["expected_eindgesprek"] == 0
    assert row["last_gesprek"] == dt.date(2026, 2, 10)
    assert row["days_since_gesprek"] == 20
    assert row["last_feedback"] == dt.date(2026, 2, 9)
    assert row["days_since_feedback"] == 21
    assert (row["kpb_done"], row["kpb_target"], row["expected_kpb"]) == (2, 6, 3)
    assert (row["leerdoelen_behaald"], row["leerdoelen_total"]) == (1, 3)
    assert row["approved_at"] == dt.date(2026, 1, 4)
    assert row["verslag_handed_in"] is None
    assert row["rating_given"] is False or row["rating_given"] == False  # noqa: E712


def test_unapproved_stageplan_and_on_schedule_stage(fixture_db):
    frame = load_stage_progress(fixture_db, viewer_for(fixture_db, "admin"), StageSelection(TODAY))
    row = _row(frame, 3)
    assert row["approved_at"] is None
    assert row["week"] == 5
    assert row["n_begeleidingsgesprek"] == row["expected_begeleidingsgesprek"] == 3
    assert row["expected_evaluatiegesprek"] == 0


def test_all_stages_of_an_aios_with_rating_given(fixture_db):
    frame = load_stage_progress(
        fixture_db, viewer_for(fixture_db, "admin"), StageSelection(TODAY, running_only=False, aios_id=1)
    )
    assert list(frame["stage_id"]) == [8, 5, 1]  # oldest first
    assert list(frame["rating_given"]) == [True, True, False]
    assert _row(frame, 5)["expected_eindgesprek"] == 1


def test_cohort_filter(fixture_db):
    viewer = viewer_for(fixture_db, "admin")
    frame = load_stage_progress(fixture_db, viewer, StageSelection(TODAY, running_only=False, cohort_ids=(2,)))
    assert sorted(frame["stage_id"]) == [3, 6]


def test_cycle_rules_for_a_thirteen_week_stage():
    start, end = dt.date(2026, 1, 5), dt.date(2026, 4, 5)
    dues = due_dates(start, end)
    assert dues[GesprekType.STARTGESPREK] == dt.date(2026, 1, 12)
    assert dues[GesprekType.EVALUATIEGESPREK] == dt.date(2026, 2, 26)
    frame = pd.DataFrame({"start_date": [start] * 4, "end_date": [end] * 4})
    days = [dt.date(2026, 1, 4), dt.date(2026, 1, 12), dt.date(2026, 2, 26), dt.date(2026, 4, 6)]
    rows = [add_expected_gesprekken(frame.iloc[[i]], d).iloc[0] for i, d in enumerate(days)]
    assert [r["week"] for r in rows] == [0, 2, 8, 13]
    assert [r["expected_startgesprek"] for r in rows] == [0, 1, 1, 1]
    assert [r["expected_begeleidingsgesprek"] for r in rows] == [0, 0, 6, 11]
    assert [r["expected_evaluatiegesprek"] for r in rows] == [0, 0, 1, 1]
    assert [r["expected_eindgesprek"] for r in rows] == [0, 0, 0, 1]


def test_latest_levels_keep_formative_and_summative_apart(fixture_db):
    """Mean begeleider score per moment; the aios' self-assessment does not count."""
    frame = load_stage_progress(fixture_db, viewer_for(fixture_db, "admin"), StageSelection(TODAY, running_only=False))
    levels = frame.set_index("stage_id")[["level_tussentijds", "level_eind"]]
    assert levels.loc[2].tolist() == [2.0, 3.5]  # bg1: tussentijds (2, 2), eind (3, 4)
    assert pd.isna(levels.loc[5, "level_tussentijds"]) and levels.loc[5, "level_eind"] == 2.5
    # Stages 1 and 3 are scored on their end date, after TODAY: nothing counts before its date.
    assert levels.loc[[1, 3, 4]].isna().all().all()
