import streamlit as st

from dashboard.widgets import coming_soon

st.title("Stageplaats beoordelen")
coming_soon("uw stageplaats beoordelen na afloop van de stage.")
