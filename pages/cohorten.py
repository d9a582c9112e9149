import streamlit as st

from dashboard.context import current_filters, current_viewer
from dashboard.data import stage_progress
from dashboard.exports import to_csv_bytes, to_xlsx_bytes
from dashboard.tables import progress_export, progress_table
from data_access.flags import FLAG_KINDS, count_flags

st.title("Cohorten")
viewer, selection = current_viewer(), current_filters()
progress = stage_progress(viewer, selection)
st.caption(f"{len(progress)} stages · peildatum {selection.today:%d-%m-%Y}")

counts = count_flags(progress)
columns = st.columns(4)
for i, (kind, label) in enumerate(FLAG_KINDS.items()):
    columns[i % 4].metric(label, counts[kind], help="Aantal stages met dit signaal")

chosen = st.multiselect(
    "Alleen stages met signaal", list(FLAG_KINDS), format_func=FLAG_KINDS.get,
    key="cohorten_signalen", placeholder="Alle stages",
)
shown = progress[progress["flags"].map(lambda f: all(k in f for k in chosen))]
shown = shown.sort_values(["flag_count", "aios_name"], ascending=[False, True])
st.dataframe(progress_table(shown), hide_index=True, width="stretch")

export = progress_export(shown)
left, right = st.columns(2)
left.download_button("Download CSV", to_csv_bytes(export), "cohortoverzicht.csv", "text/csv", key="cohorten_csv")
right.download_button(
    "Download Excel", to_xlsx_bytes(export, "Cohortoverzicht"), "cohortoverzicht.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="cohorten_xlsx",
)
