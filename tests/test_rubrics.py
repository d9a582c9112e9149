"""Rubric distributions and rater aggregates: exact counts, moments and versions never pooled."""

import pytest

from data_access.models import Moment, RaterKind
from data_access.queries.rubrics import (
    load_rater_calibration,
    load_rubric_distribution,
    load_self_vs_begeleider,
)
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


def test_rater_means_against_the_other_raters(fixture_db):
    frame = load_rater_calibration(
        fixture_db, viewer_for(fixture_db, "admin"), rubric_id=1, moment=Moment.EIND, min_n=1
    )
    rows = {(r.rater, r.criterion_id): r for r in frame.itertuples()}
    assert set(rows) == {("Bram Begeleider", 1), ("Bram Begeleider", 2), ("Bea Begeleider", 1), ("Bea Begeleider", 2)}
    bram = rows[("Bram Begeleider", 1)]
    assert (bram.n, bram.mean, bram.others_n, bram.others_mean) == (4, 3.25, 1, 2.0)
    bea = rows[("Bea Begeleider", 2)]
    assert (bea.n, bea.mean, bea.others_n, bea.others_mean) == (1, 3.0, 4, 3.25)
    # Bram on criterion 1: scores 3, 4, 3, 3 (variance 0.25) against Bea's single 2.
    assert bram.difference == 1.25
    assert (round(bram.low, 4), round(bram.high, 4)) == (round(1.25 - 1.96 * 0.25, 4), round(1.25 + 1.96 * 0.25, 4))


def test_self_assessment_beside_the_begeleider_for_the_same_moment(fixture_db):
    """R1 eind: only stage 2 has both (zelf 3, 3; begeleider 3, 4)."""
    frame = load_self_vs_begeleider(fixture_db, viewer_for(fixture_db, "admin"), rubric_id=1, moment=Moment.EIND)
    assert frame[["criterion", "pairs", "mean_zelf", "mean_begeleider", "difference"]].values.tolist() == [
        ["Medische kennis", 1, 3.0, 3.0, 0.0], ["Communicatie", 1, 3.0, 4.0, 1.0]]
    formative = load_self_vs_begeleider(fixture_db, viewer_for(fixture_db, "admin"), rubric_id=2, moment=Moment.TUSSENTIJDS)
    assert formative["pairs"].tolist() == [1, 1, 1]  # stage 1; stage 3 has no self-assessment
    assert formative["difference"].tolist() == [-1.0, 0.0, -1.0]


def _one_level_apart(engine, per_rater: int) -> None:
    """A fresh rubric (MG, version 3, one criterion): bg1 scores 3 every time, bg2 scores 2."""
    from sqlalchemy.orm import Session

    from data_access import models as m
    from tests.fixture_data import D, uid

    with Session(engine) as s, s.begin():
        s.add(m.Rubric(id=3, opleiding_id=1, name="Kalibratie", version=3, valid_from=D(2025, 1, 1)))
        s.flush()
        s.add_all([m.RubricLevel(rubric_id=3, score=k, label=str(k)) for k in (1, 2, 3, 4)])
        s.add(m.RubricCriterion(id=9, rubric_id=3, position=1, name="Verslaglegging",
                                canmeds_role=m.CanMedsRole.COMMUNICATOR))
        s.flush()
        for i in range(per_rater):
            for rater, stage, score in (("bg1", 2, 3), ("bg2", 5, 2)):
                b = m.Beoordeling(stage_id=stage, rubric_id=3, moment=Moment.EIND, rater_kind=RaterKind.BEGELEIDER,
                                  rater_id=uid(rater), date=D(2025, 11, 1 + i))
                s.add(b)
                s.flush()
                s.add(m.RubricScore(beoordeling_id=b.id, criterion_id=9, score=score))


@pytest.mark.parametrize(("per_rater", "verdicts"), [
    (5, {"Bram Begeleider": "mild", "Bea Begeleider": "streng"}),  # n = 5 reaches the threshold
    (4, {"Bram Begeleider": "", "Bea Begeleider": ""}),            # n = 4 does not
])
def test_a_rater_one_level_above_the_others_is_flagged_only_from_the_threshold(fresh_db, per_rater, verdicts):
    _one_level_apart(fresh_db, per_rater)
    frame = load_rater_calibration(fresh_db, viewer_for(fresh_db, "opl1"), rubric_id=3, moment=Moment.EIND, min_n=5)
    assert dict(zip(frame["rater"], frame["verdict"], strict=True)) == verdicts
    bram = frame.set_index("rater").loc["Bram Begeleider"]
    assert (bram["difference"], bram["low"], bram["high"]) == (1.0, 1.0, 1.0)
    if per_rater == 5:
        assert bram["reason"] == "mild: gemiddeld 1,0 niveau hoger dan de andere beoordelaars (n=5, anderen n=5)"
    else:
        assert bram["reason"] == "te weinig scores voor een oordeel (n=4, anderen n=4; minimaal 5)"
    # bg2 sees their own scores; bg1's are one aios (stage 2) bg2 cannot see one by one: no
    # row of their own, and not among "the others" either (a cell of one aios counts nobody).
    as_bg2 = load_rater_calibration(fresh_db, viewer_for(fresh_db, "bg2"), rubric_id=3, moment=Moment.EIND, min_n=5)
    assert as_bg2[["rater", "n", "others_n"]].values.tolist() == [["U", per_rater, 0]]


# R1 eind by begeleiders (a beoordeling is dated at its stage's end): cells programme × site × year
#   S1 2024: stage 8 (a1) · S1 2025: stages 2, 7 (a2) and 6 (a3) · S2 2025: stage 5 (a1)
@pytest.mark.parametrize(("username", "sites", "threshold", "aios", "counts"), [
    ("com1", None, 3, 0, {}),                          # no cell holds 3 aios: nobody counts
    ("com1", None, 2, 2, {(1, 3): 2, (1, 4): 1,        # S1 2025 holds a whole group of 2 (a2, a3);
                          (2, 3): 1, (2, 4): 2}),      # a1's two cells hold one aios each
    ("com1", (2,), 2, 0, {}),                          # site 2: a1 alone
    ("opl1", None, 3, 2, {(1, 2): 1, (1, 3): 3,        # sees a1 and a2 one by one (stages 2, 5, 7, 8);
                          (2, 2): 1, (2, 3): 2, (2, 4): 1}),  # a3 alone in the rest of S1 2025
    ("admin", (2,), 3, 1, {(1, 2): 1, (2, 3): 1}),     # sees every aios anyway
])
def test_a_distribution_counts_aios_the_viewer_cannot_see_only_in_whole_groups_per_cell(
        fixture_db, username, sites, threshold, aios, counts):
    from data_access.models import Moment
    from data_access.queries.rubrics import load_rubric_distribution

    frame = load_rubric_distribution(fixture_db, viewer_for(fixture_db, username), rubric_id=1, moment=Moment.EIND,
                                     stageplaats_ids=sites, threshold=threshold)
    assert frame["aios"].iloc[0] == aios
    got = {(int(r.criterion_id), int(r.score)): int(r.count) for r in frame.itertuples() if r.count}
    assert got == counts


@pytest.mark.parametrize(("username", "threshold", "pairs", "shown"), [
    ("com1", 3, 0, False),  # a2 alone in nothing: S1 2025 holds 2 aios, fewer than 3
    ("com1", 2, 1, True),   # a2 and a3 count (S1 2025); the pair is a2's stage 2, and the
                            # begeleider scores without a pair (stage 7 of a2, 6 of a3) are 2 aios
    ("bg1", 3, 1, True),    # bg1 and the beheerder see a2 anyway
    ("admin", 3, 1, True),
])
def test_self_against_begeleider_is_not_shown_for_one_aios(fixture_db, username, threshold, pairs, shown):
    """R1 eind: the only pair is stage 2, one aios (a2)."""
    frame = load_self_vs_begeleider(fixture_db, viewer_for(fixture_db, username), rubric_id=1, moment=Moment.EIND,
                                    threshold=threshold)
    assert frame["pairs"].tolist() == [pairs, pairs]
    assert bool(frame["difference"].notna().all()) is shown


@pytest.mark.parametrize(("username", "rows"), [
    # The committee sees nobody one by one: no rater's own row at all.
    ("com1", []),
    # bg1 sees their own aios (a1, a2, a3 at S1); bg2's one aios (a1 at S2) is a cell of one:
    # not among "the others" either.
    ("bg1", [("U", 1, 4, 0), ("U", 2, 4, 0)]),
    # The beheerder sees everyone: both raters, each against the other.
    ("admin", [("Bea Begeleider", 1, 1, 4), ("Bram Begeleider", 1, 4, 1),
               ("Bea Begeleider", 2, 1, 4), ("Bram Begeleider", 2, 4, 1)]),
])
def test_rater_comparison_counts_a_rater_only_over_aios_the_viewer_sees(fixture_db, username, rows):
    from data_access.queries.rubrics import load_rater_calibration

    frame = load_rater_calibration(fixture_db, viewer_for(fixture_db, username), rubric_id=1, moment=Moment.EIND,
                                   min_n=1, threshold=3)
    assert [(r.rater, r.criterion_id, r.n, r.others_n) for r in frame.itertuples()] == rows
