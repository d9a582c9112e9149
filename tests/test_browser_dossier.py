"""The Aiosdossier in real Chromium: a verslag is corrected from the dossier's Verslagen tab.

A chosen tab is in the address (?tabblad=Verslagen, dashboard.layout.lazy_tabs), and a page
change used to clear the address with the tab still bound to it: "Corrigeren" then showed
"Deze pagina kon niet worden getoond" for every role (issue 30, item 7).
The server is this module's own: the test writes a verslag.
"""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import select

from data_access import clock
from data_access.db import make_engine
from data_access.gesprekken import GesprekInput, log_gesprek
from data_access.models import Aios, GesprekType, Role, Stage
from data_access.permissions import Action, may
from data_access.viewer import viewer_for
from sample_data import DEMO_PASSWORD, DEMO_USERNAMES
from tests.test_browser import (  # noqa: F401 - fixtures
    browser,
    expect,
    expect_page,
    login,
    page,
    server,
    server_db,
    wait_idle,
)

VERSLAG = "Besproken: de overdracht op de afdeling (dossiertest)."


def _running_stage_with_a_verslag(server_db: str) -> tuple[int, int]:
    """The demo aios' running stage with their demo begeleider (the generator promises one for
    every day), with a vastgesteld begeleidingsgesprek logged by that begeleider today."""
    engine = make_engine(server_db)
    try:
        today = clock.today()
        begeleider = viewer_for(engine, DEMO_USERNAMES[Role.STAGEBEGELEIDER])
        aios = viewer_for(engine, DEMO_USERNAMES[Role.AIOS])
        with engine.connect() as conn:
            stage_id, aios_id = conn.execute(
                select(Stage.id, Stage.aios_id).join(Aios, Aios.id == Stage.aios_id)
                .where(Aios.user_id == aios.user_id, Stage.start_date <= today, Stage.end_date >= today)
                .order_by(Stage.id)).first()
        log_gesprek(engine, begeleider, GesprekInput(
            stage_id=stage_id, type=GesprekType.BEGELEIDINGSGESPREK, date=today, submit_token=uuid.uuid4().hex,
            verslag=VERSLAG, afspraken="Volgende week een KPB.", op_schema=None), today)
        return aios_id, stage_id
    finally:
        engine.dispose()


@pytest.mark.parametrize("role", [Role.AIOS, Role.STAGEBEGELEIDER, Role.INSTITUUTSOPLEIDER])
def test_corrigeren_on_the_dossiers_verslagen_tab_opens_the_verslag_in_the_form(page, server, server_db, role):
    aios_id, stage_id = _running_stage_with_a_verslag(server_db)
    login(page, DEMO_USERNAMES[role], DEMO_PASSWORD)
    page.goto(f"{server}/aios?aios={aios_id}&stage={stage_id}")
    wait_idle(page)
    expect_page(page, "Aiosdossier")
    main = page.locator("[data-testid='stMain']")
    main.get_by_role("tab", name="Verslagen", exact=True).click()
    wait_idle(page)
    assert "tabblad=Verslagen" in page.url
    card = main.locator("[data-testid='stVerticalBlock']", has_text=VERSLAG).last
    card.get_by_role("button", name="Corrigeren").click()
    wait_idle(page)
    expect_page(page, "Gesprek vastleggen")
    expect(page.get_by_text("Deze pagina kon niet worden getoond")).to_have_count(0)
    expect(main.get_by_label("Besproken onderwerpen", exact=True)).to_have_value(VERSLAG)
    assert "tabblad" not in page.url


# Buttons that belong to a field, not an action: a selectbox's list, a date's calendar.
FIELD_BUTTONS = {"Openen", "Sluiten", "Kies een datum", "Wissen"}


def _dossier_buttons(main) -> list[str]:
    """The names of the buttons a user can press on the dossier's open tab (not the tabs, not a
    chart's own toolbar)."""
    names = []
    for b in main.locator("button:visible:enabled:not([data-testid='stBaseButton-elementToolbar'])").all():
        # The label without its icon (a Material icon's name is text in the button).
        name = (b.get_attribute("aria-label") or b.inner_text().strip().split("\n")[-1]).strip()
        if b.get_attribute("role") != "tab" and name and name not in FIELD_BUTTONS and name not in names:
            names.append(name)
    return names


@pytest.mark.parametrize("role", [Role.AIOS, Role.STAGEBEGELEIDER, Role.INSTITUUTSOPLEIDER, Role.BEHEERDER])
def test_every_button_of_every_dossier_tab_works_for_each_role(page, server, server_db, role):  # noqa: F811
    """Issue 30 (7): each button of each tab of the Aiosdossier pressed once, per role. None may
    end in an error: not on the dossier, not on the page a button opens. After each press the
    dossier is opened again on that tab (a button may open another page, or change the tab)."""
    aios_id, stage_id = _running_stage_with_a_verslag(server_db)
    login(page, DEMO_USERNAMES[role], DEMO_PASSWORD)
    main = page.locator("[data-testid='stMain']")

    def open_tab(tab: str) -> None:
        page.goto(f"{server}/aios?aios={aios_id}&stage={stage_id}&tabblad={tab}")
        wait_idle(page)
        expect_page(page, "Aiosdossier")
        expect(main.get_by_role("tab", name=tab, exact=True)).to_have_attribute("aria-selected", "true")

    page.goto(f"{server}/aios?aios={aios_id}&stage={stage_id}")
    wait_idle(page)
    expect_page(page, "Aiosdossier")
    tabs = main.get_by_role("tab").all_inner_texts()
    pressed: list[str] = []
    for tab in tabs:
        open_tab(tab)
        for name in _dossier_buttons(main):
            if any(p.endswith(f": {name}") for p in pressed):  # above the tabs: pressed once
                continue
            if not (page.url.split("?")[0].endswith("/aios") and main.get_by_role(
                    "tab", name=tab, exact=True).get_attribute("aria-selected") == "true"):
                open_tab(tab)  # the last press opened another page or tab
            labelled = main.locator(f"button[aria-label={json.dumps(name)}]:visible")
            button = (labelled if labelled.count() else main.locator("button:visible").filter(has_text=name)).first
            if not button.is_visible() or not button.is_enabled():  # gone after an earlier press
                continue
            button.click()
            wait_idle(page)
            page.keyboard.press("Escape")  # a popover the button opened closes again
            expect(page.get_by_text("Deze pagina kon niet worden getoond")).to_have_count(0)
            expect(page.locator("[data-testid='stException']")).to_have_count(0)
            pressed.append(f"{tab}: {name}")
    assert ("Verslagen: Corrigeren" in pressed, pressed != []) == (may(role, Action.GESPREK_LOG), True), pressed
