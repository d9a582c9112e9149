"""What a page needs from the shell: who is looking, the shared filters, and the engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from data_access.viewer import Viewer


@dataclass(frozen=True)
class Filters:
    """The sidebar's shared filters; frozen and hashable, so they key the caches."""

    opleiding_id: int | None
    cohort_ids: tuple[int, ...]
    running_only: bool
    today: dt.date


def current_viewer() -> Viewer:
    return st.session_state["viewer"]


def current_filters() -> Filters:
    return st.session_state["filters"]
