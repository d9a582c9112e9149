"""Feedback requests in the app (seed 003: "Vraag waar de aios feedback op wil").

The aios asks on Mijn stage and follows their requests there; the begeleider sees the open
ones on Mijn aios and answers from a request: the quick form on Gesprek vastleggen opens
prefilled and held to the request's stage (also one that has ended since: the request came in
while it ran), and saving it answers the request in the same transaction; or declines with a
reason. The feedback page shows asked vs answered per begeleider and per stageplaats.

Prefill goes through session state, not query parameters: the quick forms already read their
widgets from session state (as "Corrigeren" in the dossier does), a switch of page keeps it,
and the request's id stays out of the URL, so a reload, a bookmark or a shared link never
answers a request by accident; the command checks the request again when it is saved.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.context import current_filters
from dashboard.data import cached_query, stage_progress
from dashboard.guidance import groups_note
from dashboard.navigation import open_gesprek_form
from dashboard.resources import anonymity_threshold, get_engine, get_settings
from dashboard.tables import pinned
from dashboard.text import literal
from dashboard.widgets import command_button, field_error, form_outcome, form_token
from data_access.feedback_requests import RequestInput, ask_feedback, decline_request
from data_access.gesprekken import allowed_dates
from data_access.models import FeedbackRequestKind, Role
from data_access.queries.feedback import load_request_response
from data_access.queries.feedback_requests import (
    ANSWERED,
    DECLINED,
    load_feedback_requests,
    load_stage_begeleiders,
)
from data_access.queries.filters import StageSelection
from data_access.queries.forms import load_stage_epas
from data_access.viewer import Viewer

ASK = "fv"  # the aios' form
REPLY = "fvantwoord"  # the begeleider's decline buttons share one outcome
ANSWERING = "fv_beantwoordt"  # session state: the request the quick form is answering
KIND_LABELS = {FeedbackRequestKind.KPB: "Een KPB (geobserveerd, met supervisieniveau)",
               FeedbackRequestKind.FEEDBACK: "Feedback"}
SHOWN = 10


def _engine():
    return get_engine(get_settings().db_url)


def requests(viewer: Viewer, today: dt.date, **kwargs) -> pd.DataFrame:
    return cached_query(load_feedback_requests, viewer, today=today,
                        expiry_days=get_settings().feedback_request_expiry_days, **kwargs)


def open_requests_count(viewer: Viewer, stage_id: int) -> int:
    """Open requests of one stage: for a begeleider those asked of them, for an aios their own
    (for a button on a stage card)."""
    frame = requests(viewer, current_filters().today, open_only=True)
    return int((frame["stage_id"] == stage_id).sum())


def _what(r) -> str:
    """What the request is about, as markdown (user text made literal)."""
    subject = f"{literal(r.epa_code)} {literal(r.epa_name)}" if pd.notna(r.epa_code) else ""
    topic = literal(r.topic) if isinstance(r.topic, str) and r.topic else ""
    return " · ".join(p for p in (("KPB" if r.kind == "KPB" else "Feedback"), subject, topic) if p)


# --- the aios: ask and follow ----------------------------------------------------------------


def _ask(viewer: Viewer, stage_id: int, today: dt.date) -> str:
    s = st.session_state
    kind = s.get(f"{ASK}_soort")
    ask_feedback(_engine(), viewer, RequestInput(
        stage_id=stage_id, begeleider_id=s.get(f"{ASK}_begeleider"), kind=kind, epa_id=s.get(f"{ASK}_epa"),
        topic=s.get(f"{ASK}_onderwerp", ""), wished_date=s.get(f"{ASK}_datum"), submit_token=s[f"{ASK}_token"]),
        today, open_limit=get_settings().feedback_request_open_limit, day_limit=get_settings().feedback_request_day_limit,
        expiry_days=get_settings().feedback_request_expiry_days)
    return "Uw vraag is verstuurd; uw begeleider ziet haar bij Mijn aios."


def ask_form(viewer: Viewer, stage: pd.Series, today: dt.date) -> None:
    stage_id = int(stage["stage_id"])
    begeleiders = cached_query(load_stage_begeleiders, viewer, stage_id=stage_id)
    names = dict(zip(begeleiders["begeleider_id"].astype(int), begeleiders["name"], strict=True))
    epas = cached_query(load_stage_epas, viewer, stage_id=stage_id)
    epa_names = dict(zip(epas["epa_id"].astype(int), epas["code"] + " " + epas["name"], strict=True))
    form_token(ASK)
    if st.session_state.get(f"{ASK}_begeleider") not in names:
        st.session_state[f"{ASK}_begeleider"] = next(iter(names), None)
    empty = {f"{ASK}_epa": None, f"{ASK}_onderwerp": "", f"{ASK}_datum": None, f"{ASK}_token": None}
    with st.form(ASK, border=True, enter_to_submit=False):
        st.selectbox("Aan wie?", list(names), format_func=lambda b: literal(names[b]), key=f"{ASK}_begeleider")
        field_error(ASK, "begeleider")
        st.radio("Wat vraagt u?", list(KIND_LABELS), format_func=KIND_LABELS.get, key=f"{ASK}_soort")
        field_error(ASK, "kind")
        st.selectbox("EPA", list(epa_names), index=None, format_func=lambda e: literal(epa_names[e]),
                     placeholder="Kies een EPA (bij feedback optioneel)", key=f"{ASK}_epa")
        field_error(ASK, "epa")
        st.text_input("Waar wil je feedback op?", max_chars=300, key=f"{ASK}_onderwerp",
                      placeholder="Bijvoorbeeld: slecht-nieuwsgesprek op het spreekuur")
        field_error(ASK, "topic")
        st.date_input("Gewenste datum (optioneel)", value=None, min_value=today, format="DD-MM-YYYY",
                      key=f"{ASK}_datum")
        field_error(ASK, "wished_date")
        field_error(ASK, "stage")
        command_button("Feedback vragen", ASK, lambda: _ask(viewer, stage_id, today), empty, type="primary",
                       width="stretch", submit=True)
    form_outcome(ASK)


def _state_line(r, expiry_days: int) -> None:
    if r.status == ANSWERED:
        answer = "een KPB" if pd.notna(r.kpb_id) else "een feedbackmoment"
        st.success(f"Beantwoord op {r.answered_on:%d-%m-%Y} met {answer}", icon=":material/check_circle:")
    elif r.status == DECLINED:
        st.warning(f"Afgewezen op {r.declined_on:%d-%m-%Y}. Reden:", icon=":material/block:")
        st.text(r.decline_reason)
    elif r.expired:
        st.warning(f"Nog geen antwoord na {r.days_open} dagen (langer dan {expiry_days} dagen)",
                   icon=":material/schedule:")
    else:
        st.caption(f"Wacht op antwoord (sinds {r.days_open} dagen)")


def my_requests_section(viewer: Viewer, progress: pd.DataFrame, today: dt.date) -> None:
    """Mijn stage: ask (for a running stage) and the aios' requests with their state."""
    st.subheader("Feedback vragen")
    days = progress[["start_date", "end_date"]].apply(lambda c: pd.to_datetime(c).dt.date)
    running = progress[(days["start_date"] <= today) & (days["end_date"] >= today)]
    if running.empty:
        st.caption("U kunt feedback vragen tijdens een lopende stage.")
    else:
        with st.expander("Vraag uw begeleider om feedback of een KPB", expanded=False):
            ask_form(viewer, running.iloc[0], today)
    mine = requests(viewer, today)
    if mine.empty:
        return
    expiry = get_settings().feedback_request_expiry_days
    open_n = int((mine["status"] == "open").sum())
    with st.expander(f"Mijn feedbackvragen ({len(mine)}, open {open_n})", expanded=open_n > 0):
        for r in mine.head(SHOWN).itertuples():
            with st.container(border=True):
                st.markdown(f"**{_what(r)}**  \nGevraagd aan {literal(r.begeleider_name)} op {r.asked_on:%d-%m-%Y}"
                            + (f" · gewenst {r.wished_date:%d-%m-%Y}" if pd.notna(r.wished_date) else ""))
                _state_line(r, expiry)
        if len(mine) > SHOWN:
            st.caption(f"De {SHOWN} nieuwste; nog {len(mine) - SHOWN} oudere.")


# --- the begeleider: answer or decline ---------------------------------------------------------


def _start_answer(r) -> None:
    """Open the quick form prefilled with this request (KPB or feedback moment tab)."""
    s = st.session_state
    s[ANSWERING] = {"id": int(r.id), "stage_id": int(r.stage_id), "tab": "KPB" if r.kind == "KPB" else "Feedbackmoment",
                    "aios": r.aios_name, "epa": r.epa_code if pd.notna(r.epa_code) else None,
                    "topic": r.topic if isinstance(r.topic, str) else None}
    s["gv_stage"], s["gv_tab"] = int(r.stage_id), s[ANSWERING]["tab"]  # dashboard.gesprek_form's keys
    s.pop("gv_replaces", None)  # an answer, not the correction of an earlier gesprek
    s.pop("gv_type", None)  # the gesprek due for this aios, not for the one shown before
    s["kpb_epa"] = int(r.epa_id) if pd.notna(r.epa_id) else None
    s["kpb_niveau"], s["kpb_feedback"] = None, ""
    topic = r.topic if isinstance(r.topic, str) and r.topic else f"{r.epa_code} {r.epa_name}"
    s["fb_onderwerp"], s["fb_gevraagd"] = topic[:300], True
    s["kpb_token"] = s["fb_token"] = None  # a new save, never an earlier form's token
    open_gesprek_form()


def _decline(viewer: Viewer, request_id: int, reason_key: str, aios: str, today: dt.date) -> str:
    decline_request(_engine(), viewer, request_id, st.session_state.get(reason_key, ""), today,
                    text_limit=get_settings().text_limit)
    return f"Afgewezen: de feedbackvraag van {aios}. De aios leest uw reden."


def open_requests_section(viewer: Viewer, today: dt.date) -> None:
    """Mijn aios: the open requests asked of this begeleider, oldest first."""
    waiting = requests(viewer, today, open_only=True).sort_values(["asked_on", "id"])
    expiry = get_settings().feedback_request_expiry_days
    form_outcome(REPLY)
    field_error(REPLY, "reason")
    with st.expander(f"Openstaande feedbackvragen ({len(waiting)})", expanded=0 < len(waiting) <= SHOWN):
        if waiting.empty:
            st.caption("Geen open feedbackvragen.")
        if len(waiting) > SHOWN:
            st.caption(f"De {SHOWN} die het langst wachten; nog {len(waiting) - SHOWN} andere.")
        for r in waiting.head(SHOWN).itertuples():
            key = f"fvraag_{r.id}"
            with st.container(border=True):
                wished = f" · gewenst {r.wished_date:%d-%m-%Y}" if pd.notna(r.wished_date) else ""
                st.markdown(f"**{literal(r.aios_name)}** · {_what(r)}  \n"
                            f"Gevraagd op {r.asked_on:%d-%m-%Y} ({r.days_open} dagen geleden){wished}")
                if r.expired:
                    st.caption(f"Langer dan {expiry} dagen open.")
                left, right = st.columns(2)
                if left.button("Beantwoorden", key=f"{key}_antwoord", type="primary", width="stretch",
                               icon=":material/edit_note:"):
                    _start_answer(r)
                with right.popover("Afwijzen", width="stretch"):
                    st.text_area("Waarom niet (de aios leest dit)?", key=f"{key}_reden")
                    command_button("Afwijzen", REPLY, lambda i=int(r.id), k=f"{key}_reden", a=r.aios_name:
                                    _decline(viewer, i, k, a, today), key=f"{key}_afwijzen")


# --- the quick form answers the request ----------------------------------------------------------


def answering_stage(viewer: Viewer, today: dt.date) -> pd.DataFrame | None:
    """While a request is being answered: its stage (one row, as `stage_progress` gives it), to
    hold the form to. Also a stage that has ended since the request came in, and whatever the
    sidebar filters say: the form then showed the first running stage, another aios, and saved
    there. None when no request is being answered. When the viewer may no longer see the stage,
    the request is let go with a warning and the frame is empty: no other aios' form opens."""
    pending = st.session_state.get(ANSWERING)
    if not pending:
        return None
    stage = stage_progress(viewer, StageSelection(today, running_only=False, stage_ids=(pending["stage_id"],)))
    if stage.empty:
        del st.session_state[ANSWERING]
        st.warning(f"De feedbackvraag van **{literal(pending['aios'])}** kunt u niet meer beantwoorden: u heeft geen "
                   "toegang meer tot de stage waarin zij is gesteld. Er is niets opgeslagen.", icon=":material/block:")
        st.button("Een gesprek of KPB van een andere aios vastleggen", key="fv_ander")  # a click shows the form
    return stage


def stop_answering() -> None:
    """The form is opened for something else (a card's button, a correction): the request it was
    held to for an answer is let go, so the form shows what was asked for."""
    st.session_state.pop(ANSWERING, None)


def _pending(stage_id: int) -> dict | None:
    pending = st.session_state.get(ANSWERING)
    return pending if pending and pending["stage_id"] == stage_id else None


def answering_request(stage_id: int) -> int | None:
    """The request the quick form answers when saved for this stage, if any."""
    pending = _pending(stage_id)
    return pending["id"] if pending else None


def _dates_note(stage: pd.Series, today: dt.date) -> str:
    """For a stage that has ended: which dates an answer may carry (the command checks them)."""
    start, end = (pd.Timestamp(stage[c]).date() for c in ("start_date", "end_date"))
    if end >= today:
        return ""
    margin = get_settings().gesprek_date_margin_days
    earliest, latest = allowed_dates(start, end, today, margin)
    return (f" De stage liep van {start:%d-%m-%Y} t/m {end:%d-%m-%Y}: kies een datum van {earliest:%d-%m-%Y} t/m "
            f"{latest:%d-%m-%Y} ({margin} dagen marge).")


def answer_banner(viewer: Viewer, stage: pd.Series, today: dt.date) -> None:
    """On Gesprek vastleggen: which request the next KPB or feedback moment answers, and for an
    ended stage which dates count. A request that is no longer open (just answered here, or
    declined meanwhile) is let go; the form's tab stays where it is, so the confirmation of the
    answer shows."""
    pending = _pending(int(stage["stage_id"]))
    if not pending:
        return
    if pending["id"] not in set(requests(viewer, today, open_only=True)["id"]):
        del st.session_state[ANSWERING]
        return
    about = " · ".join(literal(p) for p in (pending["epa"], pending["topic"]) if p)
    st.info(f"U beantwoordt de feedbackvraag van **{literal(pending['aios'])}**" + (f": {about}" if about else "")
            + ". Sla een KPB of een feedbackmoment op; daarmee is de vraag beantwoord." + _dates_note(stage, today),
            icon=":material/forum:")
    if st.button("Niet nu beantwoorden", key="fv_stop"):
        del st.session_state[ANSWERING]
        st.rerun()


# --- the feedback page ---------------------------------------------------------------------------


RESPONSE_CONFIG = pinned("Begeleider", "Stageplaats")  # the name stays in view on a phone


def request_response_table(frame: pd.DataFrame, what: str, expiry_days: int) -> pd.DataFrame:
    median = frame["median_days"].map(lambda v: "—" if pd.isna(v) else f"{v:.1f}".replace(".", ",").replace(",0", ""))
    expired = [("—" if pd.isna(share) else f"{share:.0%} van {int(due)}") for share, due in
               zip(frame["expired_share"], frame["due"].fillna(0), strict=True)]
    return pd.DataFrame({
        what: frame["name"], "Aios die vroegen (n)": frame["aios"], "Gevraagd": frame["asked"], "Beantwoord": frame["answered"],
        "Afgewezen": frame["declined"], "Open": frame["open"],
        "Mediaan dagen tot antwoord": median,
        f"Verlopen (> {expiry_days} dagen)": pd.Series(expired, index=frame.index),
    })


def request_response_tab(viewer: Viewer, filters: StageSelection) -> None:
    """The feedback page: asked vs answered, how long answers take, and the share that expired."""
    settings = get_settings()
    expiry = settings.feedback_request_expiry_days
    st.caption(f"Feedbackvragen van aios: hoeveel er zijn beantwoord of afgewezen, hoe lang een antwoord duurt "
               f"(mediaan in dagen) en welk deel na {expiry} dagen nog geen antwoord of afwijzing had (verlopen; "
               f"alleen vragen van minstens {expiry} dagen oud tellen mee). Een verlopen vraag is een signaal. "
               + groups_note(anonymity_threshold(), viewer.role is Role.STAGECOMMISSIE))
    # Per begeleider counts only aios one sees one by one: none for the committee.
    groups = (("begeleider", "Begeleider"), ("stageplaats", "Stageplaats"))
    for by, what in groups if viewer.role is not Role.STAGECOMMISSIE else groups[1:]:
        frame = cached_query(load_request_response, viewer, by=by, today=filters.today, expiry_days=expiry,
                             opleiding_id=filters.opleiding_id, cohort_ids=filters.cohort_ids or None,
                             threshold=anonymity_threshold())
        st.markdown(f"**Per {what.lower()}**")
        if frame.empty:
            st.info("Geen feedbackvragen in deze selectie.")
            continue
        st.dataframe(request_response_table(frame, what, expiry), hide_index=True, width="stretch",
                     column_config=RESPONSE_CONFIG)
