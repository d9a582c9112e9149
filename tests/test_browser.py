"""Browser tests: the real app on a loopback port, driven in Debian's headless Chromium.

The server starts on an empty SQLite file, so the first-start path (migrations + demo data) is
exercised too. Screenshots go to the git-ignored artifacts/ folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dashboard.auth import LOCKED, WRONG_PASSWORD
from dashboard.navigation import specs_for
from data_access import clock
from data_access.accounts import LOCK_AFTER_FAILURES
from data_access.models import Role
from sample_data import DEMO_PASSWORD, DEMO_USERNAMES
from tests.demo_db import demo_copy
from tests.servers import running_app

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "artifacts"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"

if not Path(CHROMIUM).exists():
    if IN_CI:
        raise RuntimeError("Chromium (/usr/bin/chromium) is vereist onder CI=true")
    pytest.skip("Chromium niet gevonden; installeer het Debian-pakket chromium", allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

expect.set_options(timeout=20_000)


# This module's server starts on an empty file, so the first-start path (migrations, the demo
# data, the notice that says so) runs in a real browser once per run; every other module's server
# starts on a copy of the demo database the run made once (tests/demo_db.py).
SERVER_STARTS_EMPTY = True


@pytest.fixture(scope="module")
def server_db(request, tmp_path_factory, demo_template) -> str:
    """The server's database: a copy of the run's demo database, or an empty file that the app
    fills on its first start where the module says SERVER_STARTS_EMPTY."""
    folder = tmp_path_factory.mktemp("browser")
    if getattr(request.module, "SERVER_STARTS_EMPTY", False):
        return f"sqlite:///{folder / 'app.sqlite'}"
    return demo_copy(demo_template, folder, "app.sqlite")


@pytest.fixture(scope="module")
def server(server_db):
    """The module's own app server, for tests that write or count what one user did."""
    with running_app(server_db) as url:
        yield url


# Which script runs the page asked for and which ended, for `wait_idle`: the time of the last
# message the page sent the server (a widget change, a click, a page change: each asks a run),
# the times at which the app's run state last became "running" and "notRunning", and which
# "notRunning" has been drawn: two animation frames after it (frames, not a clock).
RUN_WATCH = """
(() => {
  const watch = window.__runWatch = {sentAt: 0, startedAt: 0, finishedAt: 0, drawnAt: 0};
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) { watch.sentAt = performance.now(); return send.call(this, data); };
  new MutationObserver((changes) => {
    for (const change of changes) {
      const state = change.target.getAttribute('data-test-script-state');
      if (state === 'running') watch.startedAt = performance.now();
      if (state === 'notRunning') {
        const at = watch.finishedAt = performance.now();
        requestAnimationFrame(() => requestAnimationFrame(() => { watch.drawnAt = at; }));
      }
    }
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
})();
"""
# The app is idle when it is not running and the run asked for last has ended: nothing was sent
# since the last run ended, or the message sent started no run (not every message asks for
# one: such a message lets go after 300 ms without a run). And the end has been drawn:
# Streamlit marks the state "notRunning" one render before it removes the elements the run did
# not draw again, so just after it a page can show an element twice (seen in CI: two expanders
# after a run that drew fewer elements above them). Two frames later both renders are on screen.
IS_IDLE = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const w = window.__runWatch;
  if (w.drawnAt !== w.finishedAt) return false;
  return w.sentAt <= w.finishedAt || (w.startedAt < w.sentAt && performance.now() - w.sentAt > 300);
}"""


class WatchedBrowser:
    """Chromium whose every page carries RUN_WATCH, so `wait_idle` waits on the app's state."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.add_init_script(RUN_WATCH)
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield WatchedBrowser(b)
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    p = context.new_page()
    p.set_default_timeout(60_000)
    p.goto(server)
    p.wait_for_selector(IDLE)
    yield p
    context.close()


def wait_idle(page: Page) -> None:
    """Until the run the last click or change asked for has ended (RUN_WATCH), not a fixed time."""
    page.wait_for_function(IS_IDLE, polling=20)


def pick(page: Page, typed: str) -> None:
    """In a selectbox or multiselect that has the focus: type into its search, and Enter once the
    list shows the match highlighted. The list (react-aria) filters and then highlights its first
    option a moment later; an Enter before that picks nothing, so wait for what the user sees."""
    page.keyboard.type(typed)
    expect(page.locator("[role='option'][data-focused='true']")).to_contain_text(typed)
    page.keyboard.press("Enter")


def each_tab(page: Page):
    """The page as it opened, then with each of its other tabs chosen in turn: a page's tabs run
    only when chosen (dashboard.layout.lazy_tabs), so a check of every page checks every tab.
    Yields the tab's name ('' for the page as it opened)."""
    yield ""
    names = page.locator("[data-testid='stMain'] [role='tab']").all_inner_texts()
    for name in names[1:]:
        page.locator("[data-testid='stMain']").get_by_role("tab", name=name, exact=True).click()
        wait_idle(page)
        expect(page.locator("[data-testid='stMain']").get_by_role("tab", name=name, exact=True)).to_have_attribute(
            "aria-selected", "true")
        yield name


def expect_expanded(summary) -> None:
    """An expander whose title (summary) was just tapped has opened, and finished opening.
    Streamlit animates the opening and clips the content meanwhile (overflow: hidden); a tap inside
    then scrolls the clipped box, and any scroll closes a selectbox's list at once."""
    details = summary.locator("xpath=..")
    expect(details).to_have_attribute("open", "")
    expect(details).to_have_css("overflow", "visible")


def choose(page: Page, box, typed: str) -> None:
    """A selectbox or multiselect chosen as a user does: tap it, type, Enter (see `pick`)."""
    box.click()
    pick(page, typed)


def login(page: Page, username: str, password: str) -> None:
    # One form only: during a rerun the stale form may still stand beside the new one.
    expect_login_form(page)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Inloggen").click()
    wait_idle(page)


def expect_page(page: Page, title: str) -> None:
    """The page's heading, once: while a rerun is under way Streamlit still shows the stale
    elements beside the new ones (after login the cookie component triggers one more run)."""
    heading = page.get_by_role("heading", name=title)
    expect(heading).to_have_count(1)
    wait_idle(page)
    expect(heading).to_be_visible()


def expect_login_form(page: Page) -> None:
    password = page.get_by_label("Wachtwoord", exact=True)
    expect(password).to_have_count(1)
    wait_idle(page)
    expect(password).to_be_visible()


def nav_titles(page: Page) -> list[str]:
    # A link's text starts with its material icon's ligature name; the title is the last line.
    return [t.strip().splitlines()[-1] for t in page.locator("[data-testid='stSidebarNavLink']").all_inner_texts()]


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_login_page_of_a_first_start_says_the_demo_data_was_made(page):
    expect(page.get_by_text("Inloggen").first).to_be_visible()
    expect(page.get_by_text("Bij de eerste start van deze server is de database aangemaakt en gevuld met "
                            "demogegevens.")).to_be_visible()
    shot(page, "login")


@pytest.mark.parametrize("role", list(Role))
def test_role_logs_in_sees_its_pages_stays_logged_in_and_logs_out(page, role):
    login(page, DEMO_USERNAMES[role], DEMO_PASSWORD)
    first = specs_for(role)[0].title
    expect_page(page, first)
    assert nav_titles(page) == [spec.title for spec in specs_for(role)]
    expect(page.get_by_text("Demo-omgeving")).to_be_visible()
    shot(page, f"rol-{role.value}")

    page.reload()
    wait_idle(page)
    expect_page(page, first)
    expect(page.get_by_label("Wachtwoord", exact=True)).to_have_count(0)

    page.get_by_role("button", name="Uitloggen").click()
    wait_idle(page)
    expect_login_form(page)
    page.reload()
    wait_idle(page)
    expect_login_form(page)


def test_wrong_password_shows_the_message(page):
    login(page, "opleider", "verkeerd")
    expect(page.get_by_text(WRONG_PASSWORD)).to_be_visible()


def test_sixth_attempt_is_refused_even_with_the_right_password(page):
    for _ in range(LOCK_AFTER_FAILURES):
        login(page, "begeleider", "verkeerd")
    login(page, "begeleider", DEMO_PASSWORD)
    expect(page.get_by_text(LOCKED)).to_be_visible()
    expect(page.get_by_role("heading", name="Mijn aios")).to_have_count(0)
    shot(page, "geblokkeerd")


def test_a_page_of_another_role_is_not_reachable_by_url(page, server):
    # The aios login: the lockout test above leaves the begeleider locked on this server.
    login(page, "aios", DEMO_PASSWORD)
    expect_page(page, "Mijn stage")
    page.goto(f"{server}/cohorten")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Cohorten")).to_have_count(0)
    expect_page(page, "Mijn stage")


def _expected_cohort_rows(db_url: str):
    """What the opleider's cohort page shows by default, computed from the server's database."""

    from data_access.db import make_engine
    from data_access.flags import FLAG_KINDS, add_flags, count_flags, select_flagged
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
    finally:
        engine.dispose()
    counts = count_flags(progress)
    kind = next(k for k in FLAG_KINDS if counts[k] > 0)
    return kind, FLAG_KINDS[kind], select_flagged(progress, (kind,))


def test_opleider_filters_on_a_flag_downloads_excel_and_opens_an_aios(page, server_db, tmp_path):
    import openpyxl

    login(page, "opleider", DEMO_PASSWORD)
    expect_page(page, "Cohorten")
    kind, label, expected = _expected_cohort_rows(server_db)
    assert len(expected) > 0

    page.get_by_label("Alleen stages met signaal").click()
    page.get_by_role("option", name=label).click()
    page.keyboard.press("Escape")
    wait_idle(page)
    shot(page, "cohorten-signaal")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download Excel").click()
    path = tmp_path / "cohort.xlsx"
    download.value.save_as(path)
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("Aios", "Cohort", "Stageplaats")
    assert [r[0] for r in rows[1:]] == expected["aios_name"].tolist()
    signalen = header.index("Signalen")
    assert all(expected_flag in r[signalen] for r, expected_flag in
               zip(rows[1:], expected["flags"].map(lambda f: f[kind]), strict=True))

    # Choose the first row (the selection checkbox sits in the grid's first column).
    grid = page.locator("[data-testid='stDataFrame']").first
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)
    expect_page(page, "Aiosdossier")
    first = expected.iloc[0]
    expect(page.get_by_role("heading", name=first["aios_name"])).to_be_visible()
    assert f"aios={int(first['aios_id'])}" in page.url and f"stage={int(first['stage_id'])}" in page.url
    expect(page.get_by_text(first["flags"][kind]).first).to_be_visible()
    shot(page, "aiosdossier")


def test_feedback_drill_down_lists_the_moments_behind_a_stageplaats(page, server_db):

    from dashboard.tables import by_lowest_feedback
    from data_access.db import make_engine
    from data_access.queries.feedback import load_feedback_frequency, load_feedback_moments
    from data_access.queries.filters import load_filter_options
    from data_access.viewer import viewer_for

    login(page, "opleider", DEMO_PASSWORD)
    expect_page(page, "Cohorten")
    engine = make_engine(server_db)
    try:
        viewer = viewer_for(engine, "opleider")
        today = clock.today()
        opleiding = int(load_filter_options(engine, viewer)["opleiding_id"].iloc[0])
        first = by_lowest_feedback(load_feedback_frequency(engine, viewer, by="stageplaats", today=today,
                                                           opleiding_id=opleiding)).iloc[0]
        moments = load_feedback_moments(engine, viewer, today=today, stageplaats_id=int(first["group_id"]))
    finally:
        engine.dispose()

    page.locator("[data-testid='stSidebarNavLink']", has_text="Feedback").click()
    expect_page(page, "Feedback")
    page.get_by_role("tab", name="Per stageplaats").click()
    wait_idle(page)
    grid = page.locator("[data-testid='stDataFrame']").locator("visible=true").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)
    wait_idle(page)
    expect(page.get_by_text(f"{first['name']}: {len(moments)} momenten")).to_be_visible()
    drill = page.locator("[data-testid='stDataFrame']").locator("visible=true").nth(1)
    expect(drill).to_be_visible()
    shot(page, "feedback-drilldown")


def test_committee_lands_on_stageplaatsen_and_compares_three_sites(page):
    # The meeting itself (prepare, hold, close, notulen) is tests/test_browser_meeting.py.
    login(page, "commissie", DEMO_PASSWORD)
    expect_page(page, "Stageplaatsen")
    page.get_by_role("tab", name="Vergelijken").click()
    wait_idle(page)  # the tab runs when chosen
    chooser = page.get_by_label("Kies 2 tot 6 stageplaatsen")
    tags = page.locator("[data-testid='stMultiSelect'] span[data-tag]").locator("visible=true")
    for count in (1, 2, 3):
        # By keyboard: a mouse click on an option can select the next one that slides under it.
        chooser.click()
        chooser.press("ArrowDown")
        chooser.press("Enter")
        page.keyboard.press("Escape")
        wait_idle(page)
        expect(tags).to_have_count(count)
    expect(page.locator("[data-testid='stVegaLiteChart']").locator("visible=true")).to_have_count(1)
    shot(page, "stageplaatsen-vergelijken")


def test_beheerder_uploads_a_file_with_errors_fixes_it_and_imports(page, tmp_path, server_db):
    from sqlalchemy import select

    from data_access.db import make_engine
    from data_access.models import Stageplaats

    login(page, "beheerder", DEMO_PASSWORD)
    expect_page(page, "Cohorten")
    page.locator("[data-testid='stSidebarNavLink']", has_text="Importeren").click()
    expect_page(page, "Importeren")
    page.get_by_label("Wat importeert u?").click()
    page.get_by_role("option", name="Stageplaatsen", exact=True).click()
    wait_idle(page)

    header = "code;naam;organisatie;opleiding;type;regio\n"
    bad = tmp_path / "plaatsen.csv"
    bad.write_text(header + "NEW1;Nieuwe GGD;GGD;MG;GGD;Utrecht\nNEW2;;GGD;XX;GGD;Utrecht\n", encoding="utf-8")
    page.locator("input[type='file']").set_input_files(str(bad))
    wait_idle(page)
    expect(page.get_by_text("2 rijen, 2 fouten: er is niets geïmporteerd.", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="Importeren (")).to_have_count(0)
    shot(page, "import-fouten")

    good = tmp_path / "plaatsen-goed.csv"
    good.write_text(header + "NEW1;Nieuwe GGD;GGD;MG;GGD;Utrecht\nNEW2;Tweede GGD;GGD;MG;GGD;Utrecht\n", encoding="utf-8")
    page.locator("input[type='file']").set_input_files(str(good))
    wait_idle(page)
    page.get_by_role("button", name="Importeren (2 nieuw, 0 bijgewerkt)").click()
    wait_idle(page)
    expect(page.get_by_text("2 rijen: 2 nieuw, 0 bijgewerkt, 0 ongewijzigd: is geïmporteerd.")).to_be_visible()
    shot(page, "import-klaar")
    engine = make_engine(server_db)
    with engine.connect() as conn:
        names = conn.execute(select(Stageplaats.name).where(Stageplaats.code.in_(["NEW1", "NEW2"])).order_by(Stageplaats.code)).scalars().all()
    engine.dispose()
    assert names == ["Nieuwe GGD", "Tweede GGD"]
