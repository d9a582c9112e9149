import streamlit as st

from dashboard.charts import gesprek_weeks_chart, stage_position_chart
from dashboard.cohort import cohort_table, follow_up_list, signal_filter, signal_tiles
from dashboard.context import current_filters, current_viewer
from dashboard.data import cohort_files, gesprek_weeks, stage_progress
from dashboard.widgets import download_button
from data_access.flags import select_flagged

st.title("Cohorten")
viewer, selection = current_viewer(), current_filters()
progress = stage_progress(viewer, selection)
st.caption(f"{len(progress)} stages · peildatum {selection.today:%d-%m-%Y}")

signal_tiles(progress)
chosen = signal_filter()
follow_up_list(viewer)

if not progress.empty:
    left, right = st.columns(2)
    left.altair_chart(stage_position_chart(progress), width="stretch", theme=None)
    right.altair_chart(gesprek_weeks_chart(gesprek_weeks(viewer, selection)), width="stretch", theme=None)

shown = select_flagged(progress, chosen)
st.caption(f"{len(shown)} van {len(progress)} stages getoond. Kies een rij om het dossier van die aios te openen.")
cohort_table(shown)

csv, xlsx = cohort_files(viewer, selection, chosen)
left, right = st.columns(2)
download_button(left, "Download CSV", csv, "cohortoverzicht.csv", "text/csv", key="cohorten_csv")
download_button(right, "Download Excel", xlsx, "cohortoverzicht.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="cohorten_xlsx")
