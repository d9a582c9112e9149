"""Login with streamlit-authenticator, with what it lacks built around it.

The library checks the bcrypt hash and keeps the login cookie. Around it, from the database:
credentials built from the user table, a lockout after LOCK_AFTER_FAILURES wrong passwords, a
server-side logout (a cookie issued before the user's `logged_out_at` is refused), and every
result written back and audited.
"""

from __future__ import annotations

import datetime as dt

import jwt
import streamlit as st
import streamlit_authenticator as stauth
from sqlalchemy import Engine
from streamlit_authenticator.utilities import LoginError

from data_access.accounts import (
    LOCK_AFTER_FAILURES,
    LOCK_MINUTES,
    cookie_is_revoked,
    load_credentials,
    record_failed_login,
    record_login,
    record_logout,
)
from data_access.settings import Settings

LOGIN_FIELDS = {
    "Form name": "Inloggen",
    "Username": "Gebruikersnaam",
    "Password": "Wachtwoord",
    "Login": "Inloggen",
}
COOKIE_PENDING = "_login_cookie_pending"
WRONG_PASSWORD = "Gebruikersnaam of wachtwoord onjuist."
LOCKED = (
    f"Dit account is tijdelijk geblokkeerd na {LOCK_AFTER_FAILURES} mislukte pogingen. "
    f"Probeer het over {LOCK_MINUTES} minuten opnieuw of vraag de beheerder om hulp."
)


def _refuse_revoked_cookie(engine: Engine, settings: Settings) -> None:
    """Make the library ignore a login cookie issued before the user last logged out.

    The cookie is a JWT with only a username and an expiry; its issue time is the expiry minus
    the configured lifetime. Setting the library's own `logout` flag makes it skip the cookie.
    """
    if st.session_state.get("authentication_status"):
        return
    token = st.context.cookies.get(settings.cookie_name) if st.context.cookies else None
    if not token:
        return
    try:
        payload = jwt.decode(token, settings.cookie_key, algorithms=["HS256"])
        issued = dt.datetime.fromtimestamp(payload["exp_date"], dt.UTC).replace(tzinfo=None) - (
            dt.timedelta(days=settings.cookie_expiry_days)
        )
        revoked = cookie_is_revoked(engine, payload["username"], issued)
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        revoked = True
    if revoked:
        st.session_state["logout"] = True


def _logged_in(engine: Engine, username: str) -> None:
    """After a form login: record it, then start a clean run without the login form.

    The library would set the cookie and keep drawing the stale form in this run; instead the
    cookie is set at the top of the next run (COOKIE_PENDING), where it stays on the page.
    """
    record_login(engine, username)
    st.session_state[COOKIE_PENDING] = True
    st.rerun()


def login_gate(engine: Engine, settings: Settings) -> stauth.Authenticate | None:
    """Show the login form; the authenticator once someone is logged in, else None."""
    logged_in_as = st.session_state.get("username") if st.session_state.get("authentication_status") else None
    credentials = load_credentials(engine, only=logged_in_as)
    _refuse_revoked_cookie(engine, settings)
    authenticator = stauth.Authenticate(
        credentials,
        settings.cookie_name,
        settings.cookie_key,
        settings.cookie_expiry_days,
        auto_hash=False,
        login_sleep_time=0,
    )
    if st.session_state.pop(COOKIE_PENDING, False):
        authenticator.cookie_controller.set_cookie()
    failures_before = {u: c["failed_login_attempts"] for u, c in credentials["usernames"].items()}
    try:
        authenticator.login(
            location="main",
            max_login_attempts=LOCK_AFTER_FAILURES,
            fields=LOGIN_FIELDS,
            key="inloggen",
            callback=lambda info: _logged_in(engine, info["username"]),
        )
    except LoginError as exc:
        # The library refuses a user at the maximum before checking the password.
        st.error(LOCKED if "attempts" in str(exc) else WRONG_PASSWORD)
    else:
        if st.session_state.get("authentication_status") is False:
            locked = False
            for username, entry in credentials["usernames"].items():
                if entry.get("failed_login_attempts", 0) > failures_before.get(username, 0):
                    locked = record_failed_login(engine, username)
            st.error(LOCKED if locked else WRONG_PASSWORD)
    return authenticator if st.session_state.get("authentication_status") else None


def logout_button(authenticator: stauth.Authenticate, engine: Engine) -> None:
    authenticator.logout(
        "Uitloggen",
        "sidebar",
        key="uitloggen",
        callback=lambda info: record_logout(engine, info["username"]),
    )
    if not st.session_state.get("authentication_status"):
        st.rerun()
