"""What an opleider does from the aiosdossier: a note for the file (opleiders only), a mark
"bespreken in voortgangsoverleg" with a date (the follow-up list on Cohorten), and an e-mail to
the begeleider about the aios and the signal. Shown only to the opleider and the beheerder."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pandas as pd
import streamlit as st

from dashboard.actions import clear_mark, mark_follow_up, note
from dashboard.data import cached_query
from dashboard.text import literal
from dashboard.widgets import command_button, field_error, form_outcome, form_token
from data_access.follow_up import (
    load_begeleider_contacts,
    load_follow_up_list,
    load_notes,
)
from data_access.permissions import Action, may
from data_access.viewer import Viewer

NOTE, MARK = "notitie", "markering"


def mailto_link(emails: list[str], aios_name: str, flags: dict[str, str]) -> str:
    """A mailto: link to the begeleiders with the aios and the signals in the subject, every
    part URL-encoded (a name or a signal may hold '&', '?' or '#')."""
    signal = "; ".join(flags.values()) if flags else "voortgang"
    to = ",".join(quote(e.strip(), safe="@") for e in emails)
    return f"mailto:{to}?subject={quote(f'{aios_name}: {signal}', safe='')}"


def dossier_actions(viewer: Viewer, aios_id: int, aios_name: str, stage_id: int, flags: dict[str, str],
                    today: dt.date) -> None:
    """The opleider's actions on this aios; nothing for any other role."""
    if not may(viewer, Action.DOSSIER_NOTE):
        return
    with st.expander("Opvolging door de opleider", expanded=True, icon=":material/assignment_ind:"):
        st.caption("Notities en markeringen zien alleen opleiders (en de beheerder), niet de aios, de begeleider of "
                   "de stagecommissie.")
        left, right = st.columns(2, gap="large")
        with left:
            _follow_up(viewer, aios_id, aios_name, today)
            _message(viewer, aios_name, stage_id, flags)
        with right:
            _notes(viewer, aios_id, aios_name)


def _follow_up(viewer: Viewer, aios_id: int, aios_name: str, today: dt.date) -> None:
    marks = cached_query(load_follow_up_list, viewer, aios_id=aios_id)
    if not marks.empty:
        mark = marks.iloc[0]
        st.info(f"Op de lijst voor het voortgangsoverleg van {mark['discuss_on']:%d-%m-%Y}"
                + (f": {literal(mark['reason'])}" if pd.notna(mark["reason"]) and mark["reason"] else "."), icon=":material/event_note:")
        command_button("Besproken: van de lijst halen", MARK,
                       lambda: clear_mark(viewer, int(mark["mark_id"]), aios_name), key=f"{MARK}_besproken",
                       icon=":material/task_alt:")
        form_outcome(MARK)
        return
    form_token(MARK)
    keys = {f"{MARK}_datum": today + dt.timedelta(days=7), f"{MARK}_reden": "", f"{MARK}_token": None}
    with st.form(MARK, border=True, enter_to_submit=False):
        st.markdown("**Bespreken in voortgangsoverleg**")
        st.date_input("Datum van het voortgangsoverleg", value=today + dt.timedelta(days=7), min_value=today, format="DD-MM-YYYY",
                      key=f"{MARK}_datum")
        field_error(MARK, "discuss_on")
        st.text_input("Waarom bespreken? (optioneel)", key=f"{MARK}_reden", max_chars=300)
        field_error(MARK, "reason")
        command_button("Op de lijst zetten", MARK,
                       lambda: mark_follow_up(viewer, aios_id, aios_name, st.session_state[f"{MARK}_datum"],
                                              st.session_state[f"{MARK}_reden"], st.session_state[f"{MARK}_token"],
                                              today),
                       keys, icon=":material/event_note:", submit=True)
    form_outcome(MARK)


def _message(viewer: Viewer, aios_name: str, stage_id: int, flags: dict[str, str]) -> None:
    contacts = cached_query(load_begeleider_contacts, viewer, stage_id=stage_id)
    emails = [e for e in contacts["email"] if e is not None and pd.notna(e) and e.strip()]
    if not emails:
        st.caption("Van de begeleider van deze stage is geen e-mailadres bekend.")
        return
    st.link_button(f"E-mail aan de begeleider ({literal(', '.join(contacts['name']))})",
                   mailto_link(emails, aios_name, flags), icon=":material/mail:")


def _notes(viewer: Viewer, aios_id: int, aios_name: str) -> None:
    form_token(NOTE)
    keys = {f"{NOTE}_tekst": "", f"{NOTE}_token": None}
    with st.form(NOTE, border=True, enter_to_submit=False):
        st.text_area("Notitie voor het dossier", key=f"{NOTE}_tekst", height=90)
        field_error(NOTE, "text")
        command_button("Notitie opslaan", NOTE,
                       lambda: note(viewer, aios_id, aios_name, st.session_state[f"{NOTE}_tekst"],
                                    st.session_state[f"{NOTE}_token"]),
                       keys, icon=":material/note_add:", submit=True)
    form_outcome(NOTE)
    notes = cached_query(load_notes, viewer, aios_id=aios_id)
    for row in notes.itertuples():
        st.caption(f"{row.written_at:%d-%m-%Y} · {literal(row.author)}")
        st.text(row.text)
