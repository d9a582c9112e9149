"""Browser tests at phone width (400×800): logging a gesprek from login to confirmation, and a
verslag drafted by the aios and confirmed by the begeleider. Each flow counts its clicks and
keystrokes and times itself; the figures go to artifacts/flows.json (for the issue note).

A server of its own: the lockout test in test_browser.py locks the begeleider login there.
"""

from __future__ import annotations

import json
import time

import pytest

from tests.test_browser import (  # fixtures and helpers, not tests
    ARTIFACTS,
    CHROMIUM,
    browser,  # noqa: F401 - a fixture
    expect,
    expect_page,
    server,  # noqa: F401 - a fixture
    server_db,  # noqa: F401 - a fixture
    shot,
    wait_idle,
)

from sample_data import DEMO_PASSWORD  # noqa: E402

assert CHROMIUM
FLOWS: dict[str, dict] = {}


class Counted:
    """A phone page that counts what a user does: clicks and keystrokes."""

    def __init__(self, page) -> None:
        self.page, self.clicks, self.keys = page, 0, 0

    def click(self, locator) -> None:
        locator.click()
        self.clicks += 1

    def type(self, locator, text: str) -> None:
        locator.click()
        self.clicks += 1
        locator.press_sequentially(text)
        self.keys += len(text)


@pytest.fixture
def phone(browser, server):  # noqa: F811
    context = browser.new_context(viewport={"width": 400, "height": 800}, locale="nl-NL", is_mobile=True,
                                  has_touch=True)
    yield context
    context.close()


def _login_at(p: Counted, url: str, username: str) -> None:
    p.page.goto(url)
    wait_idle(p.page)
    # One form only: right after loading, a rerun may briefly show a stale copy beside it.
    expect(p.page.get_by_label("Gebruikersnaam")).to_have_count(1)
    expect(p.page.get_by_label("Wachtwoord", exact=True)).to_have_count(1)
    wait_idle(p.page)
    p.type(p.page.get_by_label("Gebruikersnaam"), username)
    p.type(p.page.get_by_label("Wachtwoord", exact=True), DEMO_PASSWORD)
    p.click(p.page.get_by_role("button", name="Inloggen"))
    wait_idle(p.page)


def _choose_type(p: Counted, name: str) -> None:
    box = p.page.get_by_label("Soort gesprek")
    if name not in box.input_value():
        # Typed into the searchable list and chosen with Enter: on a phone the list opens under
        # the on-screen keyboard, so a tap on an option is not what a user does either.
        p.type(box, name)
        p.page.keyboard.press("Enter")
        p.keys += 1
        wait_idle(p.page)


def _record(name: str, p: Counted, started: float) -> None:
    FLOWS[name] = {"clicks": p.clicks, "keystrokes": p.keys, "seconds": round(time.monotonic() - started, 1)}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "flows.json").write_text(json.dumps(FLOWS, indent=2), encoding="utf-8")
    print(f"\n{name}: {FLOWS[name]}")


def test_a_begeleider_logs_a_begeleidingsgesprek_on_a_phone(phone, server):  # noqa: F811
    p = Counted(phone.new_page())
    started = time.monotonic()
    _login_at(p, f"{server}/gesprek_vastleggen", "begeleider")
    expect_page(p.page, "Gesprek vastleggen")
    _choose_type(p, "Begeleidingsgesprek")
    p.type(p.page.get_by_label("Besproken onderwerpen"), "Casus met agressie besproken")
    p.type(p.page.get_by_label("Afspraken"), "Volgende week KPB")
    p.click(p.page.get_by_role("button", name="Opslaan"))
    wait_idle(p.page)
    expect(p.page.get_by_text("is vastgelegd en vastgesteld")).to_be_visible()
    _record("begeleider logt begeleidingsgesprek", p, started)
    shot(p.page, "telefoon-gesprek-vastgelegd")
    # The form is empty again, ready for the next one.
    expect(p.page.get_by_label("Besproken onderwerpen")).to_have_value("")


def test_an_aios_drafts_a_verslag_and_the_begeleider_confirms_it(phone, server):  # noqa: F811
    aios = Counted(phone.new_page())
    started = time.monotonic()
    _login_at(aios, f"{server}/gesprek_vastleggen", "aios")
    expect_page(aios.page, "Gesprek vastleggen")
    _choose_type(aios, "Begeleidingsgesprek")
    aios.type(aios.page.get_by_label("Besproken onderwerpen"), "Feedback op mijn <b>rapportage</b>")
    aios.click(aios.page.get_by_role("button", name="Concept opslaan"))
    wait_idle(aios.page)
    expect(aios.page.get_by_text("als concept opgeslagen")).to_be_visible()
    _record("aios schrijft verslag (concept)", aios, started)
    shot(aios.page, "telefoon-aios-concept")

    begeleider_context = phone.browser.new_context(viewport={"width": 400, "height": 800}, locale="nl-NL",
                                                   is_mobile=True, has_touch=True)
    bg = Counted(begeleider_context.new_page())
    started = time.monotonic()
    _login_at(bg, f"{server}/gesprek_vastleggen", "begeleider")
    expect_page(bg.page, "Gesprek vastleggen")
    draft = bg.page.get_by_text("Feedback op mijn <b>rapportage</b>")  # shown as text, not as markup
    expect(draft).to_be_visible()
    # Drafts are listed oldest first: the one just written is the last.
    bg.click(bg.page.get_by_role("button", name="Vaststellen").last)
    wait_idle(bg.page)
    expect(bg.page.get_by_text("Vastgesteld: begeleidingsgesprek")).to_be_visible()
    _record("begeleider stelt verslag vast", bg, started)
    shot(bg.page, "telefoon-verslag-vastgesteld")
    begeleider_context.close()
