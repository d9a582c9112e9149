"""Browser test at phone width (390×844): every chart a begeleider opens fits the phone, and where
a chart cannot (long names beside the bars) a table stands in its place and the chart is not
shown. Beoordelingen (each tab), Feedback (each tab) and a stageplaats opened from the overview.
A table's toolbar, shown on a tap, keeps clear of the tab strip.

A server of its own (tests/test_browser.py's fixtures); the phone is tests/test_browser_phone.py's.
Screenshots: artifacts/telefoon-grafiek-*.png.
"""

from __future__ import annotations

import re

from sample_data import DEMO_PASSWORD
from tests.test_browser import (  # fixtures and helpers, not tests
    CHROMIUM,
    browser,  # noqa: F401 - a fixture
    each_tab,
    expect,
    expect_page,
    login,
    server,  # noqa: F401 - a fixture
    server_db,  # noqa: F401 - a fixture
    shot,
    wait_idle,
)
from tests.test_browser_phone import phone  # noqa: F401 - a fixture

assert CHROMIUM
WIDTH = 390
CHART = "[data-testid='stVegaLiteChart']"
VISIBLE_TABLE = "[data-testid='stMain'] [data-testid='stDataFrame'] >> visible=true"
MIN_HEIGHT = 150

# What a phone shows of the page's width, and every visible chart with the right edge of what it
# draws (a Vega canvas or svg wider than its box is cut off at the box's edge).
MEASURE = """() => {
  const charts = [...document.querySelectorAll("[data-testid='stVegaLiteChart']")]
    .filter((el) => el.checkVisibility())
    .map((el) => {
      const box = el.getBoundingClientRect();
      const drawn = [...el.querySelectorAll('canvas, svg')].filter((d) => d.checkVisibility())
        .map((d) => d.getBoundingClientRect());
      return {left: box.left, width: box.width, right: box.right, height: box.height,
              drawnRight: Math.max(box.right, ...drawn.map((d) => d.right)),
              drawnLeft: Math.min(box.left, ...drawn.map((d) => d.left)),
              drawnBottom: Math.max(box.bottom, ...drawn.map((d) => d.bottom)), bottom: box.bottom};
    });
  return {scrollWidth: document.documentElement.scrollWidth, charts};
}"""

# Every visible chart has drawn its canvas or svg (Vega draws after the script run has ended).
DRAWN = """() => [...document.querySelectorAll("[data-testid='stVegaLiteChart']")]
  .filter((el) => el.checkVisibility())
  .every((el) => [...el.querySelectorAll('canvas, svg')]
    .some((d) => d.checkVisibility() && d.getBoundingClientRect().width > 0))"""

# Per page and tab: how many charts a phone shows there (0 where a table replaces the chart).
CHARTS_ON_A_PHONE = {
    ("Beoordelingen", ""): 0,  # Verdeling: a table per criterion
    ("Beoordelingen", "Zelf en begeleider"): 0,
    ("Beoordelingen", "Beoordelaars"): 0,
    ("Beoordelingen", "Vergelijken"): 0,
    ("Feedback", ""): 0,  # Per aios: the heatmap's table
    ("Feedback", "Per stageplaats"): 0,
    ("Feedback", "Per begeleider"): 0,
    ("Feedback", "Trend"): 0,  # the begeleider's own aios: too few aios-weeks a week, said in words
    ("Feedback", "Feedbackvragen"): 0,
}
# The tabs where a table stands in for a chart: a visible table is there.
TABLE_INSTEAD = {("Beoordelingen", ""), ("Beoordelingen", "Zelf en begeleider"), ("Beoordelingen", "Beoordelaars"),
                 ("Feedback", ""), ("Feedback", "Per stageplaats"), ("Feedback", "Per begeleider")}


def _open(page, title: str) -> None:
    page.get_by_role("button", name="Menu openen").click()
    page.locator("[data-testid='stSidebar'] [data-testid='stSidebarNavLink']",
                 has_text=re.compile(re.escape(title) + r"\s*$")).click()
    expect_page(page, title)


def _fits(page, where: str) -> int:
    """Nothing is wider than the phone; returns the number of charts shown."""
    page.wait_for_function(DRAWN)  # Vega draws after the script run
    seen = page.evaluate(MEASURE)
    assert seen["scrollWidth"] <= WIDTH, (where, seen)
    for chart in seen["charts"]:
        assert chart["width"] <= WIDTH and chart["right"] <= WIDTH + 0.5 and chart["left"] >= 0, (where, chart)
        assert chart["drawnRight"] <= chart["right"] + 0.5 and chart["drawnLeft"] >= chart["left"] - 0.5, (where, chart)
        assert chart["drawnBottom"] <= chart["bottom"] + 0.5, (where, chart)
        # Not squashed into a sliver (a short chart whose title and legend took its plot's height).
        assert chart["height"] >= MIN_HEIGHT, (where, chart)
    return len(seen["charts"])


def _shot(page, name: str) -> None:
    """The whole page at phone width: Streamlit scrolls inside its main block, so a page
    screenshot shows one screen; the window is made as high as the page for the picture."""
    high = page.evaluate("() => document.querySelector(\"[data-testid='stMain']\").scrollHeight")
    page.set_viewport_size({"width": WIDTH, "height": max(844, high)})
    page.wait_for_function(DRAWN)
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")  # laid out
    shot(page, name)
    page.set_viewport_size({"width": WIDTH, "height": 844})


def _visible_tables(page) -> int:
    return page.locator(VISIBLE_TABLE).count()


def _toolbar_clear_of_the_tabs(page, where) -> None:
    """A tap on the tab's first table shows Streamlit's toolbar above it: it lies below the tab
    strip, not over its right end (where the strip scrolls to its last tabs)."""
    table = page.locator(VISIBLE_TABLE).first
    table.tap()
    toolbar = table.locator("[data-testid='stElementToolbar']")
    expect(toolbar).to_be_visible()
    bar = toolbar.bounding_box()
    tabs = page.locator("[data-testid='stMain'] [role='tablist']").first.bounding_box()
    assert bar["y"] >= tabs["y"] + tabs["height"] - 0.5, (where, bar, tabs)


def _logged_in(phone, server, username: str, first_page: str):  # noqa: F811
    """A new phone, logged in as `username`, on that role's first page."""
    page = phone().page
    page.goto(server)
    wait_idle(page)
    login(page, username, DEMO_PASSWORD)
    expect_page(page, first_page)
    return page


def test_a_begeleider_on_a_phone_sees_every_chart_fit_or_a_table_instead(phone, server):  # noqa: F811
    page = _logged_in(phone, server, "begeleider", "Mijn aios")
    seen = {}
    for title in ("Beoordelingen", "Feedback"):
        _open(page, title)
        for tab in each_tab(page):
            where = (title, tab)
            seen[where] = _fits(page, f"{title} / {tab}")
            # Charts in a wide-only container are never shown on a phone.
            expect(page.locator(f"[class*='st-key-breed-'] {CHART} >> visible=true")).to_have_count(0)
            if where in TABLE_INSTEAD and not page.locator("[data-testid='stMain'] [data-testid='stAlert']").count():
                # Waits: on a loaded machine the tab's tables can come after its first element.
                expect(page.locator(VISIBLE_TABLE).first).to_be_visible()
            if _visible_tables(page):
                _toolbar_clear_of_the_tabs(page, where)
            if where == ("Feedback", "Trend"):
                expect(page.get_by_text("te weinig om een trend te tonen")).to_be_visible()
            _shot(page, f"telefoon-grafiek-{title.lower()}-{(tab or 'eerste').lower().replace(' ', '-')}")
    assert seen == CHARTS_ON_A_PHONE

    # A stageplaats opened from the overview: the first (worst first) with enough ratings to
    # show its distribution and trend; a row is 35 px high under a 35 px header.
    _open(page, "Stageplaatsen")
    grid = page.locator("[data-testid='stDataFrame'] >> visible=true").first
    too_few = page.get_by_text("Te weinig beoordelingen (n=")
    for row in range(8):
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 16, box["y"] + 35 + 17 + 35 * row)  # the row's selection box
        wait_idle(page)
        expect(page.locator("[data-testid='stMain'] h3")).to_have_count(1)  # the site's name
        if too_few.count() == 0:
            break
    assert too_few.count() == 0, "geen stageplaats met genoeg beoordelingen in de eerste acht rijen"
    page.locator(CHART).last.scroll_into_view_if_needed()
    assert _fits(page, "Stageplaatsen / stageplaats") == 2  # the distribution and the trend
    _shot(page, "telefoon-grafiek-stageplaats")


def test_the_feedback_trend_with_its_cohorts_fits_a_phone(phone, server):  # noqa: F811
    """The trend has data for the opleider (all cohorts): the chart itself at 390 px."""
    page = _logged_in(phone, server, "opleider", "Cohorten")
    _open(page, "Feedback")
    page.locator("[data-testid='stMain']").get_by_role("tab", name="Trend", exact=True).click()
    wait_idle(page)
    expect(page.locator(f"{CHART} >> visible=true")).to_have_count(1)
    page.locator(CHART).first.scroll_into_view_if_needed()
    assert _fits(page, "Feedback / Trend (opleider)") == 1
    _shot(page, "telefoon-grafiek-feedback-trend-opleider")
