import streamlit as st

from dashboard.context import current_filters, current_viewer
from dashboard.data import stage_progress
from dashboard.stageplan import stageplan_section
from dashboard.widgets import stage_cards

st.title("Mijn stage")
selection = current_filters()
progress = stage_progress(current_viewer(), selection)
if progress.empty:
    st.info("U heeft op dit moment geen lopende stage.")
else:
    stage_cards(progress, selection.today, show_name=False)
stageplan_section(current_viewer(), selection.today)
