"""The opleider works through a cohort in real Chromium: a signal tile filters the table, the
filter survives a visit to a dossier and the browser's Back, and a note and a mark for the
voortgangsoverleg made in the dossier show on the follow-up list.

A server of its own, so that the marks made here do not change what test_browser.py counts.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from data_access import clock
from sample_data import DEMO_PASSWORD
from tests.test_browser import (  # fixtures and helpers, not tests
    browser,  # noqa: F401 - a fixture
    expect_page,
    login,
    server,  # noqa: F401 - a fixture
    server_db,  # noqa: F401 - a fixture
    wait_idle,
)

SHOTS = Path(os.environ.get("STAGE_SHOTS", "/tmp/shots-cohort"))


def _cohort_state(db_url: str):
    """The demo opleider's cohort as the page computes it, and the aios on the follow-up list."""
    from data_access.db import make_engine
    from data_access.flags import FLAG_KINDS, add_flags, count_flags, select_flagged
    from data_access.follow_up import load_follow_up_list
    from data_access.queries.filters import StageSelection, load_filter_options
    from data_access.queries.progress import load_stage_progress
    from data_access.settings import FlagThresholds
    from data_access.viewer import viewer_for

    engine = make_engine(db_url)
    try:
        viewer = viewer_for(engine, "opleider")
        first_opleiding = int(load_filter_options(engine, viewer)["opleiding_id"].iloc[0])
        today = clock.today()
        progress = add_flags(load_stage_progress(engine, viewer, StageSelection(today, first_opleiding)),
                             today, FlagThresholds())
        marked = load_follow_up_list(engine, viewer)
    finally:
        engine.dispose()
    counts = count_flags(progress)
    # A signal whose first stage in the table belongs to an aios not yet on the list.
    kind = next(k for k in FLAG_KINDS if counts[k] > 0
                and int(select_flagged(progress, (k,))["aios_id"].iloc[0]) not in set(marked["aios_id"]))
    return kind, FLAG_KINDS[kind], counts[kind], len(progress), select_flagged(progress, (kind,)), marked


@pytest.fixture
def wide(browser):  # noqa: F811 - the imported fixture
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def _open_first_row(page) -> None:
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)
    expect_page(page, "Aiosdossier")


def test_opleider_filters_by_tile_keeps_it_after_back_and_puts_an_aios_on_the_list(wide, server, server_db):  # noqa: F811
    page = wide
    page.goto(server)
    wait_idle(page)
    login(page, "opleider", DEMO_PASSWORD)
    expect_page(page, "Cohorten")
    kind, label, count, total, expected, marked = _cohort_state(server_db)
    expect(page.get_by_text(f"Voortgangsoverleg ({len(marked)})")).to_have_count(1)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "cohorten-1400.png"))

    page.get_by_role("button", name=f"{label}: {count} van {total}", exact=True).click()
    wait_idle(page)
    chosen = page.get_by_role("button", name=f"{label}: {count} van {total} · filter aan", exact=True)
    expect(chosen).to_have_count(1)
    expect(page.get_by_text(f"{count} van {total} stages getoond.")).to_have_count(1)
    assert f"signaal={kind}" in page.url
    page.screenshot(path=str(SHOTS / "cohorten-filter-1400.png"))

    first = expected.iloc[0]
    _open_first_row(page)
    expect(page.get_by_role("heading", name=first["aios_name"])).to_be_visible()
    assert f"aios={int(first['aios_id'])}" in page.url

    page.go_back()
    expect_page(page, "Cohorten")
    assert f"signaal={kind}" in page.url
    expect(chosen).to_have_count(1)
    expect(page.get_by_text(f"{count} van {total} stages getoond.")).to_have_count(1)

    _open_first_row(page)
    expect(page.get_by_role("heading", name=first["aios_name"])).to_be_visible()
    mail = page.get_by_role("link", name="E-mail aan de begeleider", exact=False)
    href = mail.get_attribute("href")
    assert href.startswith("mailto:") and "@voorbeeld.nl" in href
    assert f"subject={quote(first['aios_name'] + ': ', safe='')}" in href
    assert quote(first["flags"][kind], safe="") in href

    note = "Gebeld met de begeleider over de achterstand; over twee weken opnieuw kijken."
    page.get_by_label("Notitie voor het dossier").fill(note)
    page.get_by_role("button", name="Notitie opslaan").click()
    wait_idle(page)
    expect(page.get_by_text(f"Notitie opgeslagen in het dossier van {first['aios_name']}.")).to_have_count(1)
    expect(page.get_by_text(note, exact=True)).to_have_count(1)

    page.get_by_label("Waarom bespreken? (optioneel)").fill("Achterstand bespreken")
    page.get_by_role("button", name="Op de lijst zetten").click()
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"^Op de lijst voor het voortgangsoverleg van"))).to_have_count(1)
    expect(page.get_by_role("button", name="Besproken: van de lijst halen")).to_have_count(1)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "aiosdossier-opvolging-1400.png"), full_page=True)

    page.get_by_role("link", name="Cohorten").click()
    expect_page(page, "Cohorten")
    expect(chosen).to_have_count(1)  # back through the menu, the filter is still the session's
    expect(page.get_by_text(f"Voortgangsoverleg ({len(marked) + 1})")).to_have_count(1)
    expect(page.get_by_text("Achterstand bespreken")).to_have_count(1)
    expect(page.get_by_text(first["aios_name"], exact=True).first).to_be_visible()
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "cohorten-lijst-1400.png"))
