import datetime as dt

import streamlit as st

from dashboard.actions import decide
from dashboard.context import current_filters, current_viewer
from dashboard.data import decisions, meeting_pack, stageplaats_overview
from dashboard.tables import sites_table
from dashboard.text import literal
from dashboard.widgets import field_error, form_outcome, run_command
from data_access.models import Decision
from data_access.queries.stageplaatsen import due_follow_ups

st.title("Vergadering")
viewer, filters = current_viewer(), current_filters()
overview, _ = stageplaats_overview(viewer, filters)
names = dict(zip(overview["stageplaats_id"], overview["stageplaats"], strict=True))
due = due_follow_ups(overview, filters.today)
flagged = overview[overview["flag_count"] > 0]
if "vergadering_agenda" not in st.session_state:
    # The next agenda starts with every follow-up that is due, then the flagged sites.
    st.session_state["vergadering_agenda"] = list(dict.fromkeys([*due["stageplaats_id"], *flagged["stageplaats_id"]]))[:12]
st.caption(f"{len(due)} opvolging(en) verlopen · {len(flagged)} stageplaatsen met signaal. "
           "De agenda begint met de verlopen opvolgingen en de stageplaatsen met een signaal.")
agenda = st.multiselect("Agenda", list(names), format_func=names.get, key="vergadering_agenda",
                        placeholder="Kies stageplaatsen voor de agenda")
if not agenda:
    st.info("Zet stageplaatsen op de agenda om ze te bespreken.")
    st.stop()

pack = meeting_pack(viewer, filters, tuple(agenda))
left, right = st.columns(2)
left.download_button("Vergaderstuk (PDF)", lambda: pack()[0], "vergaderstuk.pdf", "application/pdf",
                     icon=":material/picture_as_pdf:", key="vergadering_pdf")
right.download_button("Vergaderstuk (Excel)", lambda: pack()[1], "vergaderstuk.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      icon=":material/table:", key="vergadering_xlsx")
sites = overview.set_index("stageplaats_id").loc[agenda].reset_index()
st.dataframe(sites_table(sites), hide_index=True, width="stretch")

for site in sites.itertuples():
    form = f"besluit_{site.stageplaats_id}"
    with st.container(border=True):
        st.subheader(literal(site.stageplaats))
        if site.flags:
            st.warning("\n".join(f"- {f}" for f in site.flags), icon=":material/flag:")
        history = decisions(viewer, (int(site.stageplaats_id),))
        for r in history.head(3).itertuples():
            follow = f" · opvolgen op {r.follow_up_date:%d-%m-%Y}" if r.follow_up_date else ""
            st.caption(f"Eerder: {r.date:%d-%m-%Y} {r.decision}{follow}")
        with st.form(form, clear_on_submit=False, border=False):
            st.radio("Besluit", list(Decision), format_func=lambda d: d.value, horizontal=True, key=f"{form}_besluit")
            st.text_area("Motivering", key=f"{form}_motivering", max_chars=2000)
            field_error(form, "rationale")
            st.date_input("Opvolgen op", value=None, min_value=filters.today + dt.timedelta(days=1),
                          format="DD-MM-YYYY", key=f"{form}_opvolging")
            field_error(form, "follow_up_date")
            st.form_submit_button(
                "Besluit vastleggen", type="primary",
                on_click=run_command,
                args=(form, lambda f=form, s=site: decide(
                    viewer, int(s.stageplaats_id), s.stageplaats, st.session_state[f"{f}_besluit"],
                    st.session_state[f"{f}_motivering"], st.session_state[f"{f}_opvolging"], filters.today)),
            )
        form_outcome(form)
