import streamlit as st

from dashboard.widgets import coming_soon

st.title("Aios")
coming_soon("het aiosdossier met tijdlijn, stageplan en beoordelingen.")
