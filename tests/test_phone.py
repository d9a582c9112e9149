"""Phone-first for begeleiders and aios (issue 16), without a browser: which aios is most overdue,
the sidebar by page and role, the cards that open the form for their aios, the drafts below the
form, and the dossier that opens on the aios who needs attention."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from dashboard.gesprek_form import waiting_title
from dashboard.navigation import PAGES_DIR, specs_for
from dashboard.sidebar import COHORT, OPLEIDING, PERIODE, filters_for
from data_access import clock
from data_access.cycle import next_gesprek_type
from data_access.db import make_engine
from data_access.models import GesprekType, Role
from data_access.queries.filters import StageSelection
from data_access.queries.forms import load_drafts, load_pending_kpbs
from data_access.queries.progress import load_stage_progress
from data_access.urgency import most_overdue_first, overdue_days
from data_access.viewer import viewer_for
from tests.test_app import app_env, demo_url, login  # noqa: F401 - fixtures

TODAY = dt.date(2026, 3, 2)


def _stage(name: str, start: dt.date, end: dt.date, since: int | None, **held: int) -> dict:
    counts = {f"n_{t.value}": 0 for t in GesprekType} | {f"n_{k}": v for k, v in held.items()}
    return {"stage_id": len(name), "aios_name": name, "start_date": start, "end_date": end,
            "days_since_gesprek": since, **counts}


def test_overdue_days_counts_from_the_due_date_of_the_gesprek_due():
    start, end = dt.date(2026, 1, 5), dt.date(2026, 4, 5)  # midpoint 19-02, evaluatie due 26-02
    # No startgesprek yet: due on day 7 (12-01), 49 days ago.
    assert overdue_days(pd.Series(_stage("a", start, end, None)), TODAY) == 49
    # Startgesprek held, past the midpoint, no evaluatiegesprek: due 26-02, 4 days ago.
    assert overdue_days(pd.Series(_stage("b", start, end, 3, startgesprek=1)), TODAY) == 4
    # Weekly: a week after the last gesprek; 10 days since it is 3 days overdue, 2 days is -5.
    done = {"startgesprek": 1, "evaluatiegesprek": 1}
    assert overdue_days(pd.Series(_stage("c", start, end, 10, **done)), TODAY) == 3
    assert overdue_days(pd.Series(_stage("d", start, end, 2, **done)), TODAY) == -5
    # Weekly with no gesprek at all yet counts from the start (56 days).
    assert overdue_days(pd.Series(_stage("e", dt.date(2026, 1, 5), dt.date(2026, 12, 5), None, startgesprek=1)),
                        TODAY) == 56 - 7


def test_the_most_overdue_aios_comes_first_not_the_first_by_name():
    start, end = dt.date(2026, 1, 5), dt.date(2026, 4, 5)
    done = {"startgesprek": 1, "evaluatiegesprek": 1}
    frame = pd.DataFrame([
        _stage("Anna", start, end, 2, **done),      # -5
        _stage("Zeger", start, end, 20, **done),    # 13
        _stage("Bram", start, end, 20, **done),     # 13, before Zeger on the tie
        _stage("Carla", start, end, None),          # startgesprek 49 days late
    ])
    ordered = most_overdue_first(frame, TODAY)
    assert ordered["aios_name"].tolist() == ["Carla", "Bram", "Zeger", "Anna"]
    assert ordered["overdue_days"].tolist() == [49, 13, 13, -5]


def test_the_waiting_drafts_say_how_many_wait():
    assert waiting_title(3, 0, reviewer=True) == "3 verslagen wachten op u"
    assert waiting_title(1, 0, reviewer=True) == "1 verslag wacht op u"
    assert waiting_title(1, 2, reviewer=True) == "1 verslag en 2 KPB's wachten op u"
    assert waiting_title(0, 1, reviewer=True) == "1 KPB wacht op u"
    assert waiting_title(2, 0, reviewer=False) == "Uw concepten: 2 verslagen"


def test_the_shared_filters_show_only_on_the_pages_that_use_them():
    every = {OPLEIDING, COHORT, PERIODE}
    shown = {(role, spec.file.removesuffix(".py")): filters_for(role, spec.file.removesuffix(".py"))
             for role in Role for spec in specs_for(role)}
    assert {page for (role, page), f in shown.items() if role is Role.AIOS and f} == set()
    assert {page: f for (role, page), f in shown.items() if role is Role.STAGEBEGELEIDER and f} == {
        "beoordelingen": {OPLEIDING, COHORT}, "feedback": every, "stageplaatsen": {OPLEIDING}}
    assert {page: f for (role, page), f in shown.items() if role is Role.INSTITUUTSOPLEIDER and f} == {
        "cohorten": every, "aios": {OPLEIDING, COHORT}, "gesprek_vastleggen": {OPLEIDING, COHORT},
        "beoordelingen": {OPLEIDING, COHORT}, "feedback": every, "stageplaatsen": {OPLEIDING}}
    assert not any(f for (role, page), f in shown.items() if page in {"account", "gebruikers", "importeren", "auditlog"})


def _sidebar_labels(at) -> list[str]:
    return ([s.label for s in at.sidebar.selectbox] + [m.label for m in at.sidebar.multiselect]
            + [r.label for r in at.sidebar.radio])


@pytest.mark.parametrize(("username", "file", "expected"), [
    ("aios", "mijn_stage.py", []),
    ("aios", "aios.py", []),
    ("begeleider", "mijn_aios.py", []),
    ("begeleider", "gesprek_vastleggen.py", []),
    ("begeleider", "feedback.py", ["Opleiding", "Cohort", "Periode"]),
    ("opleider", "cohorten.py", ["Opleiding", "Cohort", "Periode"]),
    ("opleider", "stageplaatsen.py", ["Opleiding"]),
    ("opleider", "account.py", []),
    ("beheerder", "gebruikers.py", []),
])
def test_the_sidebar_shows_the_filters_of_the_page_and_the_database_to_the_beheerder(app_env, username, file, expected):  # noqa: F811 - the imported fixture
    at = login(username)
    at.switch_page(str(PAGES_DIR / file))
    at.run()
    assert not at.exception
    assert _sidebar_labels(at) == expected
    assert any("Database:" in c.value for c in at.sidebar.caption) == (username == "beheerder")


def test_a_filter_keeps_its_value_on_a_page_that_does_not_show_it(app_env):  # noqa: F811 - the imported fixture
    at = login("opleider")
    at.sidebar.radio(key="filter_periode").set_value("Alle stages").run()
    at.switch_page(str(PAGES_DIR / "account.py"))
    at.run()
    assert _sidebar_labels(at) == []
    at.switch_page(str(PAGES_DIR / "cohorten.py"))
    at.run()
    assert at.sidebar.radio(key="filter_periode").value == "Alle stages"


def _cards(at) -> list[str]:
    """The names on the begeleider's cards, in order (bold at the start of each card, whose first
    line ends with the week; the sections above the cards name aios too)."""
    return [m.value.split("**")[1] for m in at.markdown
            if m.value.startswith("**") and " · " in m.value and re.search(r"\nWeek \d+ van \d+$", m.value)]


def test_a_begeleider_opens_the_form_from_a_card_with_that_aios_and_the_gesprek_due(app_env):  # noqa: F811 - the imported fixture
    at = login("begeleider")
    assert [t.value for t in at.title] == ["Mijn aios"]
    names = _cards(at)
    # The demo promises the begeleider more than one aios on every day (test_generator); the
    # cards come most overdue first (the order itself: test_the_most_overdue_aios_comes_first_…).
    expected = most_overdue_first(_begeleider_progress(app_env), clock.today())["aios_name"].tolist()
    assert len(names) > 1 and names == expected
    stage_keys = [b.key for b in at.button if b.key and b.key.startswith("kpb_")]
    second = int(stage_keys[1].removeprefix("kpb_"))
    next(b for b in at.button if b.key == f"gesprek_{second}").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Gesprek vastleggen"]
    assert at.selectbox(key="gv_stage").value == second
    assert at.selectbox(key="gv_stage").options[at.selectbox(key="gv_stage").index].startswith(names[1])
    # The KPB button opens the same form on its KPB tab, for that aios.
    at.switch_page(str(PAGES_DIR / "mijn_aios.py"))
    at.run()
    next(b for b in at.button if b.key == f"kpb_{second}").click().run()
    assert at.session_state["gv_tab"] == "KPB"
    assert at.selectbox(key="gv_stage").value == second


def _begeleider_progress(url: str) -> pd.DataFrame:
    """The demo begeleider's running stages as Mijn aios loads them (no filters on that page)."""
    engine = make_engine(url)
    try:
        return load_stage_progress(engine, viewer_for(engine, "begeleider"), StageSelection(today=clock.today()))
    finally:
        engine.dispose()


def test_the_form_defaults_to_the_most_overdue_aios_and_its_gesprek(app_env):  # noqa: F811 - the imported fixture
    today = clock.today()
    ordered = most_overdue_first(_begeleider_progress(app_env), today)
    at = login("begeleider")
    at.switch_page(str(PAGES_DIR / "gesprek_vastleggen.py"))
    at.run()
    assert not at.exception
    assert at.selectbox(key="gv_stage").value == ordered["stage_id"].iloc[0]
    assert at.selectbox(key="gv_type").value == next_gesprek_type(ordered.iloc[0], today)
    # The form comes first; the drafts below it, collapsed, their count in the heading (none on a
    # day the demo has no draft waiting for the begeleider).
    labels = [e.label for e in at.expander]
    waiting = [label for label in labels if label.endswith("op u")]
    assert waiting == _waiting_titles(app_env)


def _waiting_titles(url: str) -> list[str]:
    """The heading of the begeleider's drafts as the data says it must read, or none."""
    engine = make_engine(url)
    try:
        viewer = viewer_for(engine, "begeleider")
        n_verslagen, n_kpbs = len(load_drafts(engine, viewer)), len(load_pending_kpbs(engine, viewer))
    finally:
        engine.dispose()
    return [waiting_title(n_verslagen, n_kpbs, reviewer=True)] if n_verslagen + n_kpbs else []


def test_the_timeline_puts_vandaag_apart_from_einde_and_the_rubric_axis_names_the_levels():
    import vl_convert as vlc

    from dashboard.charts import TIMELINE_HEIGHT, assessment_chart, stage_timeline_chart

    empty = pd.DataFrame(columns=["stage_id", "type", "due", "held_on", "status"])
    start, end = dt.date(2026, 1, 5), dt.date(2026, 3, 3)  # today (02-03) one day before the end
    spec = stage_timeline_chart(empty, pd.DataFrame(columns=["date", "epa_code", "supervision_level"]),
                                pd.DataFrame(columns=["date", "kind", "asked_by_aios", "topic"]),
                                start, end, TODAY).to_dict()
    marks = next(v for v in spec["datasets"].values() if v and "label" in v[0])
    assert {m["label"]: m["hoogte"] for m in marks} == {"start": 0, "einde": 0, "vandaag": TIMELINE_HEIGHT}
    text = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "text")
    assert text["encoding"]["y"] == {"field": "hoogte", "type": "quantitative", "scale": None}
    assert "<svg" in vlc.vegalite_to_svg(spec)  # renders

    scores = pd.DataFrame({
        "version": 1, "score": [1, 3, 4], "label": ["onvoldoende", "goed", "excellent"],
        "position": [1, 2, 3], "criterion": ["Kennis", "Communicatie", "Samenwerking"],
        "moment": "tussentijds", "rater_kind": ["zelf", "begeleider", "begeleider"],
        "date": dt.date(2026, 2, 1), "beoordeling_id": [1, 2, 2],
    })
    spec = assessment_chart(scores).to_dict()
    expression = spec["encoding"]["x"]["axis"]["labelExpr"]
    assert expression == ("datum.value == 1 ? '1 onvoldoende' : (datum.value == 3 ? '3 goed' : "
                          "(datum.value == 4 ? '4 excellent' : (datum.label)))")
    svg = vlc.vegalite_to_svg(spec)
    assert "1 onvoldoende" in svg and "4 excellent" in svg


def test_on_a_phone_the_feedback_heatmap_is_a_table_of_the_last_weeks_least_first():
    from dashboard.tables import feedback_grid_table

    grid = pd.DataFrame({
        "stage_id": [1] * 6 + [2] * 3,
        "aios_name": ["Anna"] * 6 + ["Bram"] * 3,
        "week": [1, 2, 3, 4, 5, 6, 1, 2, 3],
        "moments": [3, 0, 1, 0, 2, 1, 0, 1, 0],
    })
    assert feedback_grid_table(grid).to_dict("list") == {
        "Aios": ["Bram", "Anna"], "Laatste 4 weken": [1, 4], "Totaal": [1, 7]}


def test_on_a_phone_the_score_distribution_is_a_table_of_shares_per_level():
    from dashboard.tables import rubric_distribution_table

    frame = pd.DataFrame({
        "position": [1, 1, 1, 2, 2, 2], "criterion": ["Kennis"] * 3 + ["Communicatie"] * 3,
        "score": [1, 2, 3] * 2, "label": ["onvoldoende", "voldoende", "goed"] * 2,
        "count": [1, 2, 1, 1, 0, 0], "n": [4, 4, 4, 1, 1, 1], "share": [0.25, 0.5, 0.25, 1.0, 0.0, 0.0],
    })
    assert rubric_distribution_table(frame, min_n=2).values.tolist() == [
        ["1. Kennis", 4, "25%", "50%", "25%"],
        ["2. Communicatie", 1, "—", "—", "—"],
    ]
    assert rubric_distribution_table(frame, min_n=2).columns.tolist() == ["Criterium", "n", "onvoldoende", "voldoende", "goed"]
