"""User text is text in Chromium: names and free text with markdown, a Streamlit colour, a
link, an external image (a tracking pixel at 127.0.0.1:9) and HTML show as typed, and the
page requests nothing from 127.0.0.1:9. One role (the stagebegeleider: cards, dossier with the
leerdoelen table and verslagen, forms with radio options, the sidebar), every page of it; and
the dossier PDF is audited when its button is clicked, not when the page is shown."""

from __future__ import annotations


import pytest
from sqlalchemy import select

from dashboard.navigation import specs_for
from data_access.db import make_engine
from data_access.models import AuditLog, Role
from sample_data import DEMO_PASSWORD, DEMO_USERNAMES
from tests.payload import PAYLOAD, poisoned_demo_database
from tests.servers import running_app
from tests.test_browser import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    IDLE,
    WatchedBrowser,
    each_tab,
    expect_page,
    login,
    wait_idle,
)

from playwright.sync_api import sync_playwright  # noqa: E402  (after test_browser's skip without Chromium)

PIXEL = "127.0.0.1:9"


def _exports(db_url: str) -> list[tuple]:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(select(AuditLog.entity, AuditLog.after).where(AuditLog.action == "geëxporteerd")).all()
    engine.dispose()
    return [(entity, after["soort"]) for entity, after in rows]


@pytest.fixture(scope="module")
def poisoned_server(tmp_path_factory, demo_template):
    url = poisoned_demo_database(demo_template, tmp_path_factory.mktemp("browser_literal"))
    with running_app(url) as base:
        yield base, url


def test_user_text_is_shown_as_typed_and_loads_nothing_in_chromium(poisoned_server):
    server, db_url = poisoned_server
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = WatchedBrowser(pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS))
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
        context.on("request", lambda r: requests.append(r.url))
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(server)
        page.wait_for_selector(IDLE)
        login(page, DEMO_USERNAMES[Role.STAGEBEGELEIDER], DEMO_PASSWORD)
        seen = {}
        for spec in specs_for(Role.STAGEBEGELEIDER):
            page.locator("[data-testid='stSidebarNavLink']").filter(has_text=spec.title).first.click()
            wait_idle(page)
            expect_page(page, spec.title)
            found = {"payload": False, "links": 0, "images": 0, "bold x": 0, "html b": 0, "colour": 0}
            for _tab in each_tab(page):  # a tab runs only when chosen
                # Every image the page holds has loaded or failed, and the fonts are in: any request
                # the text could have made is made.
                page.wait_for_function("() => [...document.images].every((i) => i.complete)")
                page.evaluate("() => document.fonts.ready.then(() => true)")
                text = page.evaluate("() => document.body.innerText").replace("\u2060", "")
                found["payload"] |= text.count(PAYLOAD) > 0
                found["links"] += page.locator("a[href*='example.invalid']").count()
                found["images"] += page.locator(f"img[src*='{PIXEL}']").count()
                found["bold x"] += page.locator("strong", has_text="x").filter(has_not_text=" ").count()
                found["html b"] += page.locator("b", has_text="z").count()
                found["colour"] += page.locator(".stMarkdownColoredText").count()
            seen[spec.file] = found
            if spec.file == "aios.py":  # a download of personal data is audited on the click
                assert _exports(db_url) == []
                with page.expect_download() as download:
                    page.get_by_role("button", name="Samenvatting (PDF)").click()
                assert download.value.suggested_filename.endswith(".pdf")
                assert [(e, s) for e, s in _exports(db_url)] == [("aios", "samenvatting (PDF)")]
        browser.close()
    assert seen == {spec.file: {"payload": True, "links": 0, "images": 0, "bold x": 0, "html b": 0, "colour": 0}
                    for spec in specs_for(Role.STAGEBEGELEIDER)}
    assert [r for r in requests if PIXEL in r] == []
