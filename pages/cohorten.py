import streamlit as st

from dashboard.context import current_filters, current_viewer
from dashboard.data import stage_progress
from dashboard.tables import progress_table

st.title("Cohorten")
viewer, filters = current_viewer(), current_filters()
progress = stage_progress(viewer, filters)
st.caption(f"{len(progress)} stages · peildatum {filters.today:%d-%m-%Y}")
st.dataframe(progress_table(progress), hide_index=True, width="stretch")
