"""One walk through every page and every tab of a role, in real Chromium, on the run's shared
demo server (only reading), with three checks on the way:

- nothing on screen twice: a watcher records, at every frame drawn after a DOM change, any
  heading or form label that is on screen more than once (tests/test_browser_sessions.py);
- not one English word a user can see or hear: visible text, placeholders, titles and aria
  labels, with the toolbars, menus and hints opened, and `<html lang="nl">` (desktop;
  tests/test_browser_dutch.py);
- no accessibility violation of ours, by axe-core (WCAG 2.1 A and AA; desktop;
  tests/test_browser_axe.py).

A walk is made once per test process for each role and screen and kept (`walk_of`): the tests
of one role are one xdist group (tests/conftest.py), so each walk is made once per run; three
walks of every page per role cost more than a third of the browser tests' time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.navigation import specs_for
from data_access.models import Role
from sample_data import DEMO_PASSWORD, DEMO_USERNAMES
from tests.test_browser import each_tab, expect_login_form, expect_page, login, shot, wait_idle
from tests.test_browser_phone import PHONE

DESKTOP = {"viewport": {"width": 1400, "height": 900}, "locale": "nl-NL"}
SCREENS = {"desktop": DESKTOP, "telefoon": PHONE}

# --- nothing on screen twice ---------------------------------------------------------------------

# Records, at every frame drawn after a DOM change, any heading or form label that is on screen
# more than once. Only what is visible counts: the page holds wide-only and phone-only twins
# (dashboard.layout), one of them hidden by CSS, and the tabs not chosen are hidden. A radio option
# is keyed by its question. `window.__where` says which page and tab the walk is on.
DUPLICATE_WATCH = """
(() => {
  window.__dups = [];
  window.__where = 'inloggen';
  const check = () => {
    const seen = {};
    for (const el of document.querySelectorAll('h1, h2, h3, label')) {
      if (el.closest('[data-testid="stSidebar"]')) continue;
      if (!el.checkVisibility()) continue;
      const text = (el.innerText || '').trim();
      if (!text) continue;
      // A radio's options are labels too: "1".."5" or "voldoende" under every question is no
      // double. An option counts once per question: twice the same question still shows.
      const group = el.closest('[role="radiogroup"]');
      const question = group && (el.closest('[data-testid="stRadio"]')?.querySelector('[data-testid="stWidgetLabel"]')
                                 ?.textContent || group.getAttribute('aria-label') || '').trim();
      const key = group ? 'OPTION:' + question + ' / ' + text : el.tagName + ':' + text;
      seen[key] = (seen[key] || 0) + 1;
    }
    for (const [k, n] of Object.entries(seen)) if (n > 1) window.__dups.push(window.__where + ': ' + k + ' x' + n);
  };
  // Checked once per drawn frame, not per mutation: what is on screen twice is what a frame
  // shows (a Streamlit rerun makes thousands of mutations between two frames).
  let queued = false;
  const atNextFrame = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; check(); });
  };
  new MutationObserver(atNextFrame).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
})();
"""

# --- only Dutch ------------------------------------------------------------------------------------

# Streamlit's own English (toolbars, hints, placeholders, aria labels, Vega's chart descriptions).
# Whole words, case as Streamlit writes them.
ENGLISH = [
    "Show", "Hide", "Download as", "Copy", "Select all", "No results", "Press Enter", "Choose",
    "option", "Expand", "Collapse", "password", "Link to", "Fullscreen", "Search", "Clear",
    "yyyy", "YYYY", "Selected", "start date", "end date", "day,", "month,", "year,", "Upload",
    "per file", "Drag and drop", "Page not found", "Skip to", "Sidebar", "Running", "Close", "Open",
    "Increment", "Decrement", "axis", "legend", "scale", "Previous", "Next", "Main menu", "page",
    "submit", "columns", "Sort", "Please", "Loading", "Error", "Help for",
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
    text_field = page.locator("[data-testid='stForm'] [data-testid='stTextInputField'] >> visible=true").first
    if text_field.count():
        text_field.click()
        page.keyboard.type("a")
        page.wait_for_timeout(200)


# --- accessibility -------------------------------------------------------------------------------

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
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


# --- the walk --------------------------------------------------------------------------------------


@dataclass
class Walk:
    """What one walk found. Each step is (page title, tab); '' is the page as it opened."""

    steps: list[tuple[str, str]] = field(default_factory=list)
    twice: list[str] = field(default_factory=list)  # 'page / tab: H2:Titel x2'
    english: list[tuple[str, str, str, list]] = field(default_factory=list)  # (page, tab, lang, hits)
    axe: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (page, tab, ours)
    streamlit_axe: set[str] = field(default_factory=set)


def nav_link(page, title: str):
    # A link's text is its icon's ligature name followed by the title: match the title at the end.
    return page.locator("[data-testid='stSidebar'] [data-testid='stSidebarNavLink']",
                        has_text=re.compile(re.escape(title) + r"\s*$"))


def _check(page, found: Walk, role: Role, where: tuple[str, str], desktop: bool) -> None:
    found.steps.append(where)
    if not desktop:
        return
    ours, theirs = axe_violations(page)  # before the Dutch check opens menus and types
    found.streamlit_axe |= theirs
    if ours:
        found.axe.append((*where, ours))
        shot(page, f"axe-{role.value}-{where[0]}")
    reveal_streamlit_texts(page)
    lang, hits = english_on(page)
    if (lang, hits) != ("nl", []):
        found.english.append((*where, lang, hits))
        shot(page, f"engels-{role.value}-{where[0]}")


def _walk(browser, url: str, role: Role, screen: str) -> Walk:
    desktop = screen == "desktop"
    context = browser.new_context(**SCREENS[screen])
    context.add_init_script(DUPLICATE_WATCH)
    page = context.new_page()
    page.set_default_timeout(60_000)
    found = Walk()
    try:
        page.goto(url)
        wait_idle(page)
        # The app's shell is in place once dashboard.dutch's script has run. Streamlit loads the
        # code that runs an st.html script lazily, on a page's first visit, so the login form can
        # be drawn a moment before it: lang and two hidden English labels until then.
        page.wait_for_function("() => window.__stageDutch === true")
        expect_login_form(page)
        _check(page, found, role, ("inlogscherm", ""), desktop)
        login(page, DEMO_USERNAMES[role], DEMO_PASSWORD)
        specs = specs_for(role)
        expect_page(page, specs[0].title)
        for spec in specs:
            page.evaluate("(where) => { window.__where = where; }", spec.title)
            if not desktop:
                page.get_by_role("button", name="Menu openen").click()
            nav_link(page, spec.title).click()
            expect_page(page, spec.title)
            for tab in each_tab(page):
                page.evaluate("(where) => { window.__where = where; }", f"{spec.title} / {tab}" if tab else spec.title)
                _check(page, found, role, (spec.title, tab), desktop)
        page.evaluate("() => { window.__where = 'uitloggen'; }")
        if not desktop:
            page.get_by_role("button", name="Menu openen").click()
        page.get_by_role("button", name="Uitloggen").click()
        expect_login_form(page)
        found.twice = page.evaluate("window.__dups")
    finally:
        context.close()
    return found


_WALKS: dict[tuple[Role, str], Walk] = {}


def walk_of(browser, url: str, role: Role, screen: str) -> Walk:
    """The walk of `role` on `screen` ('desktop', 1400 px, or 'telefoon', 390 px), made once per
    test process."""
    if (role, screen) not in _WALKS:
        _WALKS[role, screen] = _walk(browser, url, role, screen)
    return _WALKS[role, screen]


def every_step(role: Role) -> list[tuple[str, str]]:
    """The steps a walk must have made: the login screen, then each page of the role."""
    return [("inlogscherm", "")] + [(spec.title, "") for spec in specs_for(role)]
