import streamlit as st

from dashboard.charts import rubric_distribution_chart
from dashboard.context import current_filters, current_viewer
from dashboard.data import rubric_distribution, rubrics
from data_access.models import Moment

st.title("Beoordelingen")
viewer, filters = current_viewer(), current_filters()
versions = rubrics(viewer)
if versions.empty:
    st.info("Er zijn geen rubrics voor uw opleiding.")
    st.stop()
labels = {r.rubric_id: f"{r.rubric} — versie {r.version}" for r in versions.itertuples()}
left, right = st.columns(2)
rubric_id = left.selectbox("Rubric", list(labels), format_func=labels.get, key="beoordelingen_rubric")
moment = right.radio(
    "Moment", list(Moment), key="beoordelingen_moment", horizontal=True,
    format_func=lambda m: "Eind (summatief)" if m is Moment.EIND else "Tussentijds (formatief)",
)
distribution = rubric_distribution(viewer, filters, rubric_id, moment)
st.altair_chart(rubric_distribution_chart(distribution), width="stretch", theme=None)
