"""The opleider's cohort view: signal tiles that filter the table (the filter lives in the URL, so
it survives a visit to a dossier and the browser's Back), the table with the aios and the
signals pinned, and the follow-up list for the voortgangsoverleg."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.actions import clear_mark
from dashboard.data import cached_query
from dashboard.navigation import open_dossier
from dashboard.tables import progress_table
from dashboard.text import literal
from dashboard.widgets import command_button, form_outcome
from data_access.flags import FLAG_KINDS, NO_FLAGS, count_flags
from data_access.follow_up import load_follow_up_list
from data_access.viewer import Viewer

SIGNAL_PARAM = "signaal"
FILTER_KEY = "cohorten_signalen"
REMEMBERED = "cohorten_signaal_gekozen"  # not a widget's key: it outlives a page switch
TILE_KEY = "cohorten_tegel_"
OPTIONS = {**FLAG_KINDS, NO_FLAGS: "Zonder signalen"}
FOLLOW_UP_FORM = "voortgangsoverleg"

# A signal is amber with a warning icon and its words; only "zonder signalen" is calm (green).
# Text on both backgrounds has a contrast above 10:1 (WCAG AAA); the chosen tile gets a dark ring.
_TILE_STYLE = """<style>
[class*="st-key-cohorten_tegel_"] button {
  background: #FFF4D6; color: #4A2A00; border: 1px solid #B45309; border-left: 6px solid #B45309;
  justify-content: flex-start; text-align: left; min-height: 3.2rem;
}
[class*="st-key-cohorten_tegel_"] button:hover { background: #FDE7B0; color: #4A2A00; border-color: #92400E; }
[class*="st-key-cohorten_tegel_"] button p, [class*="st-key-cohorten_tegel_"] button span { color: #4A2A00; }
[class*="st-key-cohorten_tegel_"] button p { white-space: normal; overflow: visible; text-overflow: clip; }
.st-key-cohorten_tegel_geen button { background: #E6F4EC; border-color: #1B7F5A; }
.st-key-cohorten_tegel_geen button:hover { background: #CDEBDA; border-color: #14613F; }
.st-key-cohorten_tegel_geen button p, .st-key-cohorten_tegel_geen button span { color: #0B3D2C; }
</style>"""
_CHOSEN_STYLE = ("<style>.st-key-{key} button {{ box-shadow: 0 0 0 3px #FFFFFF, 0 0 0 6px #1F2937 !important; }}"
                 ".st-key-{key} button p {{ font-weight: 700; }}</style>")


def chosen_signals() -> tuple[str, ...]:
    """The chosen filter, in tile order: from the URL (?signaal=kpb,gesprek), so a link and the
    browser's Back show it; else the last choice in this session (back through the menu)."""
    raw = st.query_params.get(SIGNAL_PARAM)
    if raw is None:
        raw = st.session_state.get(REMEMBERED, "")
    else:
        st.session_state[REMEMBERED] = raw
    wanted = set(raw.split(","))
    return tuple(k for k in OPTIONS if k in wanted)


def _choose(kinds) -> None:
    value = ",".join(k for k in OPTIONS if k in kinds)
    st.session_state[REMEMBERED] = value
    if value:
        st.query_params[SIGNAL_PARAM] = value
    elif SIGNAL_PARAM in st.query_params:
        del st.query_params[SIGNAL_PARAM]


def _carried() -> dict[str, str]:
    """The filter, carried along to a dossier so that the browser's Back finds it again."""
    chosen = chosen_signals()
    return {SIGNAL_PARAM: ",".join(chosen)} if chosen else {}


def _toggle(kind: str) -> None:
    """A tile chooses its signal alone; the chosen tile clicked again shows all stages."""
    kinds = () if chosen_signals() == (kind,) else (kind,)
    _choose(kinds)
    st.session_state[FILTER_KEY] = list(kinds)


def tile_label(kind: str, count: int, total: int, chosen: bool) -> str:
    return f"{OPTIONS[kind]}: {count} van {total}" + (" · filter aan" if chosen else "")


def tile_counts(progress: pd.DataFrame) -> dict[str, int]:
    """Stages per tile: per kind of signal, and (NO_FLAGS) stages without any."""
    return count_flags(progress) | {NO_FLAGS: int((progress["flag_count"] == 0).sum())}


def signal_tiles(progress: pd.DataFrame) -> None:
    """One tile per signal with its count out of all stages shown; a click filters the table."""
    counts, total, chosen = tile_counts(progress), len(progress), chosen_signals()
    st.html(_TILE_STYLE + "".join(_CHOSEN_STYLE.format(key=TILE_KEY + k) for k in chosen if len(chosen) == 1))
    columns = st.columns(3)
    for i, kind in enumerate(OPTIONS):
        calm = kind == NO_FLAGS
        columns[i % 3].button(
            tile_label(kind, counts[kind], total, chosen == (kind,)), key=TILE_KEY + kind, width="stretch",
            icon=":material/check_circle:" if calm else ":material/warning:", on_click=_toggle, args=(kind,),
            help="Toon alleen deze stages; klik nogmaals om alle stages te tonen.",
        )


def signal_filter() -> tuple[str, ...]:
    """The multiselect beside the tiles (for a combination of signals), kept equal to the URL:
    a new widget starts from it, a tile sets it in its callback, its own change writes the URL.
    Never assigned in the script body: that closed its dropdown on every rerun."""
    fresh = FILTER_KEY not in st.session_state
    st.multiselect(
        "Alleen stages met signaal", list(OPTIONS), format_func=OPTIONS.get, key=FILTER_KEY,
        default=list(chosen_signals()) if fresh else None, placeholder="Alle stages",
        on_change=lambda: _choose(st.session_state[FILTER_KEY]),
    )
    return chosen_signals()


# The aios and their signals stay in view while the other columns scroll.
TABLE_CONFIG = {
    "Aios": st.column_config.TextColumn("Aios", pinned=True),
    "Signalen": st.column_config.TextColumn("Signalen", pinned=True, width="large"),
}


def cohort_table(shown: pd.DataFrame) -> None:
    """The stages shown; choosing a row opens that aios' dossier."""
    table = progress_table(shown)
    order = ["Aios", "Signalen"] + [c for c in table.columns if c not in ("Aios", "Signalen")]
    picked = st.dataframe(
        table, hide_index=True, width="stretch", column_config=TABLE_CONFIG, column_order=order,
        on_select="rerun", selection_mode="single-row", key="cohorten_tabel",
    )
    if picked.selection.rows:
        stage = shown.iloc[picked.selection.rows[0]]
        open_dossier(int(stage["aios_id"]), int(stage["stage_id"]), carry=_carried())


def follow_up_list(viewer: Viewer) -> None:
    """The aios marked "bespreken in voortgangsoverleg", by date, each with its dossier and a way
    to take them off the list once discussed."""
    marks = cached_query(load_follow_up_list, viewer)
    with st.expander(f"Voortgangsoverleg ({len(marks)})", expanded=True, icon=":material/event_note:"):
        if marks.empty:
            st.caption("Er staat geen aios op de lijst. Markeer een aios in het aiosdossier om hem of haar hier te zetten.")
        for mark in marks.itertuples():
            text, open_button, done = st.columns([5, 1.7, 1.4], vertical_alignment="center")
            text.markdown(f"**{literal(mark.aios_name)}** ({literal(mark.cohort)}) · bespreken op "
                          f"{mark.discuss_on:%d-%m-%Y} · gemarkeerd door {literal(mark.marked_by)}"
                          + (f"  \n{literal(mark.reason)}" if pd.notna(mark.reason) and mark.reason else ""))
            if open_button.button("Dossier openen", key=f"vo_open_{mark.mark_id}", icon=":material/person_search:"):
                open_dossier(int(mark.aios_id), carry=_carried())
            command_button("Besproken", FOLLOW_UP_FORM,
                           lambda i=int(mark.mark_id), n=mark.aios_name: clear_mark(viewer, i, n),
                           key=f"vo_klaar_{mark.mark_id}", icon=":material/task_alt:",
                           help="Van de lijst halen: besproken in het voortgangsoverleg", where=done)
        form_outcome(FOLLOW_UP_FORM)
