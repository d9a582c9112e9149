import streamlit as st

from dashboard.context import current_filters, current_viewer
from dashboard.data import stage_progress
from dashboard.feedback_requests import my_requests_section
from dashboard.stageplan import stageplan_section
from dashboard.stageverslag import aios_stageverslag
from dashboard.widgets import rating_due_buttons, stage_cards

st.title("Mijn stage")
selection = current_filters()
rating_due_buttons(current_viewer(), selection.today)
progress = stage_progress(current_viewer(), selection)
if progress.empty:
    st.info("U heeft op dit moment geen lopende stage.")
else:
    stage_cards(progress, selection.today, show_name=False)
    aios_stageverslag(current_viewer(), progress, selection.today)
stageplan_section(current_viewer(), selection.today)
my_requests_section(current_viewer(), progress, selection.today)
