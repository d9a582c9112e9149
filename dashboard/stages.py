"""The Stages page (stage toevoegen / wijzigen) and the Stageplansjablonen page, and the one line
in the dossier that says which template a stageplan came from. The checks and the access are
the commands' (data_access.stages, data_access.stageplan_templates); what a form offers comes
from data_access.queries.stages through the cache."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.actions import edit_stage, new_stage, save_stageplan_template
from dashboard.context import current_filters
from dashboard.data import cached_query
from dashboard.gesprek_form import LEVEL_HELP
from dashboard.text import literal
from dashboard.widgets import command_button, field_error, form_outcome, form_token
from data_access.cycle import rhythm_text
from data_access.queries.stages import (
    load_managed_aios,
    load_managed_opleidingen,
    load_managed_stages,
    load_site_begeleiders,
    load_stageplan_origin,
    load_template_epas,
    load_template_opdrachten,
    load_template_versions,
)
from data_access.stageplan_templates import DEFAULT_VERSLAG_DAYS, TemplateInput
from data_access.stages import StageChange, StageInput
from data_access.viewer import Viewer

NONE = 0  # "no second begeleider" / "EPA not in the template" in a selectbox


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def choose_opleiding(viewer: Viewer, key: str) -> pd.Series | None:
    """The opleiding the page works on (a choice only when the viewer manages more than one;
    the sidebar's opleiding first)."""
    opleidingen = cached_query(load_managed_opleidingen, viewer)
    if opleidingen.empty:
        st.info("U beheert geen opleiding: stages en sjablonen legt u vast voor de aios van uw cohorten.")
        return None
    names = dict(zip(opleidingen["opleiding_id"], opleidingen["opleiding"], strict=True))
    options = list(names)
    chosen = current_filters().opleiding_id if current_filters().opleiding_id in names else options[0]
    if len(names) > 1:
        chosen = st.selectbox("Opleiding", options, index=options.index(chosen), format_func=lambda o: literal(names[o]),
                              key=key)
    return opleidingen.set_index("opleiding_id").loc[chosen].rename(chosen)


def template_summary(opleiding: pd.Series) -> str:
    """What a new stage's plan gets, in one sentence."""
    if pd.isna(opleiding["template_id"]):
        return (f"Er is nog geen stageplansjabloon voor deze opleiding: het stageplan krijgt "
                f"{opleiding['kpb_target_default']} KPB's (de standaard van de opleiding), wekelijkse "
                f"begeleidingsgesprekken en het stageverslag {DEFAULT_VERSLAG_DAYS} dagen voor het einde.")
    return (f"Het stageplan komt uit sjabloon {literal(opleiding['name'])} versie {opleiding['version']}: "
            f"{opleiding['kpb_target']} KPB's, begeleidingsgesprekken {rhythm_text(int(opleiding['gesprek_interval_weeks']))}, "
            f"stageverslag {opleiding['verslag_days_before']} dagen voor het einde.")


def _begeleider_fields(form: str, names: dict[int, str], primary: int | None, second: int | None) -> None:
    options = list(names)
    st.selectbox("Begeleider", options, index=options.index(primary) if primary in options else None,
                 format_func=lambda b: literal(names[b]), key=f"{form}_begeleider", placeholder="Kies de begeleider")
    field_error(form, "begeleider_id")
    seconds = [NONE, *options]
    st.selectbox("Tweede begeleider (optioneel)", seconds, index=seconds.index(second) if second in seconds else 0,
                 format_func=lambda b: "Geen" if b == NONE else literal(names[b]), key=f"{form}_tweede")
    field_error(form, "second_begeleider_id")


def _period_fields(form: str, start: dt.date | None, end: dt.date | None, fte: float) -> None:
    left, right = st.columns(2)
    with left:
        st.date_input("Startdatum", value=start, format="DD-MM-YYYY", key=f"{form}_start")
        field_error(form, "start_date")
    with right:
        st.date_input("Einddatum", value=end, format="DD-MM-YYYY", key=f"{form}_einde")
        field_error(form, "end_date")
    # No bounds in the widget: an out-of-range value gets the command's Dutch message at the field.
    st.number_input("Fte", value=fte, step=0.1, format="%.2f", key=f"{form}_fte",
                    help="0,1 tot en met 1. Overlappende stages van één aios samen hooguit 1 fte.")
    field_error(form, "fte")


def _second(form: str) -> int | None:
    value = st.session_state.get(f"{form}_tweede")
    return None if value in (None, NONE) else value


def add_stage_form(viewer: Viewer, today: dt.date) -> None:
    """Stage toevoegen: opleiding and stageplaats first (they decide the begeleiders offered)."""
    opleiding = choose_opleiding(viewer, "stage_nieuw_opleiding")
    if opleiding is None:
        return
    form = "stage_nieuw"
    sites = cached_query(load_site_begeleiders, viewer, opleiding_id=int(opleiding.name))
    site_names = dict(zip(sites["stageplaats_id"], sites["stageplaats"] + " (" + sites["code"] + ")", strict=False))
    site = st.selectbox("Stageplaats", list(site_names), index=None, format_func=lambda s: literal(site_names[s]),
                        key=f"{form}_plaats", placeholder="Kies de stageplaats")
    field_error(form, "stageplaats_id")
    if site is None:
        form_outcome(form)
        return
    linked = sites[(sites["stageplaats_id"] == site) & sites["begeleider_id"].notna()]
    names = dict(zip(linked["begeleider_id"].astype(int), linked["begeleider"], strict=True))
    if not names:
        st.warning("Aan deze stageplaats is nog geen begeleider gekoppeld. Koppel er eerst een op de pagina Gebruikers.")
    aios = cached_query(load_managed_aios, viewer, opleiding_id=int(opleiding.name))
    aios_names = dict(zip(aios["aios_id"], aios["aios_name"] + " (" + aios["cohort"] + ")", strict=True))
    st.caption(template_summary(opleiding))
    form_token(form)
    keys = {f"{form}_aios": None, f"{form}_begeleider": None, f"{form}_tweede": NONE, f"{form}_start": None,
            f"{form}_einde": None, f"{form}_fte": 1.0, f"{form}_token": None}
    with st.form(form, enter_to_submit=False):
        st.selectbox("Aios", list(aios_names), index=None, format_func=lambda a: literal(aios_names[a]),
                     key=f"{form}_aios", placeholder="Kies de aios")
        field_error(form, "aios_id")
        _begeleider_fields(form, names, None, NONE)
        _period_fields(form, None, None, 1.0)

        def save() -> str:
            s = st.session_state
            data = StageInput(s[f"{form}_aios"], site, s[f"{form}_begeleider"], _second(form), s[f"{form}_start"],
                              s[f"{form}_einde"], s[f"{form}_fte"], s[f"{form}_token"])
            who = aios_names.get(data.aios_id, "")
            return new_stage(viewer, data, today, f"{who} op {site_names[site]}")

        command_button("Stage toevoegen", form, save, keys, type="primary", submit=True)
    form_outcome(form)


def change_stage_form(viewer: Viewer, today: dt.date) -> None:
    """Stage wijzigen: begeleiders, period and fte of one stage of a managed aios."""
    opleiding = choose_opleiding(viewer, "stage_wijzig_opleiding")
    if opleiding is None:
        return
    aios = cached_query(load_managed_aios, viewer, opleiding_id=int(opleiding.name))
    aios_names = dict(zip(aios["aios_id"], aios["aios_name"] + " (" + aios["cohort"] + ")", strict=True))
    aios_id = st.selectbox("Aios", list(aios_names), index=None, format_func=lambda a: literal(aios_names[a]),
                           key="stage_wijzig_aios", placeholder="Kies de aios")
    if aios_id is None:
        return
    stages = cached_query(load_managed_stages, viewer, aios_id=aios_id)
    if stages.empty:
        st.info("Deze aios heeft nog geen stages.")
        return
    labels = {int(r.stage_id): f"{r.stageplaats}, {r.start_date:%d-%m-%Y} t/m {r.end_date:%d-%m-%Y} ({r.status})"
              for r in stages.itertuples()}
    stage_id = st.selectbox("Stage", list(labels), format_func=lambda s: literal(labels[s]), key="stage_wijzig_stage")
    stage = stages.set_index("stage_id").loc[stage_id]
    sites = cached_query(load_site_begeleiders, viewer, opleiding_id=int(opleiding.name))
    linked = sites[(sites["stageplaats_id"] == stage["stageplaats_id"]) & sites["begeleider_id"].notna()]
    names = dict(zip(linked["begeleider_id"].astype(int), linked["begeleider"], strict=True))
    if pd.notna(stage["verslag_handed_in"]):
        st.caption(f"Het stageverslag is ingeleverd op {stage['verslag_handed_in']:%d-%m-%Y}: de inleverdatum blijft staan.")
    else:
        st.caption("Een nieuwe einddatum verschuift de uiterste inleverdatum van het stageverslag mee.")
    form = f"stage_wijzig_{stage_id}"
    with st.form(form, enter_to_submit=False):
        _begeleider_fields(form, names, _int(stage["begeleider_id"]), _int(stage["second_begeleider_id"]) or NONE)
        _period_fields(form, stage["start_date"], stage["end_date"], float(stage["fte"]))

        def save() -> str:
            s = st.session_state
            data = StageChange(s[f"{form}_begeleider"], _second(form), s[f"{form}_start"], s[f"{form}_einde"],
                               s[f"{form}_fte"])
            return edit_stage(viewer, stage_id, data, today, f"{aios_names[aios_id]}, {stage['stageplaats']}")

        command_button("Wijzigingen opslaan", form, save, type="primary", submit=True)
    form_outcome(form)


def template_form(viewer: Viewer) -> None:
    """Edit an opleiding's stageplan template; saving a change makes a new version."""
    opleiding = choose_opleiding(viewer, "sjabloon_opleiding")
    if opleiding is None:
        return
    oid = int(opleiding.name)
    st.caption(template_summary(opleiding))
    epas = cached_query(load_template_epas, viewer, opleiding_id=oid)
    opdrachten = cached_query(load_template_opdrachten, viewer, opleiding_id=oid)
    version = _int(opleiding["version"]) or 0
    form = f"sjabloon_{oid}_{version}"  # a new version starts a form with its values
    form_token(form)
    has = not pd.isna(opleiding["template_id"])
    with st.form(form, enter_to_submit=False):
        st.text_input("Naam van het sjabloon", value=opleiding["name"] if has else f"Stageplan {opleiding['opleiding']}",
                      key=f"{form}_naam", max_chars=200)
        field_error(form, "name")
        st.number_input("KPB's per stage", step=1, key=f"{form}_kpb",
                        value=int(opleiding["kpb_target"] if has else opleiding["kpb_target_default"]))
        field_error(form, "kpb_target")
        st.radio("Begeleidingsgesprekken", [1, 2], format_func=rhythm_text, horizontal=True, key=f"{form}_ritme",
                 index=[1, 2].index(int(opleiding["gesprek_interval_weeks"])) if has else 0)
        field_error(form, "gesprek_interval_weeks")
        st.number_input("Stageverslag inleveren (dagen voor het einde)", step=1,
                        key=f"{form}_verslag",
                        value=int(opleiding["verslag_days_before"]) if has else DEFAULT_VERSLAG_DAYS)
        field_error(form, "verslag_days_before")
        st.markdown("**EPA's en beoogd supervisieniveau**")
        levels = [NONE, 1, 2, 3, 4, 5]
        for epa in epas.itertuples():
            st.selectbox(literal(f"{epa.code} {epa.name}"), levels, key=f"{form}_epa_{epa.epa_id}",
                         index=levels.index(_int(epa.target_level) or NONE), help=LEVEL_HELP,
                         format_func=lambda lvl: "Niet in het stageplan" if lvl == NONE else f"Niveau {lvl}")
        field_error(form, "epa_targets")
        st.markdown("**Praktijkopdrachten**")
        rows = list(opdrachten.itertuples(index=False)) + [("", None)] * 2
        for i, (title, days) in enumerate(rows):
            left, right = st.columns([3, 1], vertical_alignment="bottom")  # the longer label wraps
            left.text_input(f"Praktijkopdracht {i + 1}", value=title, key=f"{form}_opdracht_{i}", max_chars=200)
            # Each field named by its row: four fields called "Af na" are four times one name on
            # screen and to a screen reader.
            right.number_input(f"Opdracht {i + 1} af na (dagen na de start)", step=1, value=_int(days),
                               key=f"{form}_dagen_{i}")
            field_error(form, f"opdracht_{i}")

        def save() -> str:
            s = st.session_state
            data = TemplateInput(
                oid, s[f"{form}_naam"], s[f"{form}_kpb"], s[f"{form}_ritme"], s[f"{form}_verslag"],
                tuple((int(e), s[f"{form}_epa_{e}"]) for e in epas["epa_id"] if s[f"{form}_epa_{e}"] != NONE),
                tuple((s[f"{form}_opdracht_{i}"], s[f"{form}_dagen_{i}"]) for i in range(len(rows))),
                s[f"{form}_token"])
            message = save_stageplan_template(viewer, data)
            s.pop(f"{form}_token", None)
            return message

        command_button("Sjabloon opslaan", form, save, type="primary", submit=True)
    # The confirmation belongs to the form of the version just saved, which a new version replaced.
    for key in [k for k in st.session_state if k.startswith(f"sjabloon_{oid}_") and k.endswith("_klaar")]:
        st.session_state[f"{form}_klaar"] = st.session_state.pop(key)
    form_outcome(form)
    versions = cached_query(load_template_versions, viewer, opleiding_id=oid)
    if not versions.empty:
        st.markdown("**Versies**")
        shown = versions.assign(
            created_at=versions["created_at"].map(lambda t: f"{t:%d-%m-%Y %H:%M}"),
            gesprek_interval_weeks=versions["gesprek_interval_weeks"].map(rhythm_text),
            created_by=versions["created_by"].fillna(""))
        st.dataframe(shown.rename(columns={
            "version": "Versie", "name": "Naam", "created_at": "Opgeslagen", "created_by": "Door",
            "kpb_target": "KPB's", "gesprek_interval_weeks": "Gesprekken", "verslag_days_before": "Verslag (dagen voor einde)",
            "stageplannen": "Stageplannen"}), hide_index=True, width="stretch")


def stageplan_origin(viewer: Viewer, stage_id: int) -> None:
    """The dossier's line: which template version the stageplan came from (nothing when none)."""
    origin = cached_query(load_stageplan_origin, viewer, stage_id=stage_id)
    if not origin.empty:
        row = origin.iloc[0]
        st.caption(f"Stageplan volgens sjabloon {literal(row['name'])} versie {row['version']} · "
                   f"begeleidingsgesprekken {rhythm_text(int(row['gesprek_interval_weeks']))}")
