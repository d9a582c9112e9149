import streamlit as st

from dashboard.widgets import coming_soon

st.title("Feedback")
coming_soon("feedbackmomenten per week, per stageplaats en per begeleider.")
