import streamlit as st

from dashboard.context import current_viewer
from dashboard.stages import template_form

st.title("Stageplansjablonen")
st.caption("Wat het stageplan van een nieuwe stage meekrijgt. Een gewijzigd sjabloon wordt een nieuwe versie en geldt "
           "voor nieuwe stages; een bestaand stageplan houdt zijn doelen.")
template_form(current_viewer())
