import streamlit as st

from dashboard.widgets import coming_soon

st.title("Vergadering")
coming_soon("de agenda en besluiten van de stagecommissie.")
