"""Browser tests: the real app on a loopback port, driven in Debian's headless Chromium.

The server starts on an empty SQLite file, so the first-start path (migrations + demo data) is
exercised too. Screenshots go to the git-ignored artifacts/ folder.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dashboard.auth import LOCKED, WRONG_PASSWORD
from dashboard.navigation import specs_for
from data_access.accounts import LOCK_AFTER_FAILURES
from data_access.models import Role
from sample_data import DEMO_PASSWORD, DEMO_USERNAMES

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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    db = tmp_path_factory.mktemp("browser") / "app.sqlite"
    env = {**os.environ, "STAGE_DB_URL": f"sqlite:///{db}", "STAGE_DEMO_MODE": "true"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
         "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError(proc.stdout.read().decode(errors="replace"))
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
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
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE)


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


def test_login_page(page):
    expect(page.get_by_text("Inloggen").first).to_be_visible()
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
