"""Browser flow at phone width (390 px): the aios writes two leerdoelen and offers the stageplan,
the begeleider approves it from Mijn aios, and the aiosdossier shows it approved. Clicks,
keystrokes and seconds are counted the way tests/test_browser_phone.py counts them and go to
artifacts/flows.json (for the issue note). A server of its own (module-scoped fixtures)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from sqlalchemy import text

from data_access import clock
from data_access.db import make_engine
from tests.test_browser import (  # fixtures and helpers, not tests
    CHROMIUM,
    browser,  # noqa: F401 - a fixture
    expect,
    expect_page,
    server,  # noqa: F401 - a fixture
    server_db,  # noqa: F401 - a fixture
    shot,
    wait_idle,
)
from tests.test_browser_phone import (  # noqa: F401 - phone: a fixture
    _login_at,
    _record,
    phone,
)

assert CHROMIUM
SHOTS = Path("/tmp/shots-leerdoelen")
GOALS = [
    ("Zelfstandig een spreekuur draaien", "Ik wil zelfstandig werken", "Eerst meekijken, dan zelf", "Medisch"),
    ("Een MDO voorzitten", "Ik leid nog nooit een overleg", "Twee keer voorbereiden", "Leider"),
]


def _snap(page, name: str) -> None:
    shot(page, name)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _demo_stage(db_url: str) -> tuple[int, int, str, dt.date]:
    """The demo aios' running stage: stage id, aios id, name, a target date inside it."""
    engine = make_engine(db_url)
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT s.id, a.id, u.display_name, s.end_date FROM stage s JOIN aios a ON a.id = s.aios_id "
            "JOIN user_account u ON u.id = a.user_id WHERE u.username = 'aios' AND s.end_date >= :t "
            "ORDER BY s.start_date LIMIT 1"), {"t": clock.today()}).one()
    engine.dispose()
    end = row[3] if isinstance(row[3], dt.date) else dt.date.fromisoformat(str(row[3])[:10])
    return row[0], row[1], row[2], end


def test_the_aios_writes_two_leerdoelen_and_offers_the_plan_the_begeleider_approves(phone, server, server_db):  # noqa: F811
    aios = phone()
    started = time.monotonic()
    _login_at(aios, f"{server}/mijn_stage", "aios")
    expect_page(aios.page, "Mijn stage")
    stage_id, aios_id, name, end = _demo_stage(server_db)
    target = min(end, clock.today() + dt.timedelta(days=14))
    for what, why, steps, role in GOALS:
        aios.type(aios.page.get_by_label("Wat wilt u bereiken?"), what)
        aios.type(aios.page.get_by_label("Waarom is dit belangrijk voor u?"), why)
        aios.type(aios.page.get_by_label("Concrete stappen"), steps)
        aios.choose(aios.page.get_by_label("CanMEDS-rol"), role)
        # Streamlit's date field: day, month and year segments; typing moves on by itself.
        aios.type(aios.page.get_by_role("spinbutton", name="dag, Streefdatum"), f"{target:%d%m%Y}")
        aios.click(aios.page.get_by_role("button", name="Leerdoel opslaan"))
        wait_idle(aios.page)
        expect(aios.page.get_by_text("Leerdoel opgeslagen.")).to_be_visible()
        # Once on screen (the history table in its closed expander holds it too).
        expect(aios.page.get_by_text(what, exact=True).filter(visible=True)).to_have_count(1)
    aios.click(aios.page.get_by_role("button", name="Ter goedkeuring aanbieden"))
    wait_idle(aios.page)
    expect(aios.page.get_by_text("Het stageplan is ter goedkeuring aangeboden aan uw begeleider.")).to_be_visible()
    expect(aios.page.get_by_role("button", name="Leerdoel opslaan")).to_have_count(0)  # locked while offered
    _record("aios schrijft twee leerdoelen en biedt het stageplan aan", aios, started)
    _snap(aios.page, "telefoon-stageplan-aangeboden")

    bg = phone()
    started = time.monotonic()
    _login_at(bg, f"{server}/mijn_aios", "begeleider")
    expect_page(bg.page, "Mijn aios")
    plan = bg.page.locator(f".st-key-ter_goedkeuring_{stage_id}")
    for what, *_ in GOALS:
        expect(plan.get_by_text(what, exact=True).filter(visible=True)).to_have_count(1)
    _snap(bg.page, "telefoon-stageplan-ter-goedkeuring")
    bg.click(plan.get_by_role("button", name="Goedkeuren"))
    wait_idle(bg.page)
    expect(bg.page.get_by_text(f"Stageplan van {name} goedgekeurd.")).to_be_visible()
    expect(plan).to_have_count(0)  # it left the list
    _record("begeleider keurt het stageplan goed", bg, started)

    bg.page.goto(f"{server}/aios?aios={aios_id}&stage={stage_id}")
    expect_page(bg.page, "Aiosdossier")
    bg.page.get_by_role("tab", name="Stageplan").click()
    wait_idle(bg.page)
    section = bg.page.locator(f".st-key-plan_{stage_id}")
    expect(section.get_by_text(f"Goedgekeurd op {clock.today():%d-%m-%Y}")).to_be_visible()
    expect(section.get_by_text(GOALS[1][0], exact=True).filter(visible=True)).to_have_count(1)  # history: closed
    _snap(bg.page, "telefoon-dossier-stageplan-goedgekeurd")
