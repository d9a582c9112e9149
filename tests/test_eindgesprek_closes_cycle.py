"""Issue 30, item 8: an eindgesprek closes the stage cycle, and an early one is asked to confirm.

Stage 20 (tests/fixture_data.add_early_eindgesprek) is on schedule until its eindgesprek on
01-03-2026, five weeks before its last day (05-04-2026). On CHECK_DAY (Monday 23-03-2026) the
cycle would by itself expect 10 begeleidingsgesprekken and 5 KPB's; after the eindgesprek it
expects what it did on 01-03: 6 and 3. Stage 1 of the fixture gets an eindgesprek on the same
day in some tests: it was behind then (4 of 6 begeleidingsgesprekken, no evaluatiegesprek, 2 of
3 KPB's), and that shortfall stays visible; nothing after the eindgesprek is added.
"""

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access import models as m
from data_access.cycle import GEHOUDEN, ONTBREEKT, OP_TIJD, TE_LAAT, gesprek_slots, next_gesprek_type
from data_access.errors import ValidationError
from data_access.flags import add_flags, due_next
from data_access.gesprekken import GesprekInput, log_gesprek
from data_access.models import Gesprek, GesprekStatus, GesprekType, ReminderKind
from data_access.queries.filters import StageSelection
from data_access.queries.progress import load_gesprek_dates, load_stage_progress
from data_access.reminders.due import due_items
from data_access.reminders.kinds import DueItem
from data_access.settings import FlagThresholds, Settings
from data_access.urgency import NOTHING_DUE, overdue_days
from data_access.viewer import viewer_for
from tests.fixture_data import EARLY_EIND, EARLY_STAGE, EARLY_WEEKLY, TODAY, add_early_eindgesprek, uid

D = dt.date
CHECK_DAY = D(2026, 3, 23)
EIND = GesprekType.EINDGESPREK


def _progress(engine, today: dt.date = CHECK_DAY) -> pd.DataFrame:
    progress = load_stage_progress(engine, viewer_for(engine, "admin"), StageSelection(today))
    return add_flags(progress, today, FlagThresholds()).set_index("stage_id")


def _eindgesprek_on_stage_1(engine, when: dt.date = EARLY_EIND) -> None:
    """As an import or an earlier version would have stored it: vastgesteld, no question asked."""
    with Session(engine) as s, s.begin():
        s.add(m.Gesprek(id=70, stage_id=1, type=EIND, date=when, author_id=uid("bg1"), verslag="Verslag.",
                        status=GesprekStatus.VASTGESTELD, version=1))


@pytest.mark.parametrize("status", [GesprekStatus.VASTGESTELD, GesprekStatus.CONCEPT])
def test_after_an_early_eindgesprek_the_expected_counts_are_those_of_its_day(fresh_db, status):
    add_early_eindgesprek(fresh_db, status)
    row = _progress(fresh_db).loc[EARLY_STAGE]
    types = ("startgesprek", "begeleidingsgesprek", "evaluatiegesprek", "eindgesprek")
    assert [row[f"n_{t}"] for t in types] == [1, 7, 1, 1]
    assert [row[f"expected_{t}"] for t in types] == [1, 6, 1, 1]  # before the fix: [1, 10, 1, 0]
    assert (row["kpb_done"], row["expected_kpb"]) == (3, 3)  # before the fix: 3 of 5
    assert (row["week"], row["weeks_total"], row["eindgesprek_on"]) == (12, 13, EARLY_EIND)  # the week stays today's


def test_after_an_early_eindgesprek_nothing_is_behind_due_or_next(fresh_db):
    add_early_eindgesprek(fresh_db)
    row = _progress(fresh_db).loc[EARLY_STAGE]
    # Before the fix: geen gesprek sinds 22 dagen, geen feedback in 27 dagen, begeleidingsgesprekken
    # achter: 7 van verwacht 10, KPB's achter: 3 van verwacht 5; next a begeleidingsgesprek.
    assert row["flags"] == {}
    assert next_gesprek_type(row, CHECK_DAY) is None
    assert overdue_days(row, CHECK_DAY) == NOTHING_DUE
    assert due_next(row, CHECK_DAY) is None


def test_a_shortfall_before_the_eindgesprek_stays_and_nothing_after_it_is_added(fresh_db):
    _eindgesprek_on_stage_1(fresh_db)
    row = _progress(fresh_db).loc[1]
    assert row["flags"] == {
        "evaluatiegesprek": "evaluatiegesprek niet gehouden vóór het eindgesprek",
        "begeleidingsgesprekken": "begeleidingsgesprekken achter bij het eindgesprek: 4 van verwacht 6",
        "kpb": "KPB's achter bij het eindgesprek: 2 van verwacht 3",
    }
    assert next_gesprek_type(row, CHECK_DAY) is None
    # The stageverslag is still to come (due 29-03): not a gesprek, so the eindgesprek leaves it.
    assert due_next(row, CHECK_DAY) == "stageverslag inleveren over 6 dagen (29-03-2026)"


def test_the_dossier_slots_stop_at_the_eindgesprek_and_agree_with_the_counts(fresh_db):
    add_early_eindgesprek(fresh_db)
    admin = viewer_for(fresh_db, "admin")
    selection = StageSelection(CHECK_DAY, stage_ids=(EARLY_STAGE,))
    progress = load_stage_progress(fresh_db, admin, selection)
    slots = gesprek_slots(progress, load_gesprek_dates(fresh_db, admin, selection), CHECK_DAY)
    weekly = slots[slots["type"] == "begeleidingsgesprek"]
    assert weekly["due"].tolist() == [D(2026, 1, 18), D(2026, 1, 25), D(2026, 2, 1), D(2026, 2, 8), D(2026, 2, 15),
                                      D(2026, 2, 22), None]
    assert weekly["held_on"].tolist() == EARLY_WEEKLY
    assert weekly["status"].tolist() == [OP_TIJD] * 6 + [GEHOUDEN]
    eind = slots[slots["type"] == "eindgesprek"]
    assert eind[["due", "held_on", "status"]].values.tolist() == [[D(2026, 4, 5), EARLY_EIND, OP_TIJD]]
    # One rule: the slots due by today are exactly the expected counts of the progress row.
    counted = slots[slots["status"].isin((OP_TIJD, TE_LAAT, ONTBREEKT))].groupby("type").size().to_dict()
    assert counted == {t: int(progress[f"expected_{t}"].iloc[0])
                       for t in ("begeleidingsgesprek", "eindgesprek", "evaluatiegesprek", "startgesprek")}
    assert counted == {"begeleidingsgesprek": 6, "eindgesprek": 1, "evaluatiegesprek": 1, "startgesprek": 1}


def test_no_reminder_or_signal_asks_for_a_gesprek_after_the_eindgesprek(fresh_db):
    add_early_eindgesprek(fresh_db)
    _eindgesprek_on_stage_1(fresh_db)
    items = [i for i in due_items(fresh_db, CHECK_DAY, Settings())
             if i.thing_key.startswith(("stage:1:", f"stage:{EARLY_STAGE}:"))]
    # Stage 20: nothing (before the fix: bg1 "gesprek achter" and four signals to opl1). Stage 1:
    # the shortfall at the eindgesprek, as signals to opl1; no "gesprek achter" to bg1, and the
    # stageverslag (due 29-03) is within the reminder's days before it.
    signal = ReminderKind.SIGNALEN
    assert items == [
        DueItem(uid("opl1"), signal, "stage:1:begeleidingsgesprekken:", "begeleidingsgesprekken"),
        DueItem(uid("opl1"), signal, "stage:1:evaluatiegesprek:", "evaluatiegesprek"),
        DueItem(uid("opl1"), signal, "stage:1:kpb:", "kpb"),
        DueItem(uid("a1"), ReminderKind.STAGEVERSLAG, "stage:1:2026-03-29", "2026-03-29"),
    ]


# --- the early eindgesprek asks to confirm -----------------------------------------------------


def _eindgesprek(when: dt.date, **kw) -> GesprekInput:
    """bg1's complete eindgesprek of stage 1 (rubric version 2: criteria 3, 4 and 5)."""
    base = {"stage_id": 1, "type": EIND, "date": when, "submit_token": f"eind-{when}", "wat_gaat_goed": "Zorgvuldig",
            "wat_kan_beter": "Tempo", "signed": True, "scores": ((3, 3), (4, 2), (5, 4))}
    return GesprekInput(**(base | kw))


def _eindgesprekken(engine) -> int:
    with Session(engine) as s:
        return s.execute(select(func.count()).select_from(Gesprek).where(Gesprek.type == EIND,
                                                                         Gesprek.stage_id == 1)).scalar_one()


def test_an_early_eindgesprek_is_refused_without_confirmation_and_saved_with_it(fresh_db):
    bg1 = viewer_for(fresh_db, "bg1")
    with pytest.raises(ValidationError) as err:
        log_gesprek(fresh_db, bg1, _eindgesprek(EARLY_EIND), TODAY)
    assert err.value.fields == {"early_confirmed": (
        "Het eindgesprek valt 5 weken voor het einde van de stage (laatste dag 05-04-2026); toch vastleggen? "
        "Na het eindgesprek verwacht de stage geen gesprekken meer. Vink het vakje hieronder aan en sla opnieuw op.")}
    assert _eindgesprekken(fresh_db) == 0
    log_gesprek(fresh_db, bg1, _eindgesprek(EARLY_EIND, early_confirmed=True), TODAY)
    assert _eindgesprekken(fresh_db) == 1
    assert next_gesprek_type(_progress(fresh_db, TODAY).loc[1], TODAY) is None


@pytest.mark.parametrize(("when", "asked"), [
    (D(2026, 3, 29), None),  # 7 days before the last day: the last week, no question
    (D(2026, 3, 28), "Het eindgesprek valt 8 dagen voor het einde van de stage"),
])
def test_only_an_eindgesprek_before_the_last_week_asks(fresh_db, when, asked):
    bg1 = viewer_for(fresh_db, "bg1")
    try:
        log_gesprek(fresh_db, bg1, _eindgesprek(when), D(2026, 3, 30))
        message = None
    except ValidationError as err:
        assert list(err.fields) == ["early_confirmed"]
        message = err.fields["early_confirmed"].split(" (")[0]
    assert message == asked
    assert _eindgesprekken(fresh_db) == (1 if asked is None else 0)


def test_a_correction_that_keeps_the_early_date_is_not_asked_again(fresh_db):
    bg1 = viewer_for(fresh_db, "bg1")
    first = log_gesprek(fresh_db, bg1, _eindgesprek(EARLY_EIND, early_confirmed=True), TODAY)
    corrected = _eindgesprek(EARLY_EIND, submit_token="eind-correctie", wat_gaat_goed="Zorgvuldig en open")
    second = log_gesprek(fresh_db, bg1, corrected, TODAY, replaces=first)
    with Session(fresh_db) as s:
        assert (s.get(Gesprek, second).supersedes_id, s.get(Gesprek, second).version) == (first, 2)
    moved = _eindgesprek(D(2026, 2, 28), submit_token="eind-verzet")
    with pytest.raises(ValidationError) as err:
        log_gesprek(fresh_db, bg1, moved, TODAY, replaces=second)
    assert list(err.value.fields) == ["early_confirmed"]
