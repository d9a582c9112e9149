"""Browser test at phone width (390 px): the aios hands in a stageverslag as PDF, the begeleider
opens it (download) and marks it gelezen, and the opleider's Cohorten no longer flags
"stageverslag te laat" for that aios. Taps, keystrokes and seconds go to artifacts/flows.json,
counted as in test_browser_phone.py.

A server of its own, on a demo database made before the start in which the demo aios' running
stage has its stageverslag three days late and nothing written yet.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import pytest
from fpdf import FPDF
from sqlalchemy import text

from data_access import clock
from data_access.db import make_engine
from tests.demo_db import demo_copy
from tests.servers import running_app
from tests.test_browser import (  # fixtures and helpers, not tests
    CHROMIUM,
    browser,  # noqa: F401 - a fixture
    choose,
    expect,
    expect_page,
    login,
    wait_idle,
)
from tests.test_browser_phone import (  # noqa: F401 - phone: a fixture
    _login_at,
    _record,
    phone,
)

assert CHROMIUM
SHOTS = Path("/tmp/shots-verslag")
TODAY = clock.today()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def late_stage(tmp_path_factory, demo_template):
    """A demo database whose demo aios has a running stage (with the demo begeleider) whose
    stageverslag was due three days ago and has no version yet. Returns (url, aios name)."""
    url = demo_copy(demo_template, tmp_path_factory.mktemp("verslag"), "app.sqlite")
    engine = make_engine(url)
    with engine.begin() as conn:
        aios_name, stage_id = conn.execute(text(
            "SELECT u.display_name, s.id FROM stage s JOIN aios a ON a.id = s.aios_id "
            "JOIN user_account u ON u.id = a.user_id JOIN stage_begeleider x ON x.stage_id = s.id "
            "JOIN stagebegeleider sb ON sb.id = x.begeleider_id JOIN user_account b ON b.id = sb.user_id "
            "WHERE u.username = 'aios' AND b.username = 'begeleider' AND s.start_date <= :t AND s.end_date >= :t"),
            {"t": TODAY}).one()
        running = conn.execute(text(
            "SELECT COUNT(*) FROM stage s JOIN aios a ON a.id = s.aios_id JOIN user_account u ON u.id = a.user_id "
            "WHERE u.username = 'aios' AND s.start_date <= :t AND s.end_date >= :t"), {"t": TODAY}).scalar_one()
        assert running == 1  # one section "Stageverslag" on Mijn stage
        conn.execute(text("DELETE FROM stageverslag_versie WHERE stage_id = :s"), {"s": stage_id})
        conn.execute(text("UPDATE stageplan SET verslag_due = :d, verslag_handed_in = NULL WHERE stage_id = :s"),
                     {"d": TODAY - dt.timedelta(days=3), "s": stage_id})
    engine.dispose()
    return url, aios_name


@pytest.fixture(scope="module")
def server(late_stage):
    with running_app(late_stage[0]) as url:
        yield url


def _late_in_cohorten(browser, server, aios_name: str, name: str) -> tuple[str, bool]:  # noqa: F811
    """As the opleider on Cohorten: the count of "Stageverslag te laat" and whether the aios is
    in the download of the stages with that flag."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(server)
    wait_idle(page)
    login(page, "opleider", "demo")  # the opleider's first page is Cohorten
    expect_page(page, "Cohorten")
    tile = page.get_by_role("button", name=re.compile(r"Stageverslag te laat: \d+ van \d+"))
    expect(tile).to_have_count(1)
    shown = re.search(r"te laat: (\d+) van", tile.inner_text()).group(1)
    choose(page, page.get_by_label("Alleen stages met signaal"), "Stageverslag te laat")
    page.keyboard.press("Escape")  # close the list
    wait_idle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    listed = aios_name in Path(download.value.path()).read_bytes().decode("utf-8-sig")
    _shot(page, name)
    context.close()
    return shown, listed


def test_pdf_handed_in_opened_and_gelezen_and_the_late_flag_is_gone(browser, server, late_stage, phone):  # noqa: F811
    aios_name = late_stage[1]
    before, listed = _late_in_cohorten(browser, server, aios_name, "cohorten-voor")
    assert listed, "the aios' stage is flagged 'stageverslag te laat' before the hand-in"

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Stageverslag van mijn stage")
    content = bytes(pdf.output())

    # The aios: Mijn stage → Bestand uploaden → choose the file → save → Inleveren.
    aios = phone()
    started = time.monotonic()
    _login_at(aios, f"{server}/mijn_stage", "aios")
    expect_page(aios.page, "Mijn stage")
    expect(aios.page.get_by_text("Nog niet geschreven · inleveren uiterlijk")).to_be_visible()
    aios.click(aios.page.get_by_text("Bestand uploaden", exact=True))
    wait_idle(aios.page)
    uploader = aios.page.get_by_test_id("stFileUploaderDropzoneInput")
    expect(uploader).to_have_count(1)
    uploader.set_input_files({"name": "mijn verslag.pdf", "mimeType": "application/pdf", "buffer": content})
    aios.clicks += 1  # choosing the file is one tap in the phone's file picker
    expect(aios.page.get_by_text("mijn verslag.pdf")).to_be_visible()
    aios.click(aios.page.get_by_role("button", name="Nieuwe versie opslaan"))
    wait_idle(aios.page)
    expect(aios.page.get_by_text("Versie 1 is opgeslagen als concept")).to_be_visible()
    aios.click(aios.page.get_by_role("button", name="Inleveren (versie 1)"))
    wait_idle(aios.page)
    expect(aios.page.get_by_text(f"Stageverslag (versie 1) ingeleverd op {TODAY:%d-%m-%Y}")).to_be_visible()
    expect(aios.page.get_by_text(f"Ingeleverd op {TODAY:%d-%m-%Y} (3 dagen na de termijn)")).to_be_visible()
    _record("aios levert stageverslag in als PDF", aios, started)
    _shot(aios.page, "telefoon-aios-stageverslag-ingeleverd")

    # The begeleider: Mijn aios → the aios' card → Dossier → Stageplan → open → gelezen.
    bg = phone(accept_downloads=True)
    started = time.monotonic()
    _login_at(bg, f"{server}/mijn_aios", "begeleider")
    expect_page(bg.page, "Mijn aios")
    card = bg.page.get_by_test_id("stVerticalBlock").filter(has_text=aios_name).filter(
        has=bg.page.get_by_role("button", name="Dossier", exact=True)).last
    bg.click(card.get_by_role("button", name="Dossier", exact=True))
    expect_page(bg.page, "Aiosdossier")
    bg.click(bg.page.get_by_role("tab", name="Stageplan"))
    wait_idle(bg.page)
    open_button = bg.page.get_by_role("button", name="Openen: versie 1 (PDF")
    expect(open_button).to_have_count(1)
    wait_idle(bg.page)
    # The file is made (and audited) on the click, by the server: allow it the time of a page run.
    with bg.page.expect_download(timeout=90_000) as download:
        bg.click(open_button)
    assert Path(download.value.path()).read_bytes() == content
    assert download.value.suggested_filename.startswith("stageverslag_") and \
        download.value.suggested_filename.endswith("_versie1.pdf")
    bg.click(bg.page.get_by_role("button", name="Markeren als gelezen"))
    wait_idle(bg.page)
    expect(bg.page.get_by_text("Versie 1 van het stageverslag is gemarkeerd als gelezen")).to_be_visible()
    expect(bg.page.get_by_text(re.compile(rf"^Ingeleverd op {TODAY:%d-%m-%Y} \(3 dagen na de termijn\) · "
                                          rf"gelezen door .+ op {TODAY:%d-%m-%Y}$"))).to_have_count(1)
    _record("begeleider opent stageverslag en markeert gelezen", bg, started)
    _shot(bg.page, "telefoon-begeleider-stageverslag-gelezen")

    after, listed = _late_in_cohorten(browser, server, aios_name, "cohorten-na")
    assert not listed
    assert int(after) == int(before) - 1
