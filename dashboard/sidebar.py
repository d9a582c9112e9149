"""The shared sidebar: who is logged in, the shared filters, and which database is in use."""

from __future__ import annotations

import streamlit as st

from dashboard.data import filter_options, is_demo
from dashboard.resources import get_settings
from dashboard.text import literal
from data_access import clock
from data_access.db import describe_database
from data_access.models import Role
from data_access.queries.filters import StageSelection
from data_access.viewer import Viewer

PERIODS = {"Lopende stages": True, "Alle stages": False}


def choose_role(roles: list[Role]) -> Role:
    if len(roles) == 1:
        return roles[0]
    return st.sidebar.selectbox("Rol", roles, format_func=lambda r: r.value, key="actieve_rol")


OPLEIDING, COHORT, PERIODE = "opleiding", "cohort", "periode"
# The shared filters each page reads (by its URL path); a page not named here reads none.
PAGE_FILTERS: dict[str, frozenset[str]] = {
    "cohorten": frozenset({OPLEIDING, COHORT, PERIODE}),
    "feedback": frozenset({OPLEIDING, COHORT, PERIODE}),
    "aios": frozenset({OPLEIDING, COHORT}),
    "beoordelingen": frozenset({OPLEIDING, COHORT}),
    "exporteren": frozenset({OPLEIDING, COHORT}),
    "gesprek_vastleggen": frozenset({OPLEIDING, COHORT}),
    "stageplaatsen": frozenset({OPLEIDING}),
    "vergadering": frozenset({OPLEIDING}),
}
# A begeleider's own pages show their own aios in running stages, an aios' pages themself.
PERSONAL_PAGES = {Role.STAGEBEGELEIDER: {"mijn_aios", "aios", "gesprek_vastleggen"}}
FILTER_KEYS = ("filter_opleiding", "filter_cohorten", "filter_periode")


def filters_for(role: Role, url_path: str) -> frozenset[str]:
    """The shared filters the sidebar shows on a page, for a role: only those the page uses,
    none for an aios, none on a begeleider's own pages, and no cohort for the stagecommissie: it
    sees no aios one by one, and a cohort cuts the cells its figures are made of
    (data_access.disclosure), so every figure would be empty."""
    if role is Role.AIOS or url_path in PERSONAL_PAGES.get(role, set()):
        return frozenset()
    shown = PAGE_FILTERS.get(url_path, frozenset())
    return shown - {COHORT} if role is Role.STAGECOMMISSIE else shown


def render_sidebar(viewer: Viewer, db_url: str, url_path: str) -> StageSelection:
    """Draw the sidebar; return the shared filters. Widget keys are explicit and live here,
    in the entrypoint's run, so a page switch keeps them (DESIGN.md pitfalls); a filter the
    page does not show keeps its value for the next page that does (Streamlit forgets the
    value of a widget that is not drawn, unless it is handed back to it in every run)."""
    for key in FILTER_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    shown = filters_for(viewer.role, url_path)
    sb = st.sidebar
    if is_demo():
        sb.warning("**Demo-omgeving** — voorbeeldgegevens en demo-accounts (wachtwoord `demo`).", icon=":material/science:")
    sb.markdown(f"Ingelogd als **{literal(viewer.display_name)}**  \nRol: {viewer.role.value}")
    selection = StageSelection(today=clock.today(get_settings()))
    if shown:
        selection = _filters(sb, viewer, shown, selection)
    if viewer.role is Role.BEHEERDER:
        sb.caption(f"Database: {describe_database(db_url)}")
    return selection


def _filters(sb, viewer: Viewer, shown: frozenset[str], selection: StageSelection) -> StageSelection:
    options = filter_options(viewer)
    opleidingen = options.drop_duplicates("opleiding_id")
    opleiding_id = None
    if len(opleidingen) > 0:
        names = dict(zip(opleidingen["opleiding_id"], opleidingen["opleiding"], strict=True))
        opleiding_id = sb.selectbox(
            "Opleiding", list(names), format_func=lambda o: literal(names[o]), key="filter_opleiding"
        )
    cohort_ids: list[int] = []
    if COHORT in shown:
        cohorts = options[options["opleiding_id"] == opleiding_id]
        cohort_names = dict(zip(cohorts["cohort_id"], cohorts["cohort"], strict=True))
        if st.session_state.get("filter_cohorten") and not set(st.session_state["filter_cohorten"]) <= set(cohort_names):
            st.session_state["filter_cohorten"] = [c for c in st.session_state["filter_cohorten"] if c in cohort_names]
        cohort_ids = sb.multiselect(
            "Cohort", list(cohort_names), format_func=cohort_names.get, key="filter_cohorten",
            placeholder="Alle cohorten",
        )
    running_only = True
    if PERIODE in shown:
        running_only = PERIODS[sb.radio("Periode", list(PERIODS), key="filter_periode", horizontal=True)]
    return StageSelection(
        today=selection.today,
        opleiding_id=opleiding_id,
        cohort_ids=tuple(sorted(cohort_ids)),
        running_only=running_only,
    )
