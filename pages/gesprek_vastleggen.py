import streamlit as st

from dashboard.context import current_filters, current_viewer
from dashboard.data import stage_progress
from dashboard.feedback_requests import answer_banner
from dashboard.gesprek_form import choose_stage, logging_tabs, waiting_for_review

st.title("Gesprek vastleggen")
viewer, filters = current_viewer(), current_filters()

stages = stage_progress(viewer, filters)
if stages.empty:
    st.info("Er is geen lopende stage om een gesprek bij vast te leggen.")
else:
    stage = choose_stage(stages, filters.today)
    answer_banner(viewer, int(stage["stage_id"]), filters.today)
    logging_tabs(viewer, stage, filters.today)
waiting_for_review(viewer)
