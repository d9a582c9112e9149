import streamlit as st

from dashboard.context import current_filters, current_viewer
from dashboard.data import stage_progress
from dashboard.tables import progress_table

st.title("Mijn aios")
viewer, filters = current_viewer(), current_filters()
progress = stage_progress(viewer, filters)
if progress.empty:
    st.info("Er zijn op dit moment geen aios bij u geplaatst.")
else:
    st.dataframe(progress_table(progress), hide_index=True, width="stretch")
