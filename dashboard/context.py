"""What a page needs from the shell: who is looking, the shared filters, and the engine."""

from __future__ import annotations

import streamlit as st

from data_access.queries.filters import StageSelection
from data_access.viewer import Viewer


def current_viewer() -> Viewer:
    return st.session_state["viewer"]


def current_filters() -> StageSelection:
    """The sidebar's shared filters (programme, cohorts, period) as a stage selection."""
    return st.session_state["filters"]
