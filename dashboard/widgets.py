"""Small shared page pieces."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from data_access.flags import due_next


def coming_soon(what: str) -> None:
    """An honest placeholder: the page exists in the navigation, its content is not built yet."""
    st.info(f"Deze pagina is nog in aanbouw: {what}", icon="🚧")


def stage_cards(progress: pd.DataFrame, today: dt.date, *, show_name: bool) -> None:
    """One compact card per stage, readable on a phone: what is due next on top, then the
    flags in words, then the counts that matter."""
    for _, row in progress.iterrows():
        with st.container(border=True):
            title = f"**{row['aios_name']}** · " if show_name else ""
            st.markdown(f"{title}{row['stageplaats']}  \nWeek {row['week']} van {row['weeks_total']}")
            next_item = due_next(row, today)
            if next_item:
                st.info(f"Volgende: {next_item}", icon=":material/event:")
            for sentence in row["flags"].values():
                st.warning(sentence, icon=":material/flag:")
            st.caption(
                f"Begeleidingsgesprekken {row['n_begeleidingsgesprek']} van {row['expected_begeleidingsgesprek']} · "
                f"KPB's {row['kpb_done']} van verwacht {row['expected_kpb']} · "
                f"leerdoelen behaald {row['leerdoelen_behaald']} van {row['leerdoelen_total']}"
            )
