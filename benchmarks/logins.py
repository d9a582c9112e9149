"""Many people logging in at the same moment, in real (headless Debian) Chromium.

    .venv/bin/python -m benchmarks.logins --url http://127.0.0.1:8501 --db-url URL [--n 10] [--rounds 4]

Against a running app: N browser sessions log in at once as N different accounts (the demo
logins, plus other accounts per role that get the demo password: use a benchmark copy), for
several rounds. A login that does not land on its role's first page is an error (issue 20: such a
login used to be dropped without a word); the times are from the click to the page's heading.
Exits 1 when any login was lost.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import bcrypt  # noqa: E402
from sqlalchemy import Engine, select, update  # noqa: E402

from dashboard.navigation import specs_for  # noqa: E402
from data_access.models import Role, UserAccount, UserRole  # noqa: E402
from sample_data import DEMO_PASSWORD, DEMO_USERNAMES  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]


@dataclass(frozen=True)
class Login:
    username: str
    form_s: float | None  # from opening the app to a usable login form
    login_s: float | None  # from the click to the role's first page
    error: str | None  # why the login did not land, None when it did


def login_accounts(engine: Engine, n: int) -> dict[str, Role]:
    """N accounts of mixed roles with the demo password: the demo logins first, then others."""
    hashed = bcrypt.hashpw(DEMO_PASSWORD.encode(), bcrypt.gensalt()).decode()
    chosen = {u: r for r, u in DEMO_USERNAMES.items()}
    per_role = -(-max(n - len(chosen), 0) // len(Role))
    with engine.begin() as conn:
        for role in Role:
            others = conn.execute(
                select(UserAccount.id, UserAccount.username).join(UserRole, UserRole.user_id == UserAccount.id)
                .where(UserRole.role == role, UserAccount.active.is_(True),
                       UserAccount.username.not_in(list(DEMO_USERNAMES.values())),
                       ~UserAccount.id.in_(select(UserRole.user_id).where(UserRole.role != role)))
                .order_by(UserAccount.id).limit(per_role)
            ).all()
            for user_id, username in others:
                conn.execute(update(UserAccount).where(UserAccount.id == user_id).values(
                    password_hash=hashed, must_change_password=False, active=True))
                chosen[username] = role
    return dict(list(chosen.items())[:n])


async def _one(browser, url: str, username: str, role: Role, password: str) -> Login:
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    form_s = None
    try:
        p = await context.new_page()
        p.set_default_timeout(90_000)
        start = time.monotonic()
        await p.goto(url)
        field = p.get_by_label("Wachtwoord", exact=True)
        await field.wait_for(state="visible")
        form_s = time.monotonic() - start
        # As a person does: type and press the button as soon as the form is there.
        await p.get_by_label("Gebruikersnaam").fill(username)
        await field.fill(password)
        start = time.monotonic()
        await p.get_by_role("button", name="Inloggen").click()
        title = specs_for(role)[0].title
        try:
            await p.get_by_role("heading", name=title).first.wait_for(state="visible", timeout=60_000)
        except Exception:  # noqa: BLE001 - a lost login is the finding, with what the page said
            body = await p.locator("[data-testid='stMain']").inner_text()
            return Login(username, form_s, None, f"niet op {title!r} na 60 s: {body[:200]!r}")
        return Login(username, form_s, time.monotonic() - start, None)
    except Exception as exc:  # noqa: BLE001
        return Login(username, form_s, None, f"{type(exc).__name__}: {exc}")
    finally:
        await context.close()


def concurrent_logins(url: str, accounts: dict[str, Role], rounds: int,
                      password: str = DEMO_PASSWORD) -> list[list[Login]]:
    """`rounds` rounds in which every account logs in at once, each in a fresh browser context."""
    from playwright.async_api import async_playwright

    async def main() -> list[list[Login]]:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            try:
                return [list(await asyncio.gather(*(_one(browser, url, u, r, password)
                                                    for u, r in accounts.items())))
                        for _ in range(rounds)]
            finally:
                await browser.close()

    return asyncio.run(main())


def summary(results: list[list[Login]]) -> dict:
    flat = [x for round_ in results for x in round_]
    times = sorted(x.login_s for x in flat if x.login_s is not None)
    forms = sorted(x.form_s for x in flat if x.form_s is not None)

    def p95(values):
        return round(values[min(len(values) - 1, int(0.95 * len(values)))], 2) if values else None

    return {
        "logins": len(flat),
        "errors": sum(1 for x in flat if x.error),
        "lost": [(i, x.username, x.error) for i, round_ in enumerate(results) for x in round_ if x.error],
        "login_median_s": round(statistics.median(times), 2) if times else None,
        "login_p95_s": p95(times),
        "form_median_s": round(statistics.median(forms), 2) if forms else None,
    }


def main(argv: list[str] | None = None) -> int:
    from data_access.db import make_engine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db-url", required=True, help="the app's database (a benchmark copy)")
    parser.add_argument("--n", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args(argv)
    engine = make_engine(args.db_url)
    accounts = login_accounts(engine, args.n)
    engine.dispose()
    result = summary(concurrent_logins(args.url, accounts, args.rounds))
    for key, value in result.items():
        print(f"{key}: {value}")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
