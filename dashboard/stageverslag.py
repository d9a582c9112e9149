"""The stageverslag on the pages: the aios' section on Mijn stage (write or upload, save a new
version, hand it in) and the dossier's part (status, versions, download, "gelezen" for the
begeleider and the opleider). Phone first: one column, full-width buttons.

Access and validation are the commands' own (data_access.stageverslag); a download is made when
its button is clicked and audited then (dashboard.data.audited_download)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard.data import audited_download, cached_query
from dashboard.resources import get_engine, get_settings
from dashboard.text import literal
from dashboard.widgets import command_button, download_button, field_error, form_outcome, form_token
from data_access.errors import ValidationError
from data_access.models import VerslagKind
from data_access.permissions import Action, may
from data_access.stageverslag import (
    MIME,
    StageverslagState,
    VerslagInput,
    as_date,
    download_name,
    hand_in_stageverslag,
    load_stageverslag,
    load_stageverslag_file,
    mark_stageverslag_gelezen,
    save_stageverslag,
    size_text,
    status_sentence,
)
from data_access.viewer import Viewer

TEKST, BESTAND = "Tekst schrijven", "Bestand uploaden"


def _engine():
    return get_engine(get_settings().db_url)


def _state(viewer: Viewer, stage_id: int) -> StageverslagState | None:
    return cached_query(load_stageverslag, viewer, stage_id=stage_id)


# --- the commands, as the pages call them -----------------------------------------------------


def _save(viewer: Viewer, form: str, stage_id: int, mode: str) -> str:
    s = st.session_state
    upload = s.get(f"{form}_bestand_{s.get(f'{form}_n', 0)}")
    if mode == BESTAND:
        if upload is None:
            raise ValidationError({"file": "Kies eerst het bestand met uw verslag (PDF of Word)."})
        data = VerslagInput(stage_id, s[f"{form}_token"], file_name=upload.name, content=upload.getvalue())
    else:
        data = VerslagInput(stage_id, s[f"{form}_token"], text=s.get(f"{form}_tekst", ""))
    versie_id = save_stageverslag(_engine(), viewer, data, max_bytes=get_settings().stageverslag_max_bytes)
    # A new token for the next version; a new uploader (its file cannot be cleared otherwise).
    s[f"{form}_token"] = None
    s[f"{form}_n"] = s.get(f"{form}_n", 0) + 1
    version = load_stageverslag(_engine(), viewer, stage_id).versions.set_index("id").loc[versie_id, "version"]
    return f"Versie {version} is opgeslagen als concept. Lever het verslag in als het af is."


def _hand_in(viewer: Viewer, versie_id: int, version: int, today: dt.date) -> str:
    hand_in_stageverslag(_engine(), viewer, versie_id, today)
    return f"Stageverslag (versie {version}) ingeleverd op {today:%d-%m-%Y}. Uw begeleider leest het."


def _gelezen(viewer: Viewer, versie_id: int, version: int, today: dt.date) -> str:
    mark_stageverslag_gelezen(_engine(), viewer, versie_id, today)
    return f"Versie {version} van het stageverslag is gemarkeerd als gelezen ({today:%d-%m-%Y})."


def download_data(viewer: Viewer, state: StageverslagState, version: pd.Series) -> Callable[[], bytes]:
    """One version's bytes for a download button: read (access checked again) and audited when
    the button is clicked, never on a page view."""
    versie_id = int(version["id"])
    return audited_download(
        viewer, lambda: load_stageverslag_file(_engine(), viewer, versie_id).content, "stageverslag",
        aios_id=state.aios_id, details=lambda: {"stage": state.stage_id, "versie": int(version["version"])})


# --- shared pieces --------------------------------------------------------------------------


def _download_button(viewer: Viewer, state: StageverslagState, version: pd.Series, label: str, key: str) -> None:
    kind = VerslagKind(version["kind"])
    download_button(st, label, download_data(viewer, state, version),
                    download_name(state.aios_number, int(version["version"]), kind), MIME[kind],
                    key=key, icon=":material/download:", width="stretch")


def _version_line(version: pd.Series) -> str:
    name = f" · {version['file_name']}" if isinstance(version["file_name"], str) else ""
    handed = as_date(version["handed_in_on"])
    read = as_date(version["read_on"])
    state = (f"gelezen door {version['read_by']} op {read:%d-%m-%Y}" if read
             else f"ingeleverd op {handed:%d-%m-%Y}" if handed else "concept")
    return (f"Versie {version['version']} · {version['kind']}{name} · {size_text(int(version['size']))} · "
            f"{pd.Timestamp(version['created_at']):%d-%m-%Y} · {state}")


def _versions(viewer: Viewer, state: StageverslagState, prefix: str) -> None:
    if state.versions.empty:
        return
    with st.expander(f"Alle versies ({len(state.versions)})"):
        for _, version in state.versions.iterrows():
            st.caption(literal(_version_line(version)))
            _download_button(viewer, state, version, f"Versie {version['version']} downloaden",
                             f"{prefix}_download_{version['id']}")


def _status(state: StageverslagState) -> None:
    sentence = status_sentence(state)
    sentence = literal(sentence[:1].upper() + sentence[1:])
    if state.handed_in is None:
        st.info(sentence, icon=":material/description:")
    else:
        st.success(sentence, icon=":material/task:")



# --- the aios: Mijn stage -------------------------------------------------------------------


def aios_stageverslag(viewer: Viewer, progress: pd.DataFrame, today: dt.date) -> None:
    """Mijn stage: the aios' stageverslag (write or upload, hand in) of each stage that has
    started and is running or not handed in yet (an older one is read in the dossier)."""
    if not may(viewer, Action.VERSLAG_WRITE) or progress.empty:
        return
    progress = progress[(progress["start_date"] <= today)
                        & ((progress["end_date"] >= today) | progress["verslag_handed_in"].isna())]
    for _, row in progress.iterrows():
        state = _state(viewer, int(row["stage_id"]))
        if state is not None:
            title = "Stageverslag" if len(progress) == 1 else f"Stageverslag · {literal(row['stageplaats'])}"
            st.subheader(title, anchor=False)
            _aios_section(viewer, state, today)


def _aios_section(viewer: Viewer, state: StageverslagState, today: dt.date) -> None:
    form = f"sv{state.stage_id}"
    _status(state)
    latest = state.latest
    if latest is not None and latest["kind"] == VerslagKind.TEKST.value and f"{form}_tekst" not in st.session_state:
        st.session_state[f"{form}_tekst"] = latest["text"]  # a new version starts from the last text
    if f"{form}_wijze" not in st.session_state:
        st.session_state[f"{form}_wijze"] = BESTAND if latest is not None and latest["kind"] != VerslagKind.TEKST.value else TEKST
    mode = st.radio("Hoe levert u het verslag aan?", [TEKST, BESTAND], horizontal=True, key=f"{form}_wijze")
    form_token(form)
    max_bytes = get_settings().stageverslag_max_bytes
    with st.form(form, border=True, enter_to_submit=False):
        if mode == TEKST:
            st.text_area("Stageverslag", key=f"{form}_tekst", height=220)
            field_error(form, "text")
        else:
            # Streamlit refuses a file above its own limit before we see it (its message is in
            # dashboard/dutch.py); a file between that and ours gets our message.
            st.file_uploader("PDF of Word-bestand (.docx)", max_upload_size=math.ceil(max_bytes / 2**20),
                             key=f"{form}_bestand_{st.session_state.get(f'{form}_n', 0)}")
            field_error(form, "file")
        st.caption("Elke keer opslaan maakt een nieuwe versie; eerdere versies blijven bewaard.")
        command_button("Nieuwe versie opslaan", form, lambda: _save(viewer, form, state.stage_id, mode),
                       width="stretch", submit=True)
    form_outcome(form)
    if latest is not None and pd.isna(latest["handed_in_on"]):
        version = int(latest["version"])
        command_button(f"Inleveren (versie {version})", f"{form}_in",
                       lambda: _hand_in(viewer, int(latest["id"]), version, today), type="primary",
                       width="stretch", icon=":material/send:", key=f"{form}_inleveren")
    form_outcome(f"{form}_in")
    _versions(viewer, state, form)


# --- the dossier: begeleider, opleider (and the aios, reading) ----------------------------------


def dossier_stageverslag(viewer: Viewer, stage_id: int, today: dt.date) -> None:
    """The aiosdossier's stageverslag: status, the handed-in version to open, "gelezen" for the
    begeleider of the stage and the opleider, and every version."""
    state = _state(viewer, stage_id)
    if state is None:
        return
    form = f"svd{stage_id}"
    st.markdown("**Stageverslag**")
    _status(state)
    handed = state.last_handed_in
    if handed is not None:
        version = int(handed["version"])
        if handed["kind"] == VerslagKind.TEKST.value:
            with st.expander(f"Tekst van versie {version}"):
                st.text(handed["text"])
        else:
            _download_button(viewer, state, handed, f"Openen: versie {version} ({handed['kind']}, "
                             f"{size_text(int(handed['size']))})", f"{form}_open")
        if may(viewer, Action.VERSLAG_MARK_READ) and pd.isna(handed["read_on"]):
            if state.eindgesprek is None:
                st.caption("Lees het verslag vóór het eindgesprek.")
            command_button("Markeren als gelezen", form, lambda: _gelezen(viewer, int(handed["id"]), version, today),
                           type="primary", width="stretch", icon=":material/done_all:",
                           key=f"{form}_gelezen")
    form_outcome(form)
    _versions(viewer, state, form)
