import streamlit as st

from dashboard.widgets import coming_soon

st.title("Verslag schrijven")
coming_soon("het verslag van een gesprek schrijven en ter bevestiging aanbieden.")
