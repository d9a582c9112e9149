"""Stageplaats ratings: aggregates only, and nothing below the anonymity threshold."""

import math

import pytest

from data_access.queries.ratings import (
    load_own_ratings,
    load_stageplaats_comments,
    load_stageplaats_rating_trend,
    load_stageplaats_ratings,
)
from data_access.viewer import viewer_for


def test_means_from_the_threshold_and_nothing_below(fixture_db):
    frame = load_stageplaats_ratings(fixture_db, viewer_for(fixture_db, "admin"), threshold=3)
    frame = frame.set_index("stageplaats_id")
    assert list(frame["n"]) == [4, 1, 0] or dict(frame["n"]) == {1: 4, 2: 1, 3: 0}
    assert (frame.loc[1, "leermogelijkheden"], frame.loc[1, "leerklimaat"]) == (3.5, 3.5)
    assert frame.loc[1, "begeleiding"] == pytest.approx(2.75)
    assert bool(frame.loc[1, "enough"]) is True
    for site in (2, 3):
        assert not frame.loc[site, "enough"]
        assert all(math.isnan(frame.loc[site, d]) or frame.loc[site, d] is None
                   for d in ("leermogelijkheden", "leerklimaat", "begeleiding"))


def test_threshold_is_a_setting_not_a_constant(fixture_db):
    frame = load_stageplaats_ratings(fixture_db, viewer_for(fixture_db, "admin"), threshold=5)
    assert frame.set_index("stageplaats_id")[["leermogelijkheden"]].isna().all().all()


def test_year_filter_counts_only_that_year(fixture_db):
    frame = load_stageplaats_ratings(
        fixture_db, viewer_for(fixture_db, "admin"), threshold=3, year=2025
    ).set_index("stageplaats_id")
    assert frame.loc[1, "n"] == 3
    assert frame.loc[1, "leermogelijkheden"] == pytest.approx(4.0)
    assert frame.loc[1, "leerklimaat"] == pytest.approx(11 / 3)
    assert frame.loc[2, "n"] == 1 and math.isnan(frame.loc[2, "leerklimaat"])


def test_trend_suppresses_a_year_with_too_few_ratings(fixture_db):
    frame = load_stageplaats_rating_trend(fixture_db, viewer_for(fixture_db, "admin"), threshold=3)
    rows = {(r.stageplaats_id, r.year): r for r in frame.itertuples()}
    assert set(rows) == {(1, 2024), (1, 2025), (2, 2025)}
    assert rows[(1, 2024)].n == 1 and math.isnan(rows[(1, 2024)].begeleiding)
    assert rows[(1, 2025)].n == 3 and rows[(1, 2025)].begeleiding == pytest.approx(3.0)
    assert math.isnan(rows[(2, 2025)].leermogelijkheden)


def test_comments_only_at_threshold_without_submission_order(fixture_db):
    viewer = viewer_for(fixture_db, "admin")
    assert load_stageplaats_comments(fixture_db, viewer, stageplaats_id=1, threshold=3) == [
        "Druk maar leerzaam.", "Veel geleerd.", "Weinig tijd."
    ]
    assert load_stageplaats_comments(fixture_db, viewer, stageplaats_id=2, threshold=3) == []
    assert load_stageplaats_comments(fixture_db, viewer, stageplaats_id=1, threshold=5) == []


def test_aios_sees_own_ratings_only(fixture_db):
    own = load_own_ratings(fixture_db, viewer_for(fixture_db, "a1"))
    assert list(own["stage_id"]) == [8, 5]
    assert list(own["leermogelijkheden"]) == [2, 4]
