"""Login, sessions and the login cookie, drawn without any component that reports back.

Why not streamlit-authenticator's `login()`: its cookie manager (extra-streamlit-components'
CookieManager) is a custom component that sends its value back once it has loaded, and that
starts a second full script run 0.5–1 s after the page first looked finished. A login submitted
while that run was starting was lost: the submit's trigger exists only in the run it arrived with,
and the component's run interrupts that run before it reaches the form (Streamlit keeps a trigger
when two requests wait together, not when a run is already under way). The second run also drew
every element twice for a moment.

Here the form's submit button has an `on_click` callback: Streamlit runs callbacks before the
script body, before the first point where a run can be interrupted, so a submit that reached the
server is always handled. Nothing reports back, so there is no second run. The cookie is read on
the server (`st.context.cookies`, sent with the page's connection) and written by a few lines of
JavaScript in the page (`st.html`), which report nothing.

Why the cookie cannot be HttpOnly: a Streamlit script has no HTTP response of its own (everything
goes over the WebSocket), so the cookie can only be written from the page's JavaScript, and
JavaScript cannot set HttpOnly. What limits the damage of a stolen cookie: it is SameSite=Strict
(and Secure over HTTPS), it expires after `cookie_expiry_days` (default 12 hours), it is a JWT
signed with a key the app refuses to run without outside the demo, and the server checks it on
every page run against the user's session version, which a logout, a password change or reset,
a lockout and a deactivation all bump — so it dies with any of those, on every server process.
"""

from __future__ import annotations

import json

import streamlit as st
from sqlalchemy import Engine

from dashboard.resources import DATABASE_DOWN, UNREACHABLE
from data_access.accounts import (
    LOCK_AFTER_FAILURES,
    LOCK_MINUTES,
    attempt_login,
    read_session_token,
    record_login,
    record_logout,
    session_is_current,
    session_token,
    sso_login,
)
from data_access.logs import get_logger
from data_access.settings import Settings

USER = "username"  # the logged-in username, read by the entrypoint
VERSION = "_session_version"
COOKIE_CHECKED = "_login_cookie_checked"
COOKIE_OP = "_login_cookie_op"
LOGIN_MESSAGE = "_login_message"
SSO = "_login_via_sso"  # this session started with the institution's login
SSO_CHECKED = "_sso_checked"
SSO_LOGOUT = "_sso_logout"
FIELD_USER = "inloggen_gebruikersnaam"
FIELD_PASSWORD = "inloggen_wachtwoord"

WRONG_PASSWORD = "Gebruikersnaam of wachtwoord onjuist."
LOCKED = (
    f"Inloggen is tijdelijk geblokkeerd na {LOCK_AFTER_FAILURES} mislukte pogingen vanaf dit adres. "
    f"Probeer het over {LOCK_MINUTES} minuten opnieuw of vraag de beheerder om hulp."
)
SSO_BUTTON = "Inloggen met instellingsaccount"
SSO_UNKNOWN = (
    "U bent bij uw instelling aangemeld, maar uw account is in deze toepassing niet bekend of niet "
    "actief. Vraag de beheerder van de opleiding om u toe te voegen."
)
SESSION_ENDED = (
    "Uw sessie is beëindigd (uitgelogd, wachtwoord gewijzigd of hersteld, account geblokkeerd of "
    "gedeactiveerd). Log opnieuw in."
)


def client_address(settings: Settings) -> str:
    """The client's address for the lockout: the connection's, or behind a trusted proxy the
    last entry of the configured header (the address the proxy itself saw)."""
    if settings.client_ip_header:
        forwarded = st.context.headers.get(settings.client_ip_header)
        last = forwarded.split(",")[-1].strip() if isinstance(forwarded, str) else ""
        if last:
            return last
    address = st.context.ip_address  # None on localhost (and not a str under AppTest)
    return address if isinstance(address, str) and address else "lokaal"


def _cookie_script(settings: Settings, token: str | None) -> str:
    """JavaScript that writes (token) or deletes (None) the login cookie, reporting nothing."""
    name = json.dumps(settings.cookie_name)
    if token is None:
        value, age = '""', 0
    else:
        value, age = json.dumps(token), int(settings.cookie_expiry_days * 86400)
    secure = {True: "true", False: "false", None: 'location.protocol === "https:"'}[settings.cookie_secure]
    return (
        "<script>(function(){"
        f"var c = {name} + '=' + {value} + '; Path=/; Max-Age={age}; SameSite=Strict';"
        f"if ({secure}) c += '; Secure';"
        "document.cookie = c;})();</script>"
    )


def _draw_cookie_slot(settings: Settings) -> None:
    """The first element of every run: empty, or once the cookie write that a login or logout
    asked for. A fixed slot, so that nothing below it moves between runs."""
    slot = st.empty()
    op = st.session_state.pop(COOKIE_OP, None)
    if op is not None:
        slot.html(_cookie_script(settings, op[1]), unsafe_allow_javascript=True)


def _start_session(username: str, version: int, settings: Settings, *, set_cookie: bool) -> None:
    st.session_state[USER] = username
    st.session_state[VERSION] = version
    st.session_state.pop(LOGIN_MESSAGE, None)
    if set_cookie:
        token = session_token(username, version, settings.cookie_key, settings.cookie_expiry_days)
        st.session_state[COOKIE_OP] = ("set", token)


def _forget_session(*, delete_cookie: bool) -> None:
    for key in (USER, VERSION):
        st.session_state.pop(key, None)
    st.session_state[COOKIE_CHECKED] = True  # the cookie this connection came with is spent
    if delete_cookie:
        st.session_state[COOKIE_OP] = ("delete", None)


def _submit(engine: Engine, settings: Settings) -> None:
    """The login form's callback: runs before the script body, so no rerun can drop it."""
    state = st.session_state
    try:
        outcome = attempt_login(
            engine, state.get(FIELD_USER) or "", state.get(FIELD_PASSWORD) or "", client_address(settings)
        )
    except UNREACHABLE:
        get_logger("database").exception("database niet bereikbaar bij inloggen")
        state[LOGIN_MESSAGE] = DATABASE_DOWN
        return
    if outcome.ok:
        _start_session(outcome.username, outcome.session_version, settings, set_cookie=True)
    else:
        state[LOGIN_MESSAGE] = LOCKED if outcome.status == "locked" else WRONG_PASSWORD


def _login_by_cookie(engine: Engine, settings: Settings) -> bool:
    """Once per session (connection): a valid cookie of a current session logs in, audited."""
    if st.session_state.get(COOKIE_CHECKED):
        return False
    st.session_state[COOKIE_CHECKED] = True
    token = st.context.cookies.get(settings.cookie_name)
    found = read_session_token(token if isinstance(token, str) else None, settings.cookie_key)
    if found is None or not session_is_current(engine, *found):
        return False
    _start_session(*found, settings, set_cookie=False)
    record_login(engine, found[0], via="cookie")
    return True


def _uses(settings: Settings, method: str) -> bool:
    return settings.login_methods in (method, "both")


def _login_by_sso(engine: Engine, settings: Settings) -> bool | None:
    """Once per session: someone the provider logged in (Streamlit's identity cookie) gets the
    account their claim names. None: they are logged in there but unknown here."""
    if not _uses(settings, "sso") or not st.user.is_logged_in:
        return False
    if st.session_state.get(SSO_CHECKED):
        return None
    st.session_state[SSO_CHECKED] = True
    outcome = sso_login(engine, settings.sso_claim, st.user.get(settings.sso_claim), st.user.get("email_verified"))
    if not outcome.ok:
        return None
    _start_session(outcome.username, outcome.session_version, settings, set_cookie=False)
    st.session_state[SSO] = True
    return True


def _sso_refused() -> None:
    st.subheader("Inloggen")
    st.error(SSO_UNKNOWN, icon=":material/block:")
    if st.button("Afmelden bij instellingsaccount"):
        st.logout()


def _login_form(engine: Engine, settings: Settings) -> None:
    if _uses(settings, "sso"):
        if st.button(SSO_BUTTON, type="primary", icon=":material/account_balance:"):
            st.login()
        if not _uses(settings, "password"):
            return
    with st.form("inloggen", clear_on_submit=False, enter_to_submit=True):
        st.subheader("Inloggen")
        st.text_input("Gebruikersnaam", key=FIELD_USER, autocomplete="username")
        st.text_input("Wachtwoord", type="password", key=FIELD_PASSWORD, autocomplete="current-password")
        st.form_submit_button("Inloggen", on_click=_submit, args=(engine, settings))
        message = st.session_state.get(LOGIN_MESSAGE)
        if message:
            st.error(message)


def login_gate(engine: Engine, settings: Settings) -> str | None:
    """The logged-in username, or None after drawing the login form.

    A live session is checked on every run (one small query), so a session ended elsewhere stops
    at its next click."""
    _draw_cookie_slot(settings)
    state = st.session_state
    username = state.get(USER)
    if username is not None:
        if session_is_current(engine, username, state.get(VERSION, -1)):
            return username
        _forget_session(delete_cookie=True)
        state.pop(SSO_CHECKED, None)  # an institution's login is checked again (a deactivated account stays out)
        state.pop(SSO, None)
        state[LOGIN_MESSAGE] = SESSION_ENDED
    elif _login_by_cookie(engine, settings):
        return state[USER]
    elif state.pop(SSO_LOGOUT, False) and st.user.is_logged_in:
        st.logout()  # our session ended: the provider's identity cookie goes too
    else:
        sso = _login_by_sso(engine, settings)
        if sso:
            return state[USER]
        if sso is None:
            _sso_refused()
            return None
    _login_form(engine, settings)
    return None


def renew_session(settings: Settings, version: int) -> None:
    """After the user changed their own password: this session carries on with a new cookie
    (written here, at once); every other session of theirs has ended."""
    _start_session(st.session_state[USER], version, settings, set_cookie=True)
    _, token = st.session_state.pop(COOKIE_OP)
    st.html(_cookie_script(settings, token), unsafe_allow_javascript=True)


def _logout(engine: Engine) -> None:
    username = st.session_state.get(USER)
    if username:
        record_logout(engine, username)
    _forget_session(delete_cookie=True)
    st.session_state[SSO_LOGOUT] = st.session_state.pop(SSO, False)


def logout_button(engine: Engine) -> None:
    st.sidebar.button("Uitloggen", key="uitloggen", on_click=_logout, args=(engine,))
