"""Small shared page pieces."""

from __future__ import annotations

import streamlit as st


def coming_soon(what: str) -> None:
    """An honest placeholder: the page exists in the navigation, its content is not built yet."""
    st.info(f"Deze pagina is nog in aanbouw: {what}", icon="🚧")
