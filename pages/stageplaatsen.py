import streamlit as st

from dashboard.context import current_filters, current_viewer
from dashboard.data import stageplaats_ratings
from dashboard.resources import get_settings
from dashboard.tables import ratings_table

st.title("Stageplaatsen")
threshold = get_settings().anonymity_threshold
ratings = stageplaats_ratings(current_viewer(), current_filters())
st.caption(
    f"Gemiddelde beoordeling door aios (1–5). Alleen getoond vanaf {threshold} beoordelingen, "
    "zodat geen enkele beoordeling herleidbaar is."
)
st.dataframe(ratings_table(ratings, threshold), hide_index=True, width="stretch")
