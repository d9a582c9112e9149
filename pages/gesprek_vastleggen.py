import streamlit as st

from dashboard.widgets import coming_soon

st.title("Gesprek vastleggen")
coming_soon("snel een gesprek, KPB of feedbackmoment vastleggen.")
