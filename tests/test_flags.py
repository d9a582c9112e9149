"""Flags explain themselves, with exact numbers from the fixture (TODAY = 2026-03-02)."""

from data_access.flags import add_flags, count_flags, due_next, select_flagged
from data_access.queries.filters import StageSelection
from data_access.queries.progress import load_stage_progress
from data_access.settings import FlagThresholds
from data_access.viewer import viewer_for
from tests.fixture_data import TODAY


def _flagged(engine, limits=FlagThresholds()):
    progress = load_stage_progress(engine, viewer_for(engine, "admin"), StageSelection(TODAY))
    return add_flags(progress, TODAY, limits).set_index("stage_id")


def test_flags_of_a_stage_that_is_behind_say_why(fixture_db):
    flags = _flagged(fixture_db).loc[1, "flags"]
    assert flags == {
        "gesprek": "geen gesprek sinds 20 dagen (verwacht: wekelijks)",
        "feedback": "geen feedback in 21 dagen",
        "evaluatiegesprek": "evaluatiegesprek 4 dagen over tijd",
        "begeleidingsgesprekken": "begeleidingsgesprekken achter: 4 van verwacht 7",
        "kpb": "KPB's achter: 2 van verwacht 3",
    }


def test_unapproved_stageplan_is_the_only_flag_of_an_on_schedule_stage(fixture_db):
    assert _flagged(fixture_db).loc[3, "flags"] == {"stageplan": "stageplan niet goedgekeurd na week 1"}


def test_thresholds_come_from_settings(fixture_db):
    lenient = FlagThresholds(days_without_gesprek=30, days_without_feedback=30)
    flags = _flagged(fixture_db, lenient).loc[1, "flags"]
    assert "gesprek" not in flags and "feedback" not in flags


def test_counts_per_flag_kind(fixture_db):
    counts = count_flags(_flagged(fixture_db).reset_index())
    assert counts == {
        "gesprek": 2, "feedback": 2, "startgesprek": 0, "evaluatiegesprek": 2,
        "begeleidingsgesprekken": 2, "kpb": 2, "stageplan": 1, "stageverslag": 0,
    }


def test_ended_stages_carry_no_flags(fixture_db):
    progress = load_stage_progress(
        fixture_db, viewer_for(fixture_db, "admin"), StageSelection(TODAY, running_only=False)
    )
    flagged = add_flags(progress, TODAY, FlagThresholds()).set_index("stage_id")
    assert flagged.loc[2, "flags"] == {} and flagged.loc[2, "flag_count"] == 0


def test_one_missed_weekly_gesprek_is_tolerated_by_default(fixture_db):
    strict = _flagged(fixture_db, FlagThresholds(begeleidingsgesprekken_tolerance=3)).loc[1, "flags"]
    assert "begeleidingsgesprekken" not in strict  # 4 of 7 is 3 behind: not more than 3
    assert "begeleidingsgesprekken" in _flagged(fixture_db).loc[1, "flags"]


def test_what_is_due_next(fixture_db):
    progress = load_stage_progress(fixture_db, viewer_for(fixture_db, "admin"), StageSelection(TODAY))
    rows = progress.set_index("stage_id")
    # Stage 1: evaluatie is overdue (a flag), so next is the stageverslag on 29-03.
    assert due_next(rows.loc[1], TODAY) == "stageverslag inleveren over 27 dagen (29-03-2026)"
    # Stage 3 (2026-02-02 to 2026-05-03): evaluatie due at the midpoint 19-03 plus a week.
    assert due_next(rows.loc[3], TODAY) == "evaluatiegesprek verwacht over 24 dagen (26-03-2026)"


def test_select_flagged_filters_on_every_chosen_kind_most_flags_first(fixture_db):
    flagged = _flagged(fixture_db).reset_index()
    assert list(select_flagged(flagged)["stage_id"]) == [1, 4, 3]
    assert list(select_flagged(flagged, ("stageplan",))["stage_id"]) == [3]
    assert list(select_flagged(flagged, ("kpb", "feedback"))["stage_id"]) == [1, 4]


def test_lowest_feedback_ranks_only_sites_with_enough_aios_weeks(fixture_db):
    from data_access.flags import lowest_feedback
    from data_access.queries.feedback import load_feedback_frequency

    frequency = load_feedback_frequency(fixture_db, viewer_for(fixture_db, "admin"), by="stageplaats", today=TODAY)
    # S1: 4 moments in 416/7 aios-weeks; S2: 2 in 118/7; S3: 1 in 8.
    lowest = lowest_feedback(frequency, min_aios_weeks=8)
    assert lowest["name"].tolist() == ["GGD Noord", "Arbodienst Zuid", "Praktijk West"]  # 0.067, 0.119, 0.125
    assert lowest["reason"].tolist()[0] == "0,07 feedbackmomenten per aios-week (n=59 aios-weken)"
    assert lowest_feedback(frequency, min_aios_weeks=9)["name"].tolist() == ["GGD Noord", "Arbodienst Zuid"]


def test_select_flagged_of_no_stages_is_an_empty_table_with_its_columns(fixture_db):
    """A begeleider with no running stage in the selection (found by benchmarks/load.py: the
    Feedback page raised KeyError 'flag_count')."""
    bg1 = viewer_for(fixture_db, "bg1")
    nothing = StageSelection(today=TODAY, opleiding_id=2)  # bg1 has no stage in programme 2
    flagged = add_flags(load_stage_progress(fixture_db, bg1, nothing), TODAY, FlagThresholds())
    chosen = select_flagged(flagged, ("feedback",))
    assert (len(chosen), list(chosen.columns)) == (0, list(flagged.columns))
