import streamlit as st

from dashboard.context import current_filters, current_viewer
from dashboard.data import stage_progress
from dashboard.feedback_requests import open_requests_section
from dashboard.stageplan import stageplans_to_approve
from dashboard.widgets import stage_cards

st.title("Mijn aios")
selection = current_filters()
stageplans_to_approve(current_viewer(), selection.today)
progress = stage_progress(current_viewer(), selection)
open_requests_section(current_viewer(), selection.today)
if progress.empty:
    st.info("Er zijn op dit moment geen aios bij u geplaatst.")
else:
    stage_cards(progress, selection.today, show_name=True)
