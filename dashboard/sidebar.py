"""The shared sidebar: who is logged in, the shared filters, and which database is in use."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.data import filter_options, is_demo
from dashboard.text import literal
from data_access.db import describe_database
from data_access.models import Role
from data_access.queries.filters import StageSelection
from data_access.viewer import Viewer

PERIODS = {"Lopende stages": True, "Alle stages": False}


def choose_role(roles: list[Role]) -> Role:
    if len(roles) == 1:
        return roles[0]
    return st.sidebar.selectbox("Rol", roles, format_func=lambda r: r.value, key="actieve_rol")


def render_sidebar(viewer: Viewer, db_url: str) -> StageSelection:
    """Draw the sidebar; return the shared filters. Widget keys are explicit and live here,
    in the entrypoint's run, so a page switch keeps them (DESIGN.md pitfalls)."""
    sb = st.sidebar
    if is_demo():
        sb.warning("**Demo-omgeving** — voorbeeldgegevens en demo-accounts (wachtwoord `demo`).", icon=":material/science:")
    sb.markdown(f"Ingelogd als **{literal(viewer.display_name)}**  \nRol: {viewer.role.value}")
    options = filter_options(viewer)
    opleidingen = options.drop_duplicates("opleiding_id")
    opleiding_id = None
    if len(opleidingen) > 0:
        names = dict(zip(opleidingen["opleiding_id"], opleidingen["opleiding"], strict=True))
        opleiding_id = sb.selectbox(
            "Opleiding", list(names), format_func=lambda o: literal(names[o]), key="filter_opleiding"
        )
    cohorts = options[options["opleiding_id"] == opleiding_id]
    cohort_names = dict(zip(cohorts["cohort_id"], cohorts["cohort"], strict=True))
    cohort_ids = sb.multiselect(
        "Cohort", list(cohort_names), format_func=cohort_names.get, key="filter_cohorten",
        placeholder="Alle cohorten",
    )
    period = sb.radio("Periode", list(PERIODS), key="filter_periode", horizontal=True)
    sb.caption(f"Database: {describe_database(db_url)}")
    return StageSelection(
        today=dt.date.today(),
        opleiding_id=opleiding_id,
        cohort_ids=tuple(sorted(cohort_ids)),
        running_only=PERIODS[period],
    )
