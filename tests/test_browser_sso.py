"""Single sign-on for real: a real OpenID Connect provider (oidc-provider-mock) on loopback, the
app configured through secrets.toml [auth] as Streamlit documents it, driven in Chromium. The
provider proves who someone is; our database says what they may do.
"""

from __future__ import annotations

import json
import os
import secrets
import sys

import pytest
from sqlalchemy import select

from dashboard.auth import SSO_BUTTON, SSO_UNKNOWN
from data_access.db import make_engine
from data_access.models import AuditLog
from tests.servers import free_port, start_app, start_process, wait_until_up
from tests.test_browser import (  # fixtures and helpers, not tests
    CHROMIUM,
    IDLE,
    browser,  # noqa: F401 - a fixture
    expect,
    expect_login_form,
    expect_page,
    wait_idle,
)

KNOWN = {"sub": "opl-7f3a", "email": "Opleider@Voorbeeld.nl", "name": "Olga Opleider"}  # the demo opleider
UNKNOWN = {"sub": "vreemd-01", "email": "onbekend@voorbeeld.org", "name": "Onbekende Persoon"}

assert CHROMIUM


@pytest.fixture(scope="module")
def sso_app(tmp_path_factory):
    """The provider, and the app with login_methods=both on a fresh demo SQLite file."""
    home = tmp_path_factory.mktemp("sso-home")
    idp_port, app_port = free_port(), free_port()
    idp = start_process([sys.executable, "-m", "oidc_provider_mock", "--port", str(idp_port),
                         "--user-claims", json.dumps(KNOWN), "--user-claims", json.dumps(UNKNOWN)])
    procs = [idp]
    try:
        wait_until_up(f"http://127.0.0.1:{idp_port}/.well-known/openid-configuration", idp)
        (home / ".streamlit").mkdir()
        (home / ".streamlit" / "secrets.toml").write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
            'client_id = "stagebegeleiding"\n'
            'client_secret = "test-geheim"\n'
            f'server_metadata_url = "http://127.0.0.1:{idp_port}/.well-known/openid-configuration"\n')
        db_url = f"sqlite:///{home / 'app.sqlite'}"
        env = {**os.environ, "HOME": str(home), "STAGE_DB_URL": db_url, "STAGE_DEMO_MODE": "true",
               "STAGE_LOGIN_METHODS": "both", "STAGE_SSO_CLAIM": "email",
               # The provider here speaks plain HTTP on loopback; a real one is HTTPS.
               "AUTHLIB_INSECURE_TRANSPORT": "1"}
        app = start_app(app_port, env)
        procs.append(app)
        wait_until_up(f"http://127.0.0.1:{app_port}/_stcore/health", app)
        yield f"http://127.0.0.1:{app_port}", db_url
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)


def _sso_login(page, url: str, person: dict) -> None:
    page.goto(url)
    wait_idle(page)
    page.get_by_role("button", name=SSO_BUTTON).click()
    # The provider's own page: choose the person (the mock lists its predefined subjects).
    page.get_by_role("button", name=person["sub"], exact=True).click()
    page.wait_for_url(f"{url}/**")
    page.wait_for_selector(IDLE)
    wait_idle(page)


def _audit(db_url: str, action: str) -> list[AuditLog]:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(select(AuditLog.user_id, AuditLog.entity, AuditLog.after).where(AuditLog.action == action)
                            .order_by(AuditLog.id)).all()
    engine.dispose()
    return rows


def test_a_known_person_logs_in_through_the_institution_sees_their_pages_and_logs_out(sso_app, browser):  # noqa: F811
    url, db_url = sso_app
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(60_000)
    _sso_login(page, url, KNOWN)
    expect_page(page, "Cohorten")  # the opleider's first page: matched by e-mail, case-insensitive
    expect(page.get_by_text("Olga")).to_have_count(0)  # the provider's name claim is not ours to show
    logins = [r for r in _audit(db_url, "ingelogd") if r.after == {"via": "sso"}]
    assert len(logins) == 1

    page.get_by_role("button", name="Uitloggen").click()
    # Streamlit ends the provider's session too (its end_session page), then back to our login.
    page.wait_for_url("**/end_session**")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{url}/**")
    wait_idle(page)
    expect_login_form(page)
    expect(page.get_by_role("heading", name="Cohorten")).to_have_count(0)
    context.close()


def test_an_unknown_person_sees_a_dutch_message_and_nothing_else(sso_app, browser):  # noqa: F811
    url, db_url = sso_app
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(60_000)
    _sso_login(page, url, UNKNOWN)
    expect(page.get_by_text(SSO_UNKNOWN)).to_be_visible()
    expect(page.get_by_label("Wachtwoord", exact=True)).to_have_count(0)
    expect(page.locator("[data-testid='stSidebarNavLink']")).to_have_count(0)
    refused = [r for r in _audit(db_url, "geweigerd") if r.entity == "login"]
    assert [(r.user_id, r.after) for r in refused] == [
        (None, {"via": "sso", "claim": "email", "waarde": "onbekend@voorbeeld.org"})]
    context.close()
