import streamlit as st

from dashboard.context import current_filters, current_viewer
from dashboard.data import stageplaats_overview
from dashboard.meetings import choose_meeting, hold, meeting, minutes, prepare, prepared

st.title("Vergadering")
viewer, filters = current_viewer(), current_filters()
meeting_id = choose_meeting(viewer, filters)
overview, _ = stageplaats_overview(viewer, filters)
if meeting_id is None:
    prepare(viewer, filters, overview)
    st.stop()
chosen = meeting(viewer, meeting_id)
if chosen.status == "voorbereid":
    prepared(viewer, filters, chosen, overview)
elif chosen.status == "bezig":
    hold(viewer, filters, chosen, overview)
else:
    minutes(viewer, filters, chosen)
