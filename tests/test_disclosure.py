"""The disclosure rule (data_access.disclosure) as an attacker tests it: every figure a viewer can
get, with every filter, over time and across moves, and no two of them that differ by 1 to
threshold − 1 aios the viewer cannot see one by one.

A small hand-made programme ("DT") whose every figure can be read back to the stages behind it:
- the rubric has one criterion per stage, and a stage's beoordeling scores 4 on its own criterion
  and 1 on all others, so a distribution's count of 4s per criterion lists the stages it holds;
- stage number j has 2**j feedback moments, so a moment count lists its stages in binary.

  aios  cohort  stages (site, year of the stage and its eindbeoordeling)
  d1    C1      three at P1 in 2025 (one aios, three stages in one group)
  d2    C1      P1 2025 (with a self-assessment), P2 2025
  d3    C1      P1 2025, P2 2025
  d4    C2      P1 2025, P2 2025
  d5    C2      P1 2025, P2 2026
  d6    C2      P1 2025
  d7    C3      P1 2025 (alone in cohort C3)
"""

from __future__ import annotations

import datetime as dt
import itertools

import pandas as pd
import pytest
from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from data_access import models as m
from data_access.commands import RatingInput, submit_rating
from data_access.models import FeedbackKind, Moment, RaterKind, Role, StageStatus
from data_access.queries.feedback import load_feedback_breakdown, load_feedback_frequency, load_request_response
from data_access.queries.ratings import load_stageplaats_rating_trend, load_stageplaats_ratings
from data_access.queries.rubrics import load_rubric_distribution
from data_access.queries.stageplaatsen import load_stageplaats_overview
from data_access.viewer import viewer_for

T = 3
TODAY = dt.date(2026, 12, 1)
P1, P2 = 11, 12
COHORTS = {"C1": 11, "C2": 12, "C3": 13}
AIOS = {"d1": "C1", "d2": "C1", "d3": "C1", "d4": "C2", "d5": "C2", "d6": "C2", "d7": "C3"}
SPRING, SUMMER, AUTUMN = ((dt.date(2025, 2, 3), dt.date(2025, 5, 4)), (dt.date(2025, 5, 5), dt.date(2025, 8, 3)),
                          (dt.date(2025, 8, 4), dt.date(2025, 11, 2)))
LATE = (dt.date(2026, 2, 2), dt.date(2026, 5, 3))
# stage id: (aios, site, (start, end)); ids 100 + j, j the stage's bit and criterion number
STAGES = {
    100: ("d1", P1, SPRING), 101: ("d1", P1, SUMMER), 102: ("d1", P1, AUTUMN),
    103: ("d2", P1, SPRING), 104: ("d3", P1, SPRING), 105: ("d4", P1, SUMMER),
    106: ("d5", P1, SUMMER), 107: ("d6", P1, AUTUMN), 108: ("d7", P1, AUTUMN),
    109: ("d2", P2, SUMMER), 110: ("d3", P2, AUTUMN), 111: ("d4", P2, SPRING), 112: ("d5", P2, LATE),
}
SELF_ASSESSED = {103}
USER = {name: 200 + i for i, name in enumerate([*AIOS, "bgp1", "bgp2", "com9", "opl9"])}
AIOS_ID = {name: 200 + i for i, name in enumerate(AIOS)}


def _build(engine, *, eind: bool = True, requests: bool = False) -> None:
    with Session(engine) as s, s.begin():
        s.add(m.Opleiding(id=3, code="DT", name="Differentie", kpb_target_default=6))
        s.flush()
        s.add_all([m.Cohort(id=cid, opleiding_id=3, start_year=2020 + cid, name=name) for name, cid in COHORTS.items()])
        s.add_all([m.UserAccount(id=uid, username=name, display_name=name.upper(), email=f"{name}@voorbeeld.nl")
                   for name, uid in USER.items()])
        s.flush()
        roles = {**dict.fromkeys(AIOS, Role.AIOS), "bgp1": Role.STAGEBEGELEIDER, "bgp2": Role.STAGEBEGELEIDER,
                 "com9": Role.STAGECOMMISSIE, "opl9": Role.INSTITUUTSOPLEIDER}
        s.add_all([m.UserRole(user_id=USER[name], role=role) for name, role in roles.items()])
        s.add_all([m.Stageplaats(id=P1, code="P1", opleiding_id=3, name="Plaats een", organisation="O",
                                 discipline="D", region="R"),
                   m.Stageplaats(id=P2, code="P2", opleiding_id=3, name="Plaats twee", organisation="O",
                                 discipline="D", region="R")])
        s.add_all([m.Aios(id=AIOS_ID[name], user_id=USER[name], aios_number=name.upper(), opleiding_id=3,
                          cohort_id=COHORTS[cohort]) for name, cohort in AIOS.items()])
        s.add_all([m.Stagebegeleider(id=21, user_id=USER["bgp1"]), m.Stagebegeleider(id=22, user_id=USER["bgp2"]),
                   m.Instituutsopleider(id=9, user_id=USER["opl9"])])
        s.flush()
        s.add_all([m.BegeleiderStageplaats(begeleider_id=21, stageplaats_id=P1),
                   m.BegeleiderStageplaats(begeleider_id=22, stageplaats_id=P2),
                   m.CommissieLid(user_id=USER["com9"], opleiding_id=3),
                   m.OpleiderCohort(opleider_id=9, cohort_id=COHORTS["C1"])])
        for sid, (aios, site, (start, end)) in STAGES.items():
            s.add(m.Stage(id=sid, aios_id=AIOS_ID[aios], stageplaats_id=site, start_date=start, end_date=end,
                          fte=1.0, status=StageStatus.AFGEROND))
        s.flush()
        s.add_all([m.StageBegeleider(stage_id=sid, begeleider_id=21 if site == P1 else 22, is_primary=True)
                   for sid, (_, site, _) in STAGES.items()])
        s.add(m.Rubric(id=30, opleiding_id=3, name="Signatuur", version=1, valid_from=dt.date(2024, 1, 1)))
        s.flush()
        s.add_all([m.RubricLevel(rubric_id=30, score=k, label=str(k)) for k in (1, 2, 3, 4)])
        s.add_all([m.RubricCriterion(id=300 + j, rubric_id=30, position=j, name=f"C{j}",
                                     canmeds_role=m.CanMedsRole.COMMUNICATOR) for j in range(len(STAGES))])
        s.flush()
        moments = [{"stage_id": sid, "date": STAGES[sid][2][0], "giver_id": USER["bgp1"], "kind": FeedbackKind.KPB,
                    "asked_by_aios": False, "topic": None}
                   for sid in STAGES for _ in range(2 ** (sid - 100))]
        s.execute(insert(m.FeedbackMoment), moments)
        if requests:  # stage j: 2**j feedback requests to its begeleider, asked on its first day
            s.execute(insert(m.FeedbackRequest), [
                {"stage_id": sid, "begeleider_id": 21 if STAGES[sid][1] == P1 else 22, "asked_by": USER[STAGES[sid][0]],
                 "kind": m.FeedbackRequestKind.FEEDBACK, "asked_on": STAGES[sid][2][0]}
                for sid in STAGES for _ in range(2 ** (sid - 100))])
    if eind:
        for sid in STAGES:
            add_eind(engine, sid)


def add_eind(engine, sid: int, kind: RaterKind = RaterKind.BEGELEIDER) -> None:
    """The stage's eindbeoordeling (its signature: 4 on its own criterion, 1 elsewhere); a
    self-assessment too for the stages in SELF_ASSESSED."""
    aios, site, (_, end) = STAGES[sid]
    with Session(engine) as s, s.begin():
        for rater_kind in (kind, RaterKind.ZELF) if sid in SELF_ASSESSED else (kind,):
            rater = USER["bgp1" if site == P1 else "bgp2"] if rater_kind is RaterKind.BEGELEIDER else USER[aios]
            b = m.Beoordeling(stage_id=sid, rubric_id=30, moment=Moment.EIND, rater_kind=rater_kind, rater_id=rater,
                              date=end)
            s.add(b)
            s.flush()
            s.add_all([m.RubricScore(beoordeling_id=b.id, criterion_id=300 + j, score=4 if j == sid - 100 else 1)
                       for j in range(len(STAGES))])


def _stages_of_distribution(frame: pd.DataFrame) -> tuple[int, ...]:
    """The stages behind a distribution, each as often as it has beoordelingen in it."""
    fours = frame[frame["score"] == 4].set_index("criterion_id")["count"].fillna(0).astype(int)
    return tuple(sorted(itertools.chain.from_iterable([c - 300 + 100] * n for c, n in fours.items())))


def _stages_of_moments(moments: int) -> tuple[int, ...]:
    return tuple(100 + j for j in range(len(STAGES)) if moments >> j & 1)


def _hidden_aios(stages, viewer_name: str) -> set[str]:
    seen = {name for name, cohort in AIOS.items() if cohort == "C1"} if viewer_name == "opl9" else set()
    return {STAGES[s][0] for s in stages} - seen


def _assert_no_differencing(figures: dict, viewer_name: str) -> None:
    """No figure, and no difference of two figures of which one holds the other, stands for 1 to
    T − 1 aios the viewer cannot see one by one."""
    bags = {key: pd.Series(stages).value_counts().to_dict() for key, stages in figures.items()}
    for key, stages in figures.items():
        assert len(_hidden_aios(stages, viewer_name)) not in range(1, T), (key, stages)
    for (ka, a), (kb, b) in itertools.permutations(bags.items(), 2):
        if a != b and all(a.get(s, 0) >= n for s, n in b.items()):
            rest = [s for s, n in a.items() for _ in range(n - b.get(s, 0))]
            assert len(_hidden_aios(rest, viewer_name)) not in range(1, T), (ka, kb, sorted(rest))


CHOICES = [None, *[tuple(c) for r in (1, 2, 3) for c in itertools.combinations(COHORTS.values(), r)]]


@pytest.mark.parametrize("viewer_name", ["com9", "opl9"])
def test_no_two_score_distributions_differ_by_fewer_aios_than_the_threshold(fresh_db, viewer_name):
    """Every cohort choice × site choice × year × kind of rater of the eind distribution."""
    _build(fresh_db)
    viewer = viewer_for(fresh_db, viewer_name)
    figures = {}
    periods = [None, (dt.date(2025, 1, 1), dt.date(2025, 12, 31)), (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
               (dt.date(2025, 1, 1), dt.date(2025, 6, 30))]
    for cohorts, sites, period, kind in itertools.product(
            CHOICES, [None, (P1,), (P2,), (P1, P2)], periods, [None, RaterKind.BEGELEIDER, RaterKind.ZELF]):
        frame = load_rubric_distribution(fresh_db, viewer, rubric_id=30, moment=Moment.EIND, rater_kind=kind,
                                         cohort_ids=cohorts, stageplaats_ids=sites, period=period, threshold=T)
        figures[(cohorts, sites, period, kind)] = _stages_of_distribution(frame)
    _assert_no_differencing(figures, viewer_name)
    # Not an empty test: the committee sees P1 2025 in its whole group of 6 (d1–d6; d7, the
    # seventh, waits) and P2 2025 (d2, d3, d4); d5's P2 stage of 2026 is alone in its cell.
    if viewer_name == "com9":
        assert figures[(None, None, None, RaterKind.BEGELEIDER)] == (100, 101, 102, 103, 104, 105, 106, 107, 109, 110, 111)


@pytest.mark.parametrize("viewer_name", ["com9", "opl9"])
def test_no_two_feedback_figures_differ_by_fewer_aios_than_the_threshold(fresh_db, viewer_name):
    _build(fresh_db, eind=False, requests=True)
    viewer = viewer_for(fresh_db, viewer_name)
    figures = {}
    for cohorts, programme in itertools.product(CHOICES, [None, 3]):
        frame = load_feedback_frequency(fresh_db, viewer, by="stageplaats", today=TODAY, opleiding_id=programme,
                                        cohort_ids=cohorts, threshold=T)
        for row in frame.itertuples():
            if pd.notna(row.moments):  # an empty figure tells nothing
                figures[("per site", cohorts, programme, row.group_id)] = _stages_of_moments(int(row.moments))
        figures[("all sites", cohorts, programme)] = _stages_of_moments(int(frame["moments"].fillna(0).sum()))
        for site in (P1, P2):
            counts = load_feedback_breakdown(fresh_db, viewer, today=TODAY, stageplaats_id=site, cohort_ids=cohorts,
                                             threshold=T)
            figures[("breakdown", cohorts, site)] = _stages_of_moments(int(counts["moments"].sum()))
        for by in ("stageplaats", "begeleider"):
            asked = load_request_response(fresh_db, viewer, by=by, today=TODAY, expiry_days=14, opleiding_id=programme,
                                          cohort_ids=cohorts, threshold=T)
            for row in asked.itertuples():
                if pd.notna(row.asked):
                    figures[("requests", by, cohorts, programme, row.group_id)] = _stages_of_moments(int(row.asked))
    _assert_no_differencing(figures, viewer_name)
    if viewer_name == "com9":
        assert figures[("per site", None, None, P1)] == (100, 101, 102, 103, 104, 105, 106, 107)


def test_the_eind_level_context_moves_only_by_whole_groups_over_time(fresh_db):
    """Eindbeoordelingen come in one by one; every day's figure is one a viewer could keep."""
    _build(fresh_db, eind=False)
    com9 = viewer_for(fresh_db, "com9")
    seen = []
    for sid in STAGES:
        add_eind(fresh_db, sid)
        overview = load_stageplaats_overview(fresh_db, com9, threshold=T, today=TODAY).set_index("stageplaats_id")
        seen.append({site: int(overview.loc[site, "summative_n"]) for site in (P1, P2)})
    for site in (P1, P2):
        ns = [day[site] for day in seen]
        assert all(b - a == 0 or b - a >= T for a, b in itertools.pairwise(ns)), (site, ns)
    assert seen[-1] == {P1: 6, P2: 3}


def _rate(engine, sid: int, score: int) -> None:
    aios = STAGES[sid][0]
    submit_rating(engine, viewer_for(engine, aios), sid, RatingInput(score, score, score), TODAY, threshold=T)


def _site_figures(engine, viewer) -> dict:
    ratings = load_stageplaats_ratings(engine, viewer, threshold=T).set_index("stageplaats_id")
    trend = load_stageplaats_rating_trend(engine, viewer, threshold=T)
    return {
        "sites": {int(s): (int(r.n), None if pd.isna(r.leerklimaat) else round(float(r.leerklimaat), 6))
                  for s, r in ratings.loc[[P1, P2]].iterrows()},
        "years": sorted((int(r.stageplaats_id), int(r.year), int(r.n)) for r in trend.itertuples()
                        if r.stageplaats_id in (P1, P2)),
    }


@pytest.mark.parametrize("how", ["stages import", "direct correction"])
def test_moving_a_rated_stage_to_another_site_moves_no_figure(fresh_db, how):
    """Leak 2: P1's batch of 6 ratings (d1–d6, one each) is released; then d6's stage is moved
    to P2 (a stagecode in a stages import, or a correction of a wrongly recorded site). Before
    the rule, P1 went from n 6 to 5 and its mean moved by exactly d6's rating."""
    _build(fresh_db, eind=False)
    for sid, score in ((100, 4), (103, 4), (104, 4), (105, 4), (106, 4), (107, 1)):
        _rate(fresh_db, sid, score)
    com9 = viewer_for(fresh_db, "com9")
    before = _site_figures(fresh_db, com9)
    assert before["sites"][P1] == (6, 3.5)
    if how == "stages import":
        from data_access.importer import read_table, run_import

        with Session(fresh_db) as s, s.begin():
            s.execute(update(m.Stage).where(m.Stage.id == 107).values(code="ST107"))
        csv = "stagecode;aiosnummer;stageplaats;begeleider;startdatum;einddatum;fte\nST107;D6;P2;bgp2;04-08-2025;02-11-2025;1\n"
        admin = viewer_for(fresh_db, "admin")
        plan = run_import(fresh_db, admin, "stages", read_table(csv.encode(), "s.csv"), "s.csv", today=TODAY)
        assert plan.problems == []
    else:
        with Session(fresh_db) as s, s.begin():
            s.execute(update(m.Stage).where(m.Stage.id == 107).values(stageplaats_id=P2))
    with Session(fresh_db) as s:
        assert s.get(m.Stage, 107).stageplaats_id == P2
    assert _site_figures(fresh_db, com9) == before


def test_ratings_are_released_per_threshold_of_distinct_aios_not_of_ratings(fresh_db):
    """d1 rates all three of their P1 stages and d2 one: four ratings, two aios, no batch (a
    mutant that counts ratings would release them, and two aios would fill a batch of 3)."""
    _build(fresh_db, eind=False)
    for sid in (100, 101, 102, 103):
        _rate(fresh_db, sid, 3)
    com9 = viewer_for(fresh_db, "com9")
    ratings = load_stageplaats_ratings(fresh_db, com9, threshold=T).set_index("stageplaats_id")
    assert (ratings.loc[P1, "n"], ratings.loc[P1, "pending"]) == (0, 4)
    _rate(fresh_db, 104, 3)  # d3: the third aios
    ratings = load_stageplaats_ratings(fresh_db, com9, threshold=T).set_index("stageplaats_id")
    assert (ratings.loc[P1, "n"], ratings.loc[P1, "pending"]) == (5, 0)


def test_an_import_dry_run_shows_nothing_of_a_stored_rating(fresh_db):
    """Leak 1: the beheerder guessed a stored rating through dry runs ("ongewijzigd" for a right
    guess, old → new values otherwise). Now a right and a wrong guess get the same plan, a real
    import leaves the rating as it was, and every dry run is an audit row."""
    from sqlalchemy import select

    from data_access.importer import plan_import, read_table, run_import

    _build(fresh_db, eind=False)
    with Session(fresh_db) as s, s.begin():
        s.add(m.StageplaatsRating(stage_id=107, leermogelijkheden=2, leerklimaat=5, begeleiding=1,
                                  comment="Geheim oordeel", submitted_at=TODAY))
    admin = viewer_for(fresh_db, "admin")
    header = "aiosnummer;stageplaats;startdatum;leermogelijkheden;leerklimaat;begeleiding;opmerking;datum\n"

    def plan(values: str):
        frame = read_table((header + f"D6;P1;04-08-2025;{values};01-12-2026\n").encode(), "r.csv")
        return plan_import(fresh_db, admin, "beoordelingen", frame, today=TODAY)

    right, wrong = plan("2;5;1;Geheim oordeel"), plan("4;4;4;iets anders")
    assert right.report().values.tolist() == wrong.report().values.tolist() == [[2, "D6 · P1 · 04-08-2025", "bestaat al", "", ""]]
    assert right.summary() == wrong.summary() == "1 rij: 0 nieuw, 0 bijgewerkt, 0 ongewijzigd, 1 bestaan al: niets te importeren."
    done = run_import(fresh_db, admin, "beoordelingen",
                      read_table((header + "D6;P1;04-08-2025;4;4;4;x;01-12-2026\n").encode(), "r.csv"), "r.csv", today=TODAY)
    assert done.counts.get("nieuw") == 0
    with Session(fresh_db) as s:
        stored = s.execute(select(m.StageplaatsRating).where(m.StageplaatsRating.stage_id == 107)).scalar_one()
        assert (stored.leermogelijkheden, stored.leerklimaat, stored.begeleiding, stored.comment) == (2, 5, 1, "Geheim oordeel")
        audit = s.execute(select(m.AuditLog.user_id, m.AuditLog.action, m.AuditLog.after).order_by(m.AuditLog.id)).all()
    assert [(u, a, after["soort"]) for u, a, after in audit] == [(1, "geëxporteerd", "proefimport beoordelingen")] * 3


def test_the_audit_log_of_a_release_names_no_site_stage_or_score(fresh_db):
    """The rating that fills a batch and the release sit next to each other in the log; neither
    names a site, stage or score, and the release is the system's, so the log says only that
    this aios rated some stage, which the aios' own row says anyway (see the README)."""
    from sqlalchemy import select

    _build(fresh_db, eind=False)
    for sid in (100, 103, 104):
        _rate(fresh_db, sid, 3)
    with Session(fresh_db) as s:
        rows = s.execute(select(m.AuditLog.user_id, m.AuditLog.action, m.AuditLog.entity, m.AuditLog.entity_id,
                                m.AuditLog.before, m.AuditLog.after).order_by(m.AuditLog.id)).all()
        release_id = s.execute(select(m.RatingRelease.id).order_by(m.RatingRelease.id.desc()).limit(1)).scalar_one()
    assert [tuple(r) for r in rows] == [
        (USER["d1"], "ingediend", "stageplaats_beoordeling", None, None, None),
        (USER["d2"], "ingediend", "stageplaats_beoordeling", None, None, None),
        (USER["d3"], "ingediend", "stageplaats_beoordeling", None, None, None),
        (None, "vrijgegeven", "beoordelingsvrijgave", release_id, None, {"aantal": 3}),
    ]


def test_the_committee_gets_no_cohort_filter_that_could_only_empty_its_figures():
    from dashboard.sidebar import COHORT, OPLEIDING, filters_for

    for page in ("beoordelingen", "feedback"):
        assert filters_for(Role.STAGECOMMISSIE, page) >= {OPLEIDING} and COHORT not in filters_for(Role.STAGECOMMISSIE, page)
        assert COHORT in filters_for(Role.INSTITUUTSOPLEIDER, page)


@pytest.mark.parametrize(("rows", "released"), [
    ("D1;P1;03-02-2025\nD2;P1;03-02-2025\nD3;P1;03-02-2025\n", 3),  # three aios: exactly a batch
    ("D1;P1;03-02-2025\nD1;P1;05-05-2025\nD2;P1;03-02-2025\n", 0),  # three ratings of two aios: none
])
def test_a_ratings_import_releases_a_batch_filled_exactly_at_the_threshold(fresh_db, rows, released):
    """release_full_batches, after a bulk import, releases a site whose pending ratings come from
    at least T distinct aios, in the import's transaction."""
    from sqlalchemy import func, select

    from data_access.importer import read_table, run_import

    _build(fresh_db, eind=False)
    header = "aiosnummer;stageplaats;startdatum;leermogelijkheden;leerklimaat;begeleiding;opmerking;datum\n"
    body = "".join(f"{line};4;4;4;;01-12-2026\n" for line in rows.strip().split("\n"))
    plan = run_import(fresh_db, viewer_for(fresh_db, "admin"), "beoordelingen", read_table((header + body).encode(), "r.csv"),
                      "r.csv", today=TODAY)
    assert plan.problems == [] and plan.counts["nieuw"] == 3
    with Session(fresh_db) as s:
        releases = s.execute(select(m.RatingRelease.size, m.RatingRelease.threshold)
                             .where(m.RatingRelease.stageplaats_id == P1)).all()
        pending = s.execute(select(func.count()).select_from(m.StageplaatsRating)
                            .where(m.StageplaatsRating.release_id.is_(None))).scalar_one()
    assert [tuple(r) for r in releases] == ([(3, T)] if released else [])
    assert pending == 3 - released
    ratings = load_stageplaats_ratings(fresh_db, viewer_for(fresh_db, "com9"), threshold=T).set_index("stageplaats_id")
    assert (ratings.loc[P1, "n"], ratings.loc[P1, "pending"]) == (released, 3 - released)
