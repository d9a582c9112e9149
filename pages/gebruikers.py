import streamlit as st

from dashboard.widgets import coming_soon

st.title("Gebruikers")
coming_soon("gebruikers, rollen en koppelingen beheren.")
