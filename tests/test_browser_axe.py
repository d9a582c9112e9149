"""Accessibility, measured with axe-core (WCAG 2.1 A and AA rules) on every page of every role
in real Chromium, and the gesprek form completed with the keyboard alone.

axe-core is installed by tests/run.sh (npm, the version pinned in tests/axe/package.json). A
violation in our own content fails the test; Streamlit's own (its page menu) are listed in
STREAMLIT_OWN and in the README (section Toegankelijkheid) with the Streamlit version, and the
test fails too when one of those disappears, so that the list stays true.

A server of its own, so that the lockout test in test_browser.py does not lock a login used here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit

from dashboard.navigation import specs_for
from data_access.models import Role
from sample_data import DEMO_PASSWORD, DEMO_USERNAMES
from tests.test_browser import (  # fixtures and helpers, not tests
    browser,  # noqa: F401 - a fixture
    expect,
    each_tab,
    expect_page,
    login,
    pick,
    server,  # noqa: F401 - a fixture
    server_db,  # noqa: F401 - a fixture
    shot,
    wait_idle,
)

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
if not AXE.exists():
    pytest.skip("axe-core ontbreekt: tests/run.sh installeert het (npm)", allow_module_level=True)

WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
STREAMLIT_VERSION = "1.67.0"
# Streamlit's own violations: rule → the element of Streamlit's that carries it. The page menu
# (st.navigation) is a <ul> whose section headers are not <li> items, and its <li> items then
# stand in a list that axe does not accept as one.
STREAMLIT_OWN = {
    "list": "[data-testid='stSidebarNavItems']",
    "listitem": "[data-testid='stSidebarNavItems'] li",
}

RUN_AXE = """async ([own]) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: %s}});
  const ours = [], theirs = [];
  for (const v of result.violations) {
    for (const node of v.nodes) {
      const el = document.querySelector(node.target[0]);
      const streamlit = own[v.id] && el && el.matches(own[v.id]);
      (streamlit ? theirs : ours).push(v.id + ': ' + node.target.join(' ') + ' ' + node.html.slice(0, 120));
    }
  }
  return {ours, theirs: [...new Set(result.violations.filter(v => own[v.id]).map(v => v.id))]};
}""" % WCAG21_AA


def axe_violations(page) -> tuple[list[str], set[str]]:
    """Ours (each node described) and the ids of Streamlit's own rules that were violated."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(RUN_AXE, [STREAMLIT_OWN])
    return found["ours"], set(found["theirs"])


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


@pytest.fixture
def reading_desktop(browser, demo_server):  # noqa: F811
    """On the run's shared demo server: the test only reads."""
    context, page = _desktop(browser, demo_server)
    yield page
    context.close()


@pytest.mark.parametrize("role", list(Role))
def test_every_page_of_every_role_has_no_accessibility_violation_of_ours(reading_desktop, role):
    page = reading_desktop
    ours, theirs = axe_violations(page)
    assert ("inlogscherm", ours) == ("inlogscherm", [])
    login(page, DEMO_USERNAMES[role], DEMO_PASSWORD)
    streamlit_seen: set[str] = set()
    for spec in specs_for(role):
        page.locator("[data-testid='stSidebarNavLink']", has_text=spec.title).first.click()
        wait_idle(page)
        expect_page(page, spec.title)
        for tab in each_tab(page):
            ours, theirs = axe_violations(page)
            streamlit_seen |= theirs
            if ours:
                shot(page, f"axe-{role.value}-{spec.file.removesuffix('.py')}")
            assert (spec.title, tab, ours) == (spec.title, tab, [])
    assert streamlit_seen == set(STREAMLIT_OWN)  # the README's list is still the true one


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
