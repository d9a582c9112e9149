"""Not one English word a user can see or hear: every page of every role in real Chromium, with
the toolbars, menus and dropdowns opened, read back as visible text, placeholders, titles and
aria labels (what a screen reader speaks), and `<html lang="nl">`.

On the run's shared demo server (only reading): the lockout test in test_browser.py locks a login
on its own module's server, never here.
"""

from __future__ import annotations

import re

import pytest

from dashboard.navigation import specs_for
from data_access.models import Role
from sample_data import DEMO_PASSWORD, DEMO_USERNAMES
from tests.test_browser import (  # fixtures and helpers, not tests
    browser,  # noqa: F401 - a fixture
    each_tab,
    expect_page,
    login,
    shot,
    wait_idle,
)

# Streamlit's own English (toolbars, hints, placeholders, aria labels, Vega's chart descriptions).
# Whole words, case as Streamlit writes them.
ENGLISH = [
    "Show", "Hide", "Download as", "Copy", "Select all", "No results", "Press Enter", "Choose",
    "option", "Expand", "Collapse", "password", "Link to", "Fullscreen", "Search", "Clear",
    "yyyy", "YYYY", "Selected", "start date", "end date", "day,", "month,", "year,", "Upload",
    "per file", "Drag and drop", "Page not found", "Skip to", "Sidebar", "Running", "Close", "Open",
    "Increment", "Decrement", "axis", "legend", "scale", "Previous", "Next", "Main menu", "page",
    "submit", "columns", "Sort", "Please", "Loading", "Error",
]
ENGLISH_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![\w-])")

READ_PAGE = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => n.parentElement && n.parentElement.closest('script, style, noscript')
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  while (walker.nextNode()) {
    const text = walker.currentNode.nodeValue.trim();
    if (text) found.push(['tekst', text]);
  }
  for (const el of document.querySelectorAll('[placeholder], [title], [aria-label], [alt], [aria-roledescription]')) {
    for (const name of ['placeholder', 'title', 'aria-label', 'alt', 'aria-roledescription']) {
      const value = el.getAttribute(name);
      if (value) found.push([name, value]);
    }
  }
  return {lang: document.documentElement.lang, found};
}"""


def english_on(page) -> tuple[str, list[tuple[str, str]]]:
    seen = page.evaluate(READ_PAGE)
    hits = sorted({(kind, text[:120]) for kind, text in seen["found"] if ENGLISH_RE.search(text)})
    return seen["lang"], hits


def reveal_streamlit_texts(page) -> None:
    """Hover charts and tables (their toolbars), open the first multiselect (its dropdown) and
    type in the first form field (the 'press Enter' hint): where Streamlit keeps its English."""
    for selector in ("[data-testid='stVegaLiteChart']", "[data-testid='stDataFrame']"):
        for element in page.locator(f"{selector} >> visible=true").all()[:2]:
            element.hover()
            page.wait_for_timeout(200)
    multiselect = page.locator("[data-testid='stMultiSelect'] input >> visible=true").first
    if multiselect.count():
        multiselect.click()
        page.wait_for_timeout(200)
        page.keyboard.press("Escape")
    field = page.locator("[data-testid='stForm'] [data-testid='stTextInputField'] >> visible=true").first
    if field.count():
        field.click()
        page.keyboard.type("a")
        page.wait_for_timeout(200)


@pytest.mark.parametrize("role", list(Role))
def test_every_page_of_every_role_speaks_only_dutch(page_at_desktop, role):
    page = page_at_desktop
    assert english_on(page) == ("nl", []), "inlogscherm"
    login(page, DEMO_USERNAMES[role], DEMO_PASSWORD)
    for spec in specs_for(role):
        page.locator("[data-testid='stSidebarNavLink']", has_text=spec.title).first.click()
        wait_idle(page)
        expect_page(page, spec.title)
        for tab in each_tab(page):
            reveal_streamlit_texts(page)
            lang, hits = english_on(page)
            if hits:
                shot(page, f"engels-{role.value}-{spec.file.removesuffix('.py')}")
            assert (spec.title, tab, lang, hits) == (spec.title, tab, "nl", [])


@pytest.fixture
def page_at_desktop(browser, demo_server):  # noqa: F811 - the imported fixture
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(demo_server)
    wait_idle(page)
    # The app's shell is in place once dashboard.dutch's script has run. Streamlit loads the code
    # that runs an st.html script lazily, on a page's first visit, so the login form can be drawn
    # a moment before it (on a loaded machine up to a second): lang and two hidden English labels
    # ("Skip to main content", "Link to heading") until then.
    page.wait_for_function("() => window.__stageDutch === true")
    yield page
    context.close()


def test_a_bookmark_of_a_roles_first_page_opens_it_without_page_not_found(page_at_desktop, demo_server):
    page = page_at_desktop
    login(page, DEMO_USERNAMES[Role.INSTITUUTSOPLEIDER], DEMO_PASSWORD)
    expect_page(page, "Cohorten")
    page.goto(f"{demo_server}/cohorten")  # a new session from the bookmark, logged in by the cookie
    wait_idle(page)
    expect_page(page, "Cohorten")
    assert page.get_by_text("Pagina niet gevonden").count() == 0
    assert page.get_by_role("dialog").count() == 0
