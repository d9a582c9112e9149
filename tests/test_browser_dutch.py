"""Not one English word a user can see or hear: every page of every role in real Chromium, with
the toolbars, menus and dropdowns opened, read back as visible text, placeholders, titles and
aria labels (what a screen reader speaks), and `<html lang="nl">`.

On the run's shared demo server (only reading): the lockout test in test_browser.py locks a login
on its own module's server, never here.
"""

from __future__ import annotations

import pytest

from data_access.models import Role
from sample_data import DEMO_PASSWORD, DEMO_USERNAMES
from tests.browser_walk import every_step, walk_of
from tests.test_browser import (  # fixtures and helpers, not tests
    browser,  # noqa: F401 - a fixture
    expect_page,
    login,
    wait_idle,
)


@pytest.mark.walk
@pytest.mark.parametrize("role", list(Role))
def test_every_page_of_every_role_speaks_only_dutch(browser, demo_server, role):  # noqa: F811
    """The login screen, then every page and tab of the role at 1400 px, each with its toolbars,
    menus and hints opened (tests/browser_walk.py): lang="nl" and no English word, as
    (page, tab, lang, what and where)."""
    found = walk_of(browser, demo_server, role, "desktop")
    assert [step for step in found.steps if not step[1]] == every_step(role)
    assert found.english == []


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
