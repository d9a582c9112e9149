"""The role matrix: every role × every query sees exactly what it may (DOMAIN.md)."""

import pytest

from data_access.errors import AccessDenied
from data_access.models import Moment, Role
from data_access.queries.filters import StageSelection, load_filter_options
from data_access.queries.feedback import load_feedback_frequency, load_feedback_per_week
from data_access.queries.progress import load_stage_progress
from data_access.queries.ratings import (
    load_own_ratings,
    load_stageplaats_comments,
    load_stageplaats_rating_trend,
    load_stageplaats_ratings,
)
from data_access.queries.rubrics import load_rater_calibration, load_rubric_distribution
from data_access.viewer import viewer_for
from tests.fixture_data import STAGES, TODAY, USERS

ALL = set(STAGES)
MG = ALL - {4}
# Individual records: whose progress, verslagen and scores a user may open.
INDIVIDUAL = {
    "admin": ALL, "opl1": {1, 2, 5, 7, 8}, "opl2": {4}, "com1": set(),
    "bg1": {1, 2, 6, 7, 8}, "bg2": {3, 5}, "bg3": {4},
    "a1": {1, 5, 8}, "a2": {2, 7}, "a3": {3, 6}, "a4": {4},
}
# Stages that may feed the aggregates a user sees.
AGGREGATE = {**INDIVIDUAL, "opl1": MG, "com1": MG}
# Stageplaatsen whose rating aggregates a user may see.
RATED_SITES = {
    "admin": {1, 2, 3}, "opl1": {1, 2}, "opl2": {3}, "com1": {1, 2},
    "bg1": {1}, "bg2": {2}, "bg3": {3}, "a1": set(), "a2": set(), "a3": set(), "a4": set(),
}
OWN_RATED = {"a1": {5, 8}, "a2": {2, 7}, "a3": {6}, "a4": set()}
R1_EIND_BEGELEIDER = {2: "Bram Begeleider", 5: "Bea Begeleider", 6: "Bram Begeleider",
                      7: "Bram Begeleider", 8: "Bram Begeleider"}
USERNAMES = sorted(USERS)


def _sites_of(stages):
    return {STAGES[s][1] for s in stages}


@pytest.mark.parametrize("username", USERNAMES)
def test_progress_is_scoped(fixture_db, username):
    frame = load_stage_progress(
        fixture_db, viewer_for(fixture_db, username), StageSelection(TODAY, running_only=False)
    )
    assert set(frame["stage_id"]) == INDIVIDUAL[username]


@pytest.mark.parametrize("username", USERNAMES)
def test_feedback_per_week_is_scoped(fixture_db, username):
    frame = load_feedback_per_week(
        fixture_db, viewer_for(fixture_db, username), StageSelection(TODAY, running_only=False)
    )
    assert set(frame["stage_id"]) == INDIVIDUAL[username] & {1, 3, 4}


@pytest.mark.parametrize("username", USERNAMES)
def test_feedback_frequency_is_scoped(fixture_db, username):
    viewer = viewer_for(fixture_db, username)
    # Threshold 1 makes every disclosure cell count: this tests the scope alone (the rule of
    # whole groups has its own tests in test_disclosure.py).
    by_site = load_feedback_frequency(fixture_db, viewer, by="stageplaats", today=TODAY, threshold=1)
    assert set(by_site["group_id"]) == _sites_of(AGGREGATE[username])
    assert by_site["stages"].sum() == len(AGGREGATE[username])


@pytest.mark.parametrize("username", USERNAMES)
def test_rubric_distribution_is_scoped(fixture_db, username):
    frame = load_rubric_distribution(
        fixture_db, viewer_for(fixture_db, username), rubric_id=1, moment=Moment.EIND, threshold=1
    )
    expected_n = len(AGGREGATE[username] & set(R1_EIND_BEGELEIDER))
    assert set(frame["n"]) == {expected_n}


# A rater's own row counts only aios the viewer sees one by one: a begeleider sees only "U"
# (the other raters are among "the others"), the committee no rater at all.
CALIBRATION_AS_BEGELEIDER = {"bg1": {"U"}, "bg2": {"U"}, "bg3": set()}


@pytest.mark.parametrize("username", USERNAMES)
def test_rater_calibration_is_scoped(fixture_db, username):
    viewer = viewer_for(fixture_db, username)
    frame = load_rater_calibration(fixture_db, viewer, rubric_id=1, moment=Moment.EIND, min_n=1, threshold=1)
    if username in CALIBRATION_AS_BEGELEIDER:
        assert set(frame["rater"]) == CALIBRATION_AS_BEGELEIDER[username]
        assert frame.loc[~frame["is_self"], "rater_id"].isna().all()
    else:
        expected = {R1_EIND_BEGELEIDER[s] for s in INDIVIDUAL[username] & set(R1_EIND_BEGELEIDER)}
        assert set(frame["rater"]) == expected


@pytest.mark.parametrize("username", USERNAMES)
def test_rating_aggregates_are_scoped(fixture_db, username):
    viewer = viewer_for(fixture_db, username)
    ratings = load_stageplaats_ratings(fixture_db, viewer, threshold=3)
    assert set(ratings["stageplaats_id"]) == RATED_SITES[username]
    trend = load_stageplaats_rating_trend(fixture_db, viewer, threshold=3)
    assert set(trend["stageplaats_id"]) == RATED_SITES[username] & {1, 2}
    comments = load_stageplaats_comments(fixture_db, viewer, stageplaats_id=1, threshold=3)
    assert bool(comments) == (1 in RATED_SITES[username])


@pytest.mark.parametrize("username", USERNAMES)
def test_own_ratings_are_only_ones_own(fixture_db, username):
    own = load_own_ratings(fixture_db, viewer_for(fixture_db, username))
    assert set(own["stage_id"]) == OWN_RATED.get(username, set())


def test_viewer_needs_a_role_the_user_has(fixture_db):
    assert viewer_for(fixture_db, "bg1").role is Role.STAGEBEGELEIDER
    with pytest.raises(AccessDenied):
        viewer_for(fixture_db, "bg1", Role.BEHEERDER)
    with pytest.raises(AccessDenied):
        viewer_for(fixture_db, "niemand")


@pytest.mark.parametrize(("username", "cohorts"), [
    ("admin", {"MG 2024", "MG 2025", "HAG 2025"}), ("opl1", {"MG 2024", "MG 2025"}),
    ("opl2", {"HAG 2025"}), ("com1", {"MG 2024", "MG 2025"}), ("bg3", {"HAG 2025"}),
    ("a3", {"MG 2024", "MG 2025"}),
])
def test_filter_options_are_the_viewers_programmes(fixture_db, username, cohorts):
    assert set(load_filter_options(fixture_db, viewer_for(fixture_db, username))["cohort"]) == cohorts


@pytest.mark.parametrize("username", USERNAMES)
def test_instrument_item_scores_are_only_of_ones_own_rating(fresh_db, username):
    """The leerklimaat item scores of rating 2 (a2's, stage 2) come back only to a2."""
    from sqlalchemy.orm import Session

    from data_access.models import InstrumentItem, RatingItemScore
    from data_access.queries.ratings import load_instrument_items

    with Session(fresh_db) as s, s.begin():
        s.add(InstrumentItem(id=1, instrument="D-RECT", number=1, subscale="Feedback", text="Ik krijg feedback."))
        s.flush()
        s.add(RatingItemScore(rating_id=2, item_id=1, score=2))
    items = load_instrument_items(fresh_db, viewer_for(fresh_db, username), rating_id=2)
    assert list(items["number"]) == [1]  # the questions are for everyone
    assert list(items["answered"]) == [username == "a2"]


@pytest.mark.parametrize("username", USERNAMES)
def test_the_feedback_breakdown_is_scoped_and_counts_hidden_aios_only_in_whole_groups(fixture_db, username):
    from data_access.queries.feedback import load_feedback_breakdown

    frame = load_feedback_breakdown(fixture_db, viewer_for(fixture_db, username), today=TODAY, stageplaats_id=1,
                                    threshold=3)
    # Site 1's moments are all of stage 1 (a1), alone in its cell (site 1, started in 2026):
    # they count only for a viewer who sees stage 1 one by one.
    assert (not frame.empty) == (1 in INDIVIDUAL[username])
