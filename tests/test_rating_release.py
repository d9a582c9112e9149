"""Ratings are released in batches: the differencing attack, edits after release, the audit.

Site 1 (GGD Noord) has 4 released ratings in the fixture and shows its means (threshold 3).
The opleider sees per aios whether they rated ("Stageplaats beoordeeld"): if one new rating
moved the site's figures, figures before and after would give that aios' exact scores.
"""

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.tables import sites_table
from data_access.commands import RatingInput, submit_rating
from data_access.errors import ValidationError
from data_access.models import AuditLog, RatingRelease, Stage, StageplaatsRating, StageStatus
from data_access.queries.filters import StageSelection
from data_access.queries.progress import load_stage_progress
from data_access.queries.ratings import (
    load_rateable_stages,
    load_rating_distribution,
    load_stageplaats_comments,
    load_stageplaats_rating_trend,
    load_stageplaats_ratings,
)
from data_access.queries.stageplaatsen import load_stageplaats_overview
from data_access.viewer import viewer_for
from tests.fixture_data import TODAY

NEW = {41: 1, 42: 2, 43: 3}  # new ended stages at site 1: stage id -> aios id (a1, a2, a3)
AIOS_USER = {1: "a1", 2: "a2", 3: "a3"}


def _new_stages(engine) -> None:
    with Session(engine) as s, s.begin():
        for sid, aios in NEW.items():
            s.add(Stage(id=sid, aios_id=aios, stageplaats_id=1, start_date=dt.date(2025, 10, 6),
                        end_date=dt.date(2026, 1, 4), fte=1.0, status=StageStatus.AFGEROND))


def _shown(engine, username: str) -> dict[str, object]:
    """Every figure about site 1 that a user could read, per view: all years, each year, the
    trend, the distribution, the comments, the committee overview (pending count apart)."""
    viewer = viewer_for(engine, username)
    views: dict[str, object] = {}
    for year in (None, 2024, 2025, 2026):
        frame = load_stageplaats_ratings(engine, viewer, threshold=3, year=year)
        views[f"ratings {year}"] = frame[frame["stageplaats_id"] == 1].drop(columns="pending").reset_index(drop=True)
    views["trend"] = load_stageplaats_rating_trend(engine, viewer, threshold=3).query("stageplaats_id == 1").reset_index(drop=True)
    views["distribution"] = load_rating_distribution(engine, viewer, threshold=3, stageplaats_ids=(1,))
    views["comments"] = load_stageplaats_comments(engine, viewer, stageplaats_id=1, threshold=3)
    overview = load_stageplaats_overview(engine, viewer, threshold=3, today=TODAY)
    views["overview"] = overview[overview["stageplaats_id"] == 1].drop(columns="pending").reset_index(drop=True)
    return views


def _same(before: dict, after: dict) -> bool:
    for key, value in before.items():
        other = after[key]
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, other, obj=key)
        else:
            assert value == other, key
    return True


def _pending(engine, site=1) -> int:
    frame = load_stageplaats_ratings(engine, viewer_for(engine, "com1"), threshold=3)
    return int(frame.set_index("stageplaats_id").loc[site, "pending"])


def _rate(engine, stage_id: int, scores=(1, 1, 1), comment="Nieuw en geheim.") -> None:
    viewer = viewer_for(engine, AIOS_USER[NEW[stage_id]])
    submit_rating(engine, viewer, stage_id, RatingInput(*scores, comment), TODAY, threshold=3)


@pytest.mark.parametrize("username", ["com1", "opl1", "bg1", "admin"])
def test_one_more_rating_leaves_every_shown_figure_unchanged_until_the_batch_is_full(fresh_db, username):
    _new_stages(fresh_db)
    before = _shown(fresh_db, username)
    assert before["ratings None"].loc[0, ["n", "leermogelijkheden"]].tolist() == [4, 3.5]

    _rate(fresh_db, 41)  # n = 4 released; a1 rates: the opleider sees "beoordeeld: ja" for a1
    progress = load_stage_progress(fresh_db, viewer_for(fresh_db, "opl1"), StageSelection(TODAY, running_only=False))
    assert bool(progress.set_index("stage_id").loc[41, "rating_given"]) is True
    assert _same(before, _shown(fresh_db, username))
    assert _pending(fresh_db) == 1
    table = sites_table(load_stageplaats_overview(fresh_db, viewer_for(fresh_db, "com1"), threshold=3, today=TODAY)
                        .assign(flags=[[]] * 2))
    assert table.set_index("Stageplaats").loc["GGD Noord", "Wacht op vrijgave"] == 1

    _rate(fresh_db, 42)
    assert _same(before, _shown(fresh_db, username))
    assert _pending(fresh_db) == 2

    _rate(fresh_db, 43)  # the third new rating fills the batch: released together
    after = _shown(fresh_db, username)
    assert _pending(fresh_db) == 0
    row = after["ratings None"].loc[0]
    # (2 + 4 + 5 + 3 + 1 + 1 + 1) / 7 leermogelijkheden; the comment appears only now.
    assert (row["n"], row["leermogelijkheden"]) == (7, pytest.approx(17 / 7))
    assert "Nieuw en geheim." in after["comments"] and "Nieuw en geheim." not in before["comments"]
    # The batch is in the year of its release (2026), all three ratings together.
    assert after["ratings 2026"].loc[0, "n"] == 3


def test_an_edit_of_a_pending_rating_moves_nothing_and_a_released_one_is_refused(fresh_db):
    _new_stages(fresh_db)
    before = _shown(fresh_db, "com1")
    _rate(fresh_db, 41, (1, 1, 1))
    _rate(fresh_db, 41, (5, 5, 5))  # changed while pending: still nothing shown moves
    assert _same(before, _shown(fresh_db, "com1")) and _pending(fresh_db) == 1
    _rate(fresh_db, 42)
    _rate(fresh_db, 43)
    released = _shown(fresh_db, "com1")
    a1 = viewer_for(fresh_db, "a1")
    stage = load_rateable_stages(fresh_db, a1, TODAY).set_index("stage_id").loc[41]
    assert (bool(stage["released"]), bool(stage["editable"])) == (True, False)
    with pytest.raises(ValidationError) as err:
        submit_rating(fresh_db, a1, 41, RatingInput(1, 1, 1), TODAY, threshold=3)
    assert err.value.fields == {"stage": "Deze beoordeling is vrijgegeven en telt mee in de cijfers van de "
                                         "stageplaats; ze kan niet meer worden gewijzigd."}
    assert _same(released, _shown(fresh_db, "com1"))


def test_a_release_is_stored_and_audited_without_scores_or_raters(fresh_db):
    _new_stages(fresh_db)
    for sid in NEW:
        _rate(fresh_db, sid)
    with Session(fresh_db) as s:
        release = s.execute(select(RatingRelease).order_by(RatingRelease.id.desc()).limit(1)).scalar_one()
        assert (release.stageplaats_id, release.size, release.released_at.date()) == (1, 3, TODAY)
        members = s.execute(select(StageplaatsRating.stage_id).where(StageplaatsRating.release_id == release.id)).scalars()
        assert sorted(members) == [41, 42, 43]
        rows = s.execute(select(AuditLog.user_id, AuditLog.action, AuditLog.entity, AuditLog.entity_id,
                                AuditLog.before, AuditLog.after).order_by(AuditLog.id)).all()
    assert rows == [
        (8, "ingediend", "stageplaats_beoordeling", None, None, None),
        (9, "ingediend", "stageplaats_beoordeling", None, None, None),
        (10, "ingediend", "stageplaats_beoordeling", None, None, None),
        (None, "vrijgegeven", "beoordelingsvrijgave", release.id, None, {"aantal": 3}),
    ]
    # Nothing in the log names the site, a stage or a rating of these aios.
    assert not any(r.entity in ("stage", "stageplaats") for r in rows)


def test_concurrent_ratings_of_one_site_never_split_or_double_a_batch(databases):
    """Six aios rate one site at the same moment: two releases of exactly three, none pending."""
    from concurrent.futures import ThreadPoolExecutor

    from data_access.models import Aios, Role, UserAccount, UserRole

    engine = databases.with_fixture()
    with Session(engine) as s, s.begin():
        for k in range(6):
            s.add(UserAccount(id=100 + k, username=f"c{k}", display_name=f"Gelijk {k}", email=f"c{k}@voorbeeld.nl"))
            s.flush()
            s.add(UserRole(user_id=100 + k, role=Role.AIOS))
            s.add(Aios(id=100 + k, user_id=100 + k, aios_number=f"C{k}", opleiding_id=1, cohort_id=1))
            s.flush()
            s.add(Stage(id=100 + k, aios_id=100 + k, stageplaats_id=2, start_date=dt.date(2025, 10, 6),
                        end_date=dt.date(2026, 1, 4), fte=1.0, status=StageStatus.AFGEROND))

    def rate(k):
        submit_rating(engine, viewer_for(engine, f"c{k}"), 100 + k, RatingInput(3, 3, 3), TODAY, threshold=3)

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(rate, range(6)))
    with Session(engine) as s:
        sizes = s.execute(
            select(RatingRelease.size, func.count(StageplaatsRating.id))
            .join(StageplaatsRating, StageplaatsRating.release_id == RatingRelease.id)
            .where(RatingRelease.stageplaats_id == 2, RatingRelease.released_at >= dt.datetime(2026, 1, 1))
            .group_by(RatingRelease.id, RatingRelease.size)
        ).all()
    assert sizes == [(3, 3), (3, 3)]
    assert _pending(engine, site=2) == 0


def test_a_rating_waits_for_another_write_on_its_site_before_counting_the_batch(fresh_db):
    """The rating transaction takes the site's lock first (PostgreSQL: a row lock; SQLite: the
    write lock), so a rating in flight elsewhere is counted, never raced."""
    import threading

    from data_access.db import write_session
    from data_access.releases import lock_site, release_if_full

    _new_stages(fresh_db)
    _rate(fresh_db, 41)
    done = threading.Event()
    with write_session(fresh_db) as holder, holder.begin():
        lock_site(holder, 1)
        # Another rating of site 1 in flight: the second pending one.
        holder.add(StageplaatsRating(stage_id=42, leermogelijkheden=2, leerklimaat=2, begeleiding=2,
                                     submitted_at=TODAY))
        worker = threading.Thread(target=lambda: (_rate(fresh_db, 43), done.set()))
        worker.start()
        assert not done.wait(1.0)  # blocked on the site until the other write commits
        assert release_if_full(holder, 1, 3) is None  # 2 pending: no batch yet
    worker.join(30)
    assert done.is_set()
    assert _pending(fresh_db) == 0  # the waiting rating counted the committed one: 3 released
