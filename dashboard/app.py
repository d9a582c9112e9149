"""Entrypoint: streamlit run dashboard/app.py. It only routes: page config, database, login,
the shared sidebar, then the pages of the user's role (DESIGN.md rule 1).

Every run draws the same slots in the same order (cookie slot, notice slot, then the login form
or the page), so that no element moves between runs and nothing is ever on screen twice."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # streamlit puts only this folder on the path
    sys.path.insert(0, str(ROOT))

from dashboard import charts  # noqa: E402,F401 - registers the altair theme
from dashboard import dutch, layout  # noqa: E402
from dashboard.auth import SSO, login_gate, logout_button  # noqa: E402
from dashboard.data import data_versions  # noqa: E402
from dashboard.navigation import all_pages, pages_for  # noqa: E402
from dashboard.resources import (  # noqa: E402
    DATABASE_DOWN,
    UNREACHABLE,
    demo_database,
    get_engine,
    get_settings,
    prepare_database,
    setup_logging,
)
from dashboard.sidebar import choose_role, render_sidebar  # noqa: E402
from dashboard.widgets import run_pending_command  # noqa: E402
from data_access.accounts import must_change_password  # noqa: E402
from data_access.clock import clock_problem  # noqa: E402
from data_access.disclosure import threshold_problem  # noqa: E402
from data_access.errors import AccessDenied  # noqa: E402
from data_access.logs import get_logger, raise_errors  # noqa: E402
from data_access.settings import cookie_key_problem, demo_enabled, demo_requested  # noqa: E402
from data_access.viewer import roles_of, viewer_for  # noqa: E402

st.set_page_config(page_title="Stagebegeleiding", page_icon="🩺", layout="wide")
dutch.install()
layout.install()

settings = get_settings()
setup_logging(settings.log_level, settings.log_format)
if problem := clock_problem(settings) or threshold_problem(settings.anonymity_threshold):
    st.error(problem)
    st.stop()


def _enter(settings):  # noqa: ANN001, ANN202 - the app's own settings; returns the viewer and the page
    """Database, login, role, menu and sidebar: the viewer and their page (or st.stop)."""
    with st.spinner("Database wordt voorbereid…"):
        filled = prepare_database(settings.db_url, fill_with_demo=demo_requested(settings))
    engine = get_engine(settings.db_url)
    if problem := cookie_key_problem(settings, demo_enabled(settings, demo_database(settings.db_url))):
        st.error(problem)
        st.stop()

    notice = st.empty()
    username = login_gate(engine, settings)
    if username is None:
        if filled:  # on the login screen of the server process that just made the demo database
            notice.success("Bij de eerste start van deze server is de database aangemaakt en gevuld met demogegevens.")
        # Keep the page the URL asks for (a bookmark, a shared dossier link) through the login:
        # every page is known but hidden, none runs; after login the role's own pages take over,
        # on that page when the role has it, else on the role's first page.
        st.navigation(all_pages(), position="hidden")
        st.stop()
    try:
        role = choose_role(roles_of(engine, viewer_for(engine, username).user_id))
        st.session_state["viewer"] = viewer = viewer_for(engine, username, role)
    except AccessDenied:
        st.error("Uw account is niet (meer) actief of heeft geen rol. Neem contact op met de beheerder.")
        st.stop()
    st.session_state["data_versions"] = data_versions()
    # Whoever came in through the institution's login has no password of ours to change.
    password_due = not st.session_state.get(SSO) and must_change_password(engine, username)
    # expanded: every page in the menu (Streamlit hides more than ten behind an English "View more").
    page = st.navigation(pages_for(viewer.role, must_change_password=password_due), expanded=True)
    st.session_state["filters"] = render_sidebar(viewer, settings.db_url, page.url_path)
    logout_button(engine)
    return viewer, page


try:
    viewer, page = _enter(settings)
except UNREACHABLE:
    get_logger("database").exception("database niet bereikbaar")
    st.error(DATABASE_DOWN, icon=":material/cloud_off:")
    st.stop()
started = time.perf_counter()
try:
    run_pending_command()
    page.run()
except UNREACHABLE:
    get_logger("database").exception("database niet bereikbaar", extra={"gebruiker": viewer.user_id, "pagina": page.title})
    st.error(DATABASE_DOWN, icon=":material/cloud_off:")
except Exception:
    # The traceback goes to the log; the user reads Dutch (st.stop and reruns are no Exception).
    get_logger("pagina").exception("paginafout", extra={"gebruiker": viewer.user_id, "pagina": page.title})
    st.error("Deze pagina kon niet worden getoond door een fout in de toepassing. Probeer het later opnieuw; "
             "de beheerder vindt de fout in het log.", icon=":material/error:")
    if raise_errors():
        raise
finally:
    get_logger("pagina").info("pagina", extra={"gebruiker": viewer.user_id, "pagina": page.title,
                                               "duur_ms": round((time.perf_counter() - started) * 1000)})
