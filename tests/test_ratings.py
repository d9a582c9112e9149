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


def test_year_filter_counts_only_that_year_and_never_gives_away_the_other_years(fixture_db):
    """Site 1 has 4 ratings: 1 in 2024 and 3 in 2025. Showing the 2025 mean beside the
    all-years mean would give away the single 2024 rating (4 × all − 3 × 2025), so 2025 shows
    its n only."""
    frame = load_stageplaats_ratings(
        fixture_db, viewer_for(fixture_db, "admin"), threshold=3, year=2025
    ).set_index("stageplaats_id")
    assert frame.loc[1, "n"] == 3 and not frame.loc[1, "enough"]
    assert frame.loc[1, ["leermogelijkheden", "leerklimaat", "begeleiding_low"]].isna().all()
    assert frame.loc[2, "n"] == 1 and math.isnan(frame.loc[2, "leerklimaat"])
    # With all ratings of the site in that year nothing is hidden, so the year may show.
    lenient = load_stageplaats_ratings(fixture_db, viewer_for(fixture_db, "admin"), threshold=1, year=2025)
    assert lenient.set_index("stageplaats_id").loc[1, "leerklimaat"] == pytest.approx(11 / 3)


def test_trend_suppresses_a_year_with_too_few_ratings_and_its_complement(fixture_db):
    frame = load_stageplaats_rating_trend(fixture_db, viewer_for(fixture_db, "admin"), threshold=3)
    rows = {(r.stageplaats_id, r.year): r for r in frame.itertuples()}
    assert set(rows) == {(1, 2024), (1, 2025), (2, 2025)}
    assert rows[(1, 2024)].n == 1 and math.isnan(rows[(1, 2024)].begeleiding)
    assert rows[(1, 2025)].n == 3 and math.isnan(rows[(1, 2025)].begeleiding)  # would give 2024 away
    assert math.isnan(rows[(2, 2025)].leermogelijkheden)
    shown = load_stageplaats_rating_trend(fixture_db, viewer_for(fixture_db, "admin"), threshold=1)
    assert shown.set_index(["stageplaats_id", "year"]).loc[(1, 2025), "begeleiding"] == pytest.approx(3.0)


@pytest.mark.parametrize(("counts", "allowed"), [
    ({2023: 5, 2024: 4, 2025: 3}, {2023, 2024, 2025}),   # nothing hidden
    ({2023: 5, 2024: 4, 2025: 1}, {2023}),               # 1 hidden → also hide the smallest shown (4)
    ({2023: 5, 2024: 2, 2025: 1}, {2023}),               # 3 hidden together: enough
    ({2024: 3, 2025: 2}, set()),                         # 2 hidden → hide 2024 too
    ({2025: 3}, {2025}),
])
def test_shown_years_never_leave_fewer_than_the_threshold_hidden(counts, allowed):
    import pandas as pd

    from data_access.queries.ratings import shown_years

    frame = pd.DataFrame([(7, y, n) for y, n in counts.items()], columns=["stageplaats_id", "year", "n"])
    assert shown_years(frame, threshold=3) == {(7, y) for y in allowed}


def test_intervals_around_the_mean(fixture_db):
    """Site 1 leermogelijkheden: 2, 4, 5, 3 → mean 3.5, SD √(5/3), half-width 1.96·SD/2."""
    row = load_stageplaats_ratings(fixture_db, viewer_for(fixture_db, "admin"), threshold=3).set_index("stageplaats_id").loc[1]
    half = 1.96 * math.sqrt(5 / 3) / 2
    assert (row["leermogelijkheden_low"], row["leermogelijkheden_high"]) == pytest.approx((3.5 - half, 3.5 + half))


def test_distribution_only_for_sites_at_the_threshold(fixture_db):
    from data_access.queries.ratings import load_rating_distribution

    frame = load_rating_distribution(fixture_db, viewer_for(fixture_db, "admin"), threshold=3)
    assert set(frame["stageplaats_id"]) == {1}
    counts = frame[frame["dimension"] == "leermogelijkheden"].set_index("score")["count"].to_dict()
    assert counts == {1: 0, 2: 1, 3: 1, 4: 1, 5: 1}
    assert load_rating_distribution(fixture_db, viewer_for(fixture_db, "admin"), threshold=5).empty


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
