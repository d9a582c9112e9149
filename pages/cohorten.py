import streamlit as st

from dashboard.charts import gesprek_weeks_chart, stage_position_chart
from dashboard.context import current_filters, current_viewer
from dashboard.data import cohort_files, gesprek_weeks, stage_progress
from dashboard.navigation import open_dossier
from dashboard.tables import progress_table
from data_access.flags import FLAG_KINDS, count_flags, select_flagged

st.title("Cohorten")
viewer, selection = current_viewer(), current_filters()
progress = stage_progress(viewer, selection)
st.caption(f"{len(progress)} stages · peildatum {selection.today:%d-%m-%Y}")

counts = count_flags(progress)
columns = st.columns(4)
for i, (kind, label) in enumerate(FLAG_KINDS.items()):
    columns[i % 4].metric(label, counts[kind], help="Aantal stages met dit signaal")

if not progress.empty:
    left, right = st.columns(2)
    left.altair_chart(stage_position_chart(progress), width="stretch", theme=None)
    right.altair_chart(gesprek_weeks_chart(gesprek_weeks(viewer, selection)), width="stretch", theme=None)

chosen = tuple(st.multiselect(
    "Alleen stages met signaal", list(FLAG_KINDS), format_func=FLAG_KINDS.get,
    key="cohorten_signalen", placeholder="Alle stages",
))
shown = select_flagged(progress, chosen)
st.caption("Kies een rij om het dossier van die aios te openen.")
picked = st.dataframe(
    progress_table(shown), hide_index=True, width="stretch",
    on_select="rerun", selection_mode="single-row", key="cohorten_tabel",
)
if picked.selection.rows:
    stage = shown.iloc[picked.selection.rows[0]]
    open_dossier(int(stage["aios_id"]), int(stage["stage_id"]))

csv, xlsx = cohort_files(viewer, selection, chosen)
left, right = st.columns(2)
left.download_button("Download CSV", csv, "cohortoverzicht.csv", "text/csv", key="cohorten_csv")
right.download_button(
    "Download Excel", xlsx, "cohortoverzicht.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="cohorten_xlsx",
)
