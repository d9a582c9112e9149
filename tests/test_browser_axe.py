"""Accessibility, measured with axe-core (WCAG 2.1 A and AA rules) on every page of every role
in real Chromium, and the gesprek form completed with the keyboard alone.

axe-core is installed by tests/run.sh (npm, the version pinned in tests/axe/package.json). A
violation in our own content fails the test; Streamlit's own (its page menu) are listed in
STREAMLIT_OWN and in the README (section Toegankelijkheid) with the Streamlit version, and the
test fails too when one of those disappears, so that the list stays true.

A server of its own, so that the lockout test in test_browser.py does not lock a login used here.
"""

from __future__ import annotations

import pytest
import streamlit

from data_access.models import Role
from sample_data import DEMO_PASSWORD, DEMO_USERNAMES
from tests.browser_walk import AXE, STREAMLIT_OWN, every_step, walk_of
from tests.test_browser import (  # fixtures and helpers, not tests
    browser,  # noqa: F401 - a fixture
    expect,
    expect_page,
    pick,
    server,  # noqa: F401 - a fixture
    server_db,  # noqa: F401 - a fixture
    wait_idle,
)

if not AXE.exists():
    pytest.skip("axe-core ontbreekt: tests/run.sh installeert het (npm)", allow_module_level=True)

STREAMLIT_VERSION = "1.67.0"


def test_streamlit_is_the_version_the_readme_lists_violations_for():
    assert streamlit.__version__ == STREAMLIT_VERSION


def _desktop(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    wait_idle(page)
    return context, page


@pytest.fixture
def desktop(browser, server):  # noqa: F811
    """On this module's own server: the test writes."""
    context, page = _desktop(browser, server)
    yield page
    context.close()


@pytest.mark.walk
@pytest.mark.parametrize("role", list(Role))
def test_every_page_of_every_role_has_no_accessibility_violation_of_ours(browser, demo_server, role):  # noqa: F811
    """The login screen, then every page and tab of the role at 1400 px (tests/browser_walk.py):
    no violation of ours, as (page, tab, each node); Streamlit's own are those the README lists."""
    found = walk_of(browser, demo_server, role, "desktop")
    assert [step for step in found.steps if not step[1]] == every_step(role)
    assert found.axe == []
    assert found.streamlit_axe == set(STREAMLIT_OWN)  # the README's list is still the true one


def test_a_begeleider_completes_the_gesprek_form_with_the_keyboard_alone(desktop):
    page = desktop
    keyboard = page.keyboard
    page.get_by_label("Gebruikersnaam").focus()  # where a screen reader user starts: the first field
    keyboard.type(DEMO_USERNAMES[Role.STAGEBEGELEIDER])
    keyboard.press("Enter")  # on to the password
    keyboard.type(DEMO_PASSWORD)
    keyboard.press("Enter")
    wait_idle(page)
    expect_page(page, "Mijn aios")
    page.goto(page.url.rsplit("/", 1)[0] + "/gesprek_vastleggen")
    wait_idle(page)
    expect_page(page, "Gesprek vastleggen")
    if page.get_by_label("Soort gesprek").input_value() != "Begeleidingsgesprek":
        page.get_by_label("Soort gesprek").focus()
        pick(page, "Begeleidingsgesprek")
        wait_idle(page)

    def tab_to(is_there: str, limit: int = 80) -> None:
        for _ in range(limit):
            keyboard.press("Tab")
            if page.evaluate(is_there):
                return
        raise AssertionError(f"niet bereikbaar met Tab: {is_there}")

    tab_to("() => document.activeElement.getAttribute('aria-label') === 'Besproken onderwerpen'")
    keyboard.type("Met het toetsenbord vastgelegd")
    tab_to("() => document.activeElement.getAttribute('aria-label') === 'Afspraken'", limit=5)
    keyboard.type("Volgende week weer")
    tab_to("() => document.activeElement.tagName === 'BUTTON' && document.activeElement.innerText.trim() === 'Opslaan'",
           limit=5)
    keyboard.press("Enter")
    wait_idle(page)
    expect(page.get_by_text("Begeleidingsgesprek met ").first).to_be_visible()
    expect(page.get_by_text("opgeslagen").first).to_be_visible()
