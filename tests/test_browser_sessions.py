"""Browser tests of logins, sessions and the login cookie, in Debian's headless Chromium.

Ten people logging in at the same moment all get in (issue 20); nothing is ever on screen twice
while a page settles; a cookie from before a password change is refused; a login by cookie is
audited once per session. The server is this module's own (tests/test_browser.py's fixtures).
"""

from __future__ import annotations

import asyncio
import threading
import time

import bcrypt
import pytest
from sqlalchemy import func, select, update

from dashboard.navigation import specs_for
from data_access.db import make_engine
from data_access.models import AuditLog, Role, UserAccount, UserRole
from sample_data import DEMO_PASSWORD, DEMO_USERNAMES
from tests.test_browser import (  # noqa: F401 - fixtures
    IDLE,
    browser,
    expect,
    expect_login_form,
    expect_page,
    login,
    page,
    server,
    server_db,
    wait_idle,
)

CONCURRENT = 10
ROUNDS = 3

# Records, at every DOM change, any heading or form label that is on screen more than once.
DUPLICATE_WATCH = """
(() => {
  window.__dups = [];
  const check = () => {
    const seen = {};
    for (const el of document.querySelectorAll('h1, h2, h3, label')) {
      if (el.closest('[data-testid="stSidebar"]')) continue;
      const text = (el.innerText || '').trim();
      if (!text) continue;
      const key = el.tagName + ':' + text;
      seen[key] = (seen[key] || 0) + 1;
    }
    for (const [k, n] of Object.entries(seen)) if (n > 1) window.__dups.push(k + ' x' + n);
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, characterData: true});
})();
"""


def _engine(server_db):
    return make_engine(server_db)


def _logins(server_db, usernames) -> dict[str, int]:
    engine = _engine(server_db)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(UserAccount.username, func.count(AuditLog.id))
                .join(AuditLog, (AuditLog.entity_id == UserAccount.id) & (AuditLog.entity == "user_account")
                      & (AuditLog.action == "ingelogd"), isouter=True)
                .where(UserAccount.username.in_(list(usernames)))
                .group_by(UserAccount.username)
            ).all()
    finally:
        engine.dispose()
    return {u: n for u, n in rows}


def _extra_accounts(server_db, per_role: int = 2) -> dict[str, Role]:
    """Up to `per_role` accounts per role besides the demo ones, given the demo password."""
    engine = _engine(server_db)
    hashed = bcrypt.hashpw(DEMO_PASSWORD.encode(), bcrypt.gensalt()).decode()
    chosen: dict[str, Role] = {}
    try:
        with engine.begin() as conn:
            for role in Role:
                users = conn.execute(
                    select(UserAccount.id, UserAccount.username).join(UserRole, UserRole.user_id == UserAccount.id)
                    .where(UserRole.role == role, UserAccount.active.is_(True),
                           UserAccount.username.not_in(list(DEMO_USERNAMES.values())),
                           ~UserAccount.id.in_(select(UserRole.user_id).where(UserRole.role != role)))
                    .order_by(UserAccount.id).limit(per_role)
                ).all()
                for user_id, username in users:
                    conn.execute(update(UserAccount).where(UserAccount.id == user_id).values(
                        password_hash=hashed, must_change_password=False))
                    chosen[username] = role
    finally:
        engine.dispose()
    return chosen


async def _log_in_and_land(browser_async, url: str, username: str, role: Role) -> tuple[str, str | None]:
    context = await browser_async.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    try:
        p = await context.new_page()
        p.set_default_timeout(90_000)
        await p.goto(url)
        password = p.get_by_label("Wachtwoord", exact=True)
        await password.wait_for(state="visible")
        # As a person does: type and press the button as soon as the form is there, while the
        # rest of the page may still be settling.
        await p.get_by_label("Gebruikersnaam").fill(username)
        await password.fill(DEMO_PASSWORD)
        await p.get_by_role("button", name="Inloggen").click()
        heading = p.get_by_role("heading", name=specs_for(role)[0].title)
        try:
            await heading.first.wait_for(state="visible", timeout=60_000)
        except Exception:  # noqa: BLE001 - report which login was lost, and what the page said
            body = await p.locator("[data-testid='stMain']").inner_text()
            return username, f"niet op {specs_for(role)[0].title!r}: {body[:300]!r}"
        return username, None
    finally:
        await context.close()


def _run_concurrent_rounds(url: str, accounts: dict[str, Role]) -> list[list[tuple[str, str | None]]]:
    from playwright.async_api import async_playwright

    from tests.test_browser import CHROMIUM, CHROMIUM_FLAGS

    async def main():
        async with async_playwright() as pw:
            b = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            try:
                results = []
                for _ in range(ROUNDS):
                    results.append(await asyncio.gather(
                        *(_log_in_and_land(b, url, u, r) for u, r in accounts.items())))
                return results
            finally:
                await b.close()

    out: list = []
    # The sync playwright of the other fixtures owns this thread's event loop.
    worker = threading.Thread(target=lambda: out.append(asyncio.run(main())))
    worker.start()
    worker.join()
    return out[0]


def test_ten_people_logging_in_at_once_all_get_in_with_one_audit_row_each(page, server, server_db):
    # `page` has opened the app once: the database is filled.
    accounts = {u: r for r, u in DEMO_USERNAMES.items() if r is not Role.STAGEBEGELEIDER}
    accounts.update(_extra_accounts(server_db))
    accounts = dict(list(accounts.items())[:CONCURRENT])
    assert len(accounts) == CONCURRENT
    before = _logins(server_db, accounts)
    started = time.monotonic()
    rounds = _run_concurrent_rounds(server, accounts)
    elapsed = time.monotonic() - started
    lost = [(i, u, why) for i, results in enumerate(rounds) for u, why in results if why]
    assert not lost, f"{len(lost)} van {CONCURRENT * ROUNDS} logins verloren: {lost}"
    after = _logins(server_db, accounts)
    assert {u: after[u] - before.get(u, 0) for u in accounts} == {u: ROUNDS for u in accounts}
    print(f"{CONCURRENT} x {ROUNDS} gelijktijdige logins in {elapsed:.1f} s")


def test_no_heading_or_label_is_ever_on_screen_twice_after_login_and_navigation(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    context.add_init_script(DUPLICATE_WATCH)
    p = context.new_page()
    p.set_default_timeout(60_000)
    try:
        p.goto(server)
        p.wait_for_selector(IDLE)
        login(p, "opleider", DEMO_PASSWORD)
        expect_page(p, "Cohorten")
        p.wait_for_timeout(1500)  # the old second run came 0.5–1 s after the first
        for title in ("Feedback", "Stageplaatsen", "Beoordelingen", "Mijn account"):
            p.locator("[data-testid='stSidebarNavLink']", has_text=title).click()
            expect_page(p, title)
            p.wait_for_timeout(1500)
        p.get_by_role("button", name="Uitloggen").click()
        expect_login_form(p)
        p.wait_for_timeout(1500)
        assert p.evaluate("window.__dups") == []
    finally:
        context.close()


def test_a_cookie_from_before_a_password_change_is_refused(browser, server, server_db):
    from data_access.accounts import change_password
    from data_access.viewer import viewer_for

    context = browser.new_context(locale="nl-NL")
    p = context.new_page()
    p.set_default_timeout(60_000)
    try:
        p.goto(server)
        p.wait_for_selector(IDLE)
        login(p, "commissie", DEMO_PASSWORD)
        expect_page(p, "Beoordelingen")
        cookies = context.cookies()
        assert [c["name"] for c in cookies if c["name"] == "stagebegeleiding_auth"]
        cookie = next(c for c in cookies if c["name"] == "stagebegeleiding_auth")
        assert cookie["sameSite"] == "Strict"

        # The cookie works in a fresh browser...
        other = browser.new_context(locale="nl-NL")
        other.add_cookies([cookie])
        q = other.new_page()
        q.goto(server)
        q.wait_for_selector(IDLE)
        expect_page(q, "Beoordelingen")

        engine = _engine(server_db)
        try:
            change_password(engine, viewer_for(engine, "commissie"), current=DEMO_PASSWORD,
                            new="nieuw-wachtwoord-9", repeat="nieuw-wachtwoord-9")
        finally:
            engine.dispose()
        # ...and after the password change neither the copy nor the live sessions work.
        third = browser.new_context(locale="nl-NL")
        third.add_cookies([cookie])
        r = third.new_page()
        r.goto(server)
        r.wait_for_selector(IDLE)
        expect_login_form(r)
        third.close()
        q.locator("[data-testid='stSidebarNavLink']", has_text="Feedback").click()
        wait_idle(q)
        expect_login_form(q)
        other.close()
    finally:
        context.close()
        engine = _engine(server_db)
        with engine.begin() as conn:
            conn.execute(update(UserAccount).where(UserAccount.username == "commissie").values(
                password_hash=bcrypt.hashpw(DEMO_PASSWORD.encode(), bcrypt.gensalt(4)).decode()))
        engine.dispose()


def test_a_login_by_cookie_is_audited_once_per_session(page, server_db):
    login(page, "aios", DEMO_PASSWORD)
    expect_page(page, "Mijn stage")
    before = _logins(server_db, ["aios"])["aios"]
    page.reload()
    wait_idle(page)
    expect_page(page, "Mijn stage")
    for title in ("Aiosdossier", "Mijn stage", "Mijn account"):
        page.locator("[data-testid='stSidebarNavLink']", has_text=title).click()
        expect_page(page, title)
    assert _logins(server_db, ["aios"])["aios"] == before + 1
    engine = _engine(server_db)
    with engine.connect() as conn:
        last = conn.execute(select(AuditLog.after).where(AuditLog.action == "ingelogd")
                            .order_by(AuditLog.id.desc()).limit(1)).scalar_one()
    engine.dispose()
    assert last == {"via": "cookie"}
    expect(page.get_by_label("Wachtwoord", exact=True)).to_have_count(0)
