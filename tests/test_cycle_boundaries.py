"""The boundary days of the stage cycle and of the flags, on the hand-made fixture.

Stage 1 (a1 at S1): 2026-01-05 (Monday) to 2026-04-05 (Sunday, its last day), 90 days apart,
midpoint 2026-02-19; held: kennismaking, startgesprek 06-01, begeleidingsgesprekken, no
evaluatiegesprek or eindgesprek. Stage 4 (a4 at S3) starts 2026-01-05 with its first gesprek
and feedback on 2026-01-07.
"""

import datetime as dt

import pytest

from data_access.cycle import ONTBREEKT, OP_TIJD, VERWACHT, match_slots, next_gesprek_type
from data_access.flags import add_flags
from data_access.models import GesprekType
from data_access.queries.filters import StageSelection
from data_access.queries.progress import load_stage_progress
from data_access.settings import FlagThresholds
from data_access.viewer import viewer_for

D = dt.date
START, MIDPOINT, LAST_DAY = D(2026, 1, 5), D(2026, 2, 19), D(2026, 4, 5)
EIND, EVALUATIE = GesprekType.EINDGESPREK, GesprekType.EVALUATIEGESPREK


def _row(engine, stage_id: int, today: dt.date):
    progress = load_stage_progress(engine, viewer_for(engine, "admin"), StageSelection(today))
    return progress.set_index("stage_id").loc[stage_id]


def _flags(engine, stage_id: int, today: dt.date, limits: FlagThresholds = FlagThresholds()) -> dict[str, str]:
    progress = load_stage_progress(engine, viewer_for(engine, "admin"), StageSelection(today))
    return add_flags(progress, today, limits).set_index("stage_id").loc[stage_id, "flags"]


@pytest.mark.parametrize(("today", "expected"), [
    (LAST_DAY - dt.timedelta(days=1), 0),
    (LAST_DAY, 1),  # the last day of the stage: the eindgesprek is due today, so it is expected
])
def test_the_eindgesprek_is_expected_from_the_last_day_of_the_stage(fixture_db, today, expected):
    row = _row(fixture_db, 1, today)
    assert (row["expected_eindgesprek"], row["week"], row["weeks_total"]) == (expected, 13, 13)


def test_an_eindgesprek_on_the_last_day_is_on_time_and_missing_only_after_it():
    def eind(held, today):
        return [r[1:] for r in match_slots(START, LAST_DAY, held, today) if r[0] is EIND]

    assert eind([(EIND, LAST_DAY)], LAST_DAY) == [(LAST_DAY, LAST_DAY, OP_TIJD)]
    assert eind([], LAST_DAY) == [(LAST_DAY, None, VERWACHT)]
    assert eind([], LAST_DAY + dt.timedelta(days=1)) == [(LAST_DAY, None, ONTBREEKT)]


@pytest.mark.parametrize(("today", "offered"), [
    (MIDPOINT - dt.timedelta(days=1), GesprekType.BEGELEIDINGSGESPREK),
    (MIDPOINT, EVALUATIE),
])
def test_the_evaluatiegesprek_is_offered_from_the_midpoint_day_on(fixture_db, today, offered):
    assert next_gesprek_type(_row(fixture_db, 1, today), today) is offered


@pytest.mark.parametrize(("today", "expected", "flag"), [
    (D(2026, 2, 25), 0, None),  # midpoint + 6
    (D(2026, 2, 26), 1, None),  # midpoint + a week: due today, expected, not late yet
    (D(2026, 2, 27), 1, "evaluatiegesprek 1 dag over tijd"),
])
def test_the_evaluatiegesprek_is_expected_a_week_after_the_midpoint_and_late_the_day_after(fixture_db, today, expected, flag):
    assert _row(fixture_db, 1, today)["expected_evaluatiegesprek"] == expected
    assert _flags(fixture_db, 1, today).get("evaluatiegesprek") == flag


@pytest.mark.parametrize(("limit", "flag"), [
    (20, "geen gesprek sinds 20 dagen (verwacht: wekelijks)"),  # exactly the limit: flagged
    (21, None),
])
def test_days_without_gesprek_flags_from_exactly_the_limit(fixture_db, limit, flag):
    """On 2026-03-02 stage 1's last gesprek (10-02) was 20 days ago."""
    flags = _flags(fixture_db, 1, D(2026, 3, 2), FlagThresholds(days_without_gesprek=limit))
    assert flags.get("gesprek") == flag


@pytest.mark.parametrize(("limit", "flag"), [
    (21, "geen feedback in 21 dagen"),
    (22, None),
])
def test_days_without_feedback_flags_from_exactly_the_limit(fixture_db, limit, flag):
    """On 2026-03-02 stage 1's last feedback moment (09-02) was 21 days ago."""
    flags = _flags(fixture_db, 1, D(2026, 3, 2), FlagThresholds(days_without_feedback=limit))
    assert flags.get("feedback") == flag


@pytest.mark.parametrize(("limit", "gesprek", "feedback"), [
    (1, "nog geen gesprek na 1 dag stage (verwacht: wekelijks)", "nog geen feedback na 1 dag stage"),
    (2, None, None),
])
def test_no_gesprek_or_feedback_yet_flags_from_exactly_the_limit(fixture_db, limit, gesprek, feedback):
    """On 2026-01-06 stage 4 has run 1 day, its first gesprek and feedback come on 07-01."""
    flags = _flags(fixture_db, 4, D(2026, 1, 6), FlagThresholds(days_without_gesprek=limit, days_without_feedback=limit))
    assert (flags.get("gesprek"), flags.get("feedback")) == (gesprek, feedback)
