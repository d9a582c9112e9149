import streamlit as st

from dashboard.context import current_filters, current_viewer
from dashboard.data import stage_progress
from dashboard.feedback_requests import answer_banner, answering_stage
from dashboard.gesprek_form import choose_stage, held_stage, logging_tabs, waiting_for_review

st.title("Gesprek vastleggen")
viewer, filters = current_viewer(), current_filters()

answering = answering_stage(viewer, filters.today)
if answering is not None:  # answering a feedback request: its aios' stage and no other
    if not answering.empty:
        stage = held_stage(answering)
        answer_banner(viewer, stage, filters.today)
        logging_tabs(viewer, stage, filters.today)
else:
    stages = stage_progress(viewer, filters)
    if stages.empty:
        st.info("Er is geen lopende stage om een gesprek bij vast te leggen.")
    else:
        logging_tabs(viewer, choose_stage(stages, filters.today), filters.today)
waiting_for_review(viewer)
