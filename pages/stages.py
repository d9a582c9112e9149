import streamlit as st

from dashboard.context import current_filters, current_viewer
from dashboard.stages import add_stage_form, change_stage_form

st.title("Stages")
viewer, today = current_viewer(), current_filters().today

toevoegen, wijzigen = st.tabs(["Stage toevoegen", "Stage wijzigen"])
with toevoegen:
    add_stage_form(viewer, today)
with wijzigen:
    change_stage_form(viewer, today)
