"""Rubric distributions and rater aggregates: exact counts, moments and versions never pooled."""

import pytest

from data_access.models import Moment, RaterKind
from data_access.queries.rubrics import load_rater_scores, load_rubric_distribution
from data_access.viewer import viewer_for


def _counts(frame, criterion_id):
    rows = frame[frame["criterion_id"] == criterion_id]
    return dict(zip(rows["score"], rows["count"], strict=True))


def test_summative_distribution_counts_every_level_with_n(fixture_db):
    frame = load_rubric_distribution(
        fixture_db, viewer_for(fixture_db, "admin"), rubric_id=1, moment=Moment.EIND
    )
    assert _counts(frame, 1) == {1: 0, 2: 1, 3: 3, 4: 1}
    assert _counts(frame, 2) == {1: 0, 2: 1, 3: 2, 4: 2}
    assert set(frame["n"]) == {5}
    assert set(frame["moment"]) == {"eind"}
    assert set(frame["version"]) == {1}
    assert list(frame["label"][:4]) == ["onvoldoende", "voldoende", "goed", "excellent"]
    first = frame[(frame["criterion_id"] == 1) & (frame["score"] == 3)].iloc[0]
    assert first["share"] == pytest.approx(0.6)
    assert first["canmeds_role"] == "Medisch deskundige"


def test_formative_scores_are_a_separate_distribution(fixture_db):
    viewer = viewer_for(fixture_db, "admin")
    formative = load_rubric_distribution(fixture_db, viewer, rubric_id=1, moment=Moment.TUSSENTIJDS)
    assert _counts(formative, 1) == {1: 0, 2: 1, 3: 0, 4: 0}
    assert set(formative["n"]) == {1}


def test_self_assessment_is_its_own_rater_kind(fixture_db):
    viewer = viewer_for(fixture_db, "admin")
    zelf = load_rubric_distribution(
        fixture_db, viewer, rubric_id=1, moment=Moment.EIND, rater_kind=RaterKind.ZELF
    )
    assert _counts(zelf, 1) == {1: 0, 2: 0, 3: 1, 4: 0}


def test_rubric_version_two_has_its_own_criteria_and_counts(fixture_db):
    frame = load_rubric_distribution(
        fixture_db, viewer_for(fixture_db, "admin"), rubric_id=2, moment=Moment.TUSSENTIJDS
    )
    assert sorted(frame["criterion_id"].unique()) == [3, 4, 5]
    assert set(frame["version"]) == {2}
    assert _counts(frame, 3) == {1: 0, 2: 1, 3: 0, 4: 1}
    assert _counts(frame, 5) == {1: 0, 2: 0, 3: 2, 4: 0}


def test_distribution_filters_by_stageplaats_and_cohort(fixture_db):
    viewer = viewer_for(fixture_db, "admin")
    by_site = load_rubric_distribution(
        fixture_db, viewer, rubric_id=1, moment=Moment.EIND, stageplaats_ids=(2,)
    )
    assert _counts(by_site, 1) == {1: 0, 2: 1, 3: 0, 4: 0}
    by_cohort = load_rubric_distribution(
        fixture_db, viewer, rubric_id=1, moment=Moment.EIND, cohort_ids=(2,)
    )
    assert _counts(by_cohort, 1) == {1: 0, 2: 0, 3: 0, 4: 1}


def test_begeleider_distribution_covers_only_own_stages(fixture_db):
    frame = load_rubric_distribution(
        fixture_db, viewer_for(fixture_db, "bg1"), rubric_id=1, moment=Moment.EIND
    )
    assert _counts(frame, 1) == {1: 0, 2: 0, 3: 3, 4: 1}


def test_rater_scores_against_the_other_raters(fixture_db):
    frame = load_rater_scores(
        fixture_db, viewer_for(fixture_db, "admin"), rubric_id=1, moment=Moment.EIND
    )
    rows = {(r.rater, r.criterion_id): r for r in frame.itertuples()}
    assert set(rows) == {("Bram Begeleider", 1), ("Bram Begeleider", 2), ("Bea Begeleider", 1), ("Bea Begeleider", 2)}
    bram = rows[("Bram Begeleider", 1)]
    assert (bram.n, bram.mean, bram.others_n, bram.others_mean) == (4, 3.25, 1, 2.0)
    bea = rows[("Bea Begeleider", 2)]
    assert (bea.n, bea.mean, bea.others_n, bea.others_mean) == (1, 3.0, 4, 3.25)
