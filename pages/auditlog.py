import streamlit as st

from dashboard.widgets import coming_soon

st.title("Auditlog")
coming_soon("het logboek van alle wijzigingen doorzoeken.")
