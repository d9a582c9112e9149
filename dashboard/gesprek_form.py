"""The logging forms: a gesprek (fields per type), a KPB and a feedback moment in a few taps,
and the drafts a begeleider confirms or sends back. Every widget has a key, so what was typed
survives a failed save and a rerun; a successful save clears the form and takes a new token."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.actions import (
    confirm,
    confirm_observed_kpb,
    save_feedback,
    save_gesprek,
    save_kpb,
    send_back,
    send_back_kpb,
)
from dashboard.data import cached_query, drafts, pending_kpbs, rubric_form, stage_epas
from dashboard.feedback_requests import answering_request, stop_answering
from dashboard.guidance import FEEDBACK_MODELS, TWENTY_QUESTIONS
from dashboard.navigation import open_gesprek_form
from dashboard.text import literal, literal_labels
from dashboard.widgets import command_button, field_error, form_outcome, form_token, initial_index
from data_access.cycle import next_gesprek_type
from data_access.gesprekken import FeedbackInput, GesprekInput, KpbInput, NewLeerdoel
from data_access.models import CanMedsRole, GesprekType, LeerdoelStatus, OpSchema, Role
from data_access.stageplan import load_plan_leerdoelen
from data_access.urgency import most_overdue_first
from data_access.viewer import Viewer

F = "gv"  # the gesprek form's key prefix
REVIEW = "concepten"  # one outcome for the drafts list: a confirmed draft leaves it at once
TEXT_FIELDS = ("verslag", "afspraken", "wat_gaat_goed", "wat_kan_beter")
NEW_GOALS = 3  # empty rows for leerdoelen agreed in the startgesprek


def _key(name: str) -> str:
    return f"{F}_{name}"



def _empty_form(criteria: list[int], today: dt.date) -> dict[str, object]:
    """The gesprek form's widgets and their empty values, to start afresh after a save."""
    empty: dict[str, object] = {name: "" for name in TEXT_FIELDS}
    empty |= {"date": today, "op_schema": None, "stageplan_approved": None, "signed": False,
              "early_confirmed": False, "replaces": None, "token": None}
    empty |= {f"score_{c}": None for c in criteria} | {f"leerdoel_{i}": "" for i in range(NEW_GOALS)}
    return {_key(name): value for name, value in empty.items()}


def help_expander() -> None:
    with st.expander("Hulp bij het gesprek"):
        st.markdown("**20 vragen die de aios in the lead brengen**")
        st.markdown("\n".join(f"{i}. {q}" for i, q in enumerate(TWENTY_QUESTIONS, 1)))
        st.markdown(FEEDBACK_MODELS)


def _gesprek_input(stage_id: int, gtype: GesprekType, criteria: list[int],
                   goals: tuple[tuple[int, LeerdoelStatus], ...] = ()) -> GesprekInput:
    s = st.session_state
    goals = tuple(
        NewLeerdoel(s.get(_key(f"leerdoel_{i}"), ""), s.get(_key(f"rol_{i}"), CanMedsRole.MEDICAL_EXPERT))
        for i in range(NEW_GOALS) if (s.get(_key(f"leerdoel_{i}")) or "").strip()
    )
    approved = s.get(_key("stageplan_approved"))
    return GesprekInput(
        stage_id=stage_id, type=gtype, date=s.get(_key("date")), submit_token=s[_key("token")],
        **{name: s.get(_key(name), "") for name in TEXT_FIELDS},
        op_schema=s.get(_key("op_schema")),
        stageplan_approved=None if approved is None else approved == "ja",
        leerdoelen=goals,
        scores=tuple((c, s.get(_key(f"score_{c}"))) for c in criteria),
        signed=bool(s.get(_key("signed"))),
        early_confirmed=bool(s.get(_key("early_confirmed"))),
        leerdoel_statuses=tuple((gid, s.get(_key(f"ld_{gid}")) if s.get(_key(f"ld_{gid}")) is not now else None)
                                for gid, now in goals),
    )


def _goal_statuses(viewer: Viewer, stage_id: int) -> tuple[tuple[int, LeerdoelStatus], ...]:
    """Evaluatie- and eindgesprek: each leerdoel of the stage with its status, to update in the same
    save (a begeleider or opleider sets it; the aios' choice is a proposal the begeleider confirms)."""
    goals = cached_query(load_plan_leerdoelen, viewer, stage_id=stage_id)
    if goals.empty:
        return ()
    aios = viewer.role is Role.AIOS
    st.markdown("**Leerdoelen**" + (" (uw keuze is een voorstel; uw begeleider bevestigt het)" if aios else ""))
    current = []
    for _, goal in goals.iterrows():
        gid, now = int(goal["id"]), LeerdoelStatus(goal["status"])
        options = [now] + [s for s in (LeerdoelStatus.BEZIG, LeerdoelStatus.BEHAALD, LeerdoelStatus.BIJGESTELD)
                           if s is not now] if aios else list(LeerdoelStatus)
        st.selectbox(literal(goal["text"]), options, index=initial_index(_key(f"ld_{gid}"), options, now),
                     format_func=lambda o: o.value, key=_key(f"ld_{gid}"))
        if isinstance(goal["proposed_status"], str):
            st.caption(f"De aios stelt voor: {goal['proposed_status']}" + ("" if aios else "; kies het om te bevestigen."))
        field_error(F, f"leerdoel_status_{gid}")
        current.append((gid, now))
    return tuple(current)


def _scores(rubric: pd.DataFrame, required: bool) -> None:
    """A radio per criterion; each level's description is shown under it (the rubric's cells)."""
    version = int(rubric["version"].iloc[0])
    st.markdown(f"**{'Eindbeoordeling (summatief)' if required else 'Tussentijdse scores (formatief, optioneel)'}** "
                f"· rubric versie {version}")
    for cid, levels in rubric.groupby("criterion_id", sort=False):
        first = levels.iloc[0]
        st.radio(f"{first['position']}. {literal(first['criterion'])} ({first['canmeds_role']})", levels["score"].tolist(),
                 index=None, format_func=literal_labels(dict(zip(levels["score"], levels["label"], strict=True))).get,
                 captions=[literal(d) for d in levels["description"].fillna("")], key=_key(f"score_{cid}"))
        field_error(F, f"score_{cid}")


def _early_confirmation() -> None:
    """The second click for an early eindgesprek: once the save was refused because the date lies
    before the stage's last week, the question (with the weeks) and a box to confirm it."""
    asked = "early_confirmed" in st.session_state.get(f"{F}_fouten", {})
    if asked or st.session_state.get(_key("early_confirmed")):
        field_error(F, "early_confirmed")
        st.checkbox("Ja, het eindgesprek toch nu vastleggen", key=_key("early_confirmed"))


def gesprek_form(viewer: Viewer, stage: pd.Series, default_type: GesprekType | None, today: dt.date) -> None:
    """The gesprek form for one stage, with the fields its type needs (a begeleidingsgesprek when
    nothing is due: after the eindgesprek a correction or an extra gesprek is still possible)."""
    aios = viewer.role is Role.AIOS
    types = [t for t in GesprekType if not (aios and t is GesprekType.EINDGESPREK)]
    if st.session_state.get(_key("type"), types[0]) not in types:
        del st.session_state[_key("type")]
    default = default_type if default_type in types else GesprekType.BEGELEIDINGSGESPREK
    gtype = st.selectbox("Soort gesprek", types, index=initial_index(_key("type"), types, default),
                         format_func=lambda t: t.value.capitalize(), key=_key("type"))
    field_error(F, "type")
    if aios:
        st.caption("U schrijft het verslag; uw begeleider stelt het vast. Het eindgesprek legt uw begeleider vast.")
    help_expander()
    stage_id = int(stage["stage_id"])
    date = st.session_state.get(_key("date")) or today
    rubric = rubric_form(viewer, stage_id, date) if gtype in (GesprekType.EVALUATIEGESPREK, GesprekType.EINDGESPREK) and not aios else pd.DataFrame()
    criteria = [int(c) for c in rubric["criterion_id"].unique()] if not rubric.empty else []
    form_token(F)
    with st.form(F, border=True, enter_to_submit=False):
        st.date_input("Datum", value=today, max_value=today, format="DD-MM-YYYY", key=_key("date"))
        field_error(F, "date")
        if gtype is GesprekType.STARTGESPREK:
            st.radio("Stageplan goedgekeurd?", ["ja", "nee"], index=None, horizontal=True, key=_key("stageplan_approved"))
            field_error(F, "stageplan_approved")
            st.markdown("**Leerdoelen afgesproken** (specifiek, uitdagend, met stappen en een termijn)")
            for i in range(NEW_GOALS):
                left, right = st.columns([3, 2])
                left.text_input(f"Leerdoel {i + 1}", key=_key(f"leerdoel_{i}"), label_visibility="collapsed",
                                placeholder=f"Leerdoel {i + 1} (optioneel)")
                right.selectbox("CanMEDS-rol", list(CanMedsRole), format_func=lambda r: r.value, key=_key(f"rol_{i}"),
                                label_visibility="collapsed")
                field_error(F, f"leerdoel_{i}")
        if gtype is GesprekType.EVALUATIEGESPREK:
            st.radio("Ligt de aios op schema?", list(OpSchema), index=None, format_func=lambda o: o.value,
                     horizontal=True, key=_key("op_schema"))
            field_error(F, "op_schema")
        labels = {
            GesprekType.KENNISMAKING: {"verslag": "Wat is besproken (leerdoelen, sterke en zwakke punten, EPA's)?"},
            GesprekType.STARTGESPREK: {"verslag": "Verslag (optioneel)", "afspraken": "Praktische afspraken en feedbackcultuur"},
            GesprekType.BEGELEIDINGSGESPREK: {"verslag": "Besproken onderwerpen", "afspraken": "Afspraken"},
            GesprekType.EVALUATIEGESPREK: {"wat_gaat_goed": "Wat gaat goed?", "wat_kan_beter": "Wat kan beter?",
                                           "afspraken": "Afspraken voor het vervolg"},
            GesprekType.EINDGESPREK: {"wat_gaat_goed": "Sterke punten", "wat_kan_beter": "Verbeterpunten",
                                      "verslag": "Verslag (optioneel)"},
        }[gtype]
        for name, label in labels.items():
            st.text_area(label, key=_key(name), height=90)
            field_error(F, name)
        goals = _goal_statuses(viewer, stage_id) if gtype in (GesprekType.EVALUATIEGESPREK, GesprekType.EINDGESPREK) else ()
        if not rubric.empty:
            _scores(rubric, required=gtype is GesprekType.EINDGESPREK)
            field_error(F, "scores")
        if gtype is GesprekType.EINDGESPREK:
            st.checkbox("Ik onderteken dit eindgesprek en de eindbeoordeling", key=_key("signed"))
            field_error(F, "signed")
            _early_confirmation()
        replaces = st.session_state.get(_key("replaces"))
        if replaces:
            st.caption("U past een eerder vastgelegd gesprek aan: een vastgesteld verslag krijgt een nieuwe versie, "
                       "de oude blijft zichtbaar in het dossier.")
        command_button("Concept opslaan" if aios else "Opslaan", F,
                       lambda: save_gesprek(viewer, _gesprek_input(stage_id, gtype, criteria, goals), today, replaces,
                                            str(stage["aios_name"])),
                       _empty_form(criteria, today), type="primary", width="stretch", submit=True)
    form_outcome(F)


def _named(viewer: Viewer, stage: pd.Series) -> str | None:
    """The aios a confirmation names (the stage's; an aios' own confirmation needs no name)."""
    return None if viewer.role is Role.AIOS else str(stage["aios_name"])


LEVEL_HELP = ("1 alleen observeren · 2 directe supervisie · 3 indirecte supervisie · 4 zelfstandig · "
              "5 superviseert anderen")


def kpb_form(viewer: Viewer, stage: pd.Series, today: dt.date) -> None:
    """A begeleider's KPB is vastgesteld at once; an aios' is a request (with at most a proposed
    level) until the observer confirms it in their list of concepten."""
    aios = viewer.role is Role.AIOS
    form, stage_id = "kpb", int(stage["stage_id"])
    epas = stage_epas(viewer, stage_id)
    names = dict(zip(epas["epa_id"], epas["code"] + " " + epas["name"], strict=True))
    form_token(form)
    keys = {f"{form}_epa": None, f"{form}_niveau": None, f"{form}_feedback": "", f"{form}_date": today,
            f"{form}_token": None}
    with st.form(form, border=True, enter_to_submit=False):
        st.selectbox("EPA", list(names), index=None, format_func=lambda e: literal(names[e]), key=f"{form}_epa",
                     placeholder="Kies de EPA")
        field_error(form, "epa")
        if aios:
            st.caption("U vraagt een KPB aan: uw begeleider bevestigt de observatie en stelt het supervisieniveau "
                       "vast. Pas dan telt de KPB mee.")
        st.radio("Voorgesteld supervisieniveau (optioneel)" if aios else "Supervisieniveau", [1, 2, 3, 4, 5],
                 index=None, horizontal=True, key=f"{form}_niveau", help=LEVEL_HELP)
        field_error(form, "supervision_level")
        st.text_area("Wat is er geobserveerd, waar wilt u feedback op?" if aios else "Feedback",
                     key=f"{form}_feedback", height=80)
        field_error(form, "feedback")
        st.date_input("Datum", value=today, max_value=today, format="DD-MM-YYYY", key=f"{form}_date")
        field_error(form, "date")
        command_button("KPB aanvragen" if aios else "KPB opslaan", form,
                       lambda: save_kpb(viewer, KpbInput(
                           stage_id, st.session_state[f"{form}_epa"], st.session_state[f"{form}_date"],
                           st.session_state[f"{form}_niveau"], st.session_state[f"{form}_feedback"],
                           st.session_state[f"{form}_token"], answering_request(stage_id)), today, _named(viewer, stage)),
                       keys, type="primary", width="stretch", submit=True)
    form_outcome(form)


def feedback_form(viewer: Viewer, stage: pd.Series, today: dt.date) -> None:
    form, stage_id = "fb", int(stage["stage_id"])
    form_token(form)
    keys = {f"{form}_gevraagd": False, f"{form}_onderwerp": "", f"{form}_date": today, f"{form}_token": None}
    with st.form(form, border=True, enter_to_submit=False):
        st.text_input("Waar ging de feedback over?", key=f"{form}_onderwerp", max_chars=300)
        field_error(form, "topic")
        st.toggle("Gevraagd door de aios", key=f"{form}_gevraagd")
        st.date_input("Datum", value=today, max_value=today, format="DD-MM-YYYY", key=f"{form}_date")
        field_error(form, "date")
        command_button("Feedbackmoment opslaan", form, lambda: save_feedback(viewer, FeedbackInput(
                stage_id, st.session_state[f"{form}_date"], bool(st.session_state.get(f"{form}_gevraagd")),
                st.session_state[f"{form}_onderwerp"], st.session_state[f"{form}_token"], answering_request(stage_id)),
                today, _named(viewer, stage)), keys, type="primary", width="stretch", submit=True)
    form_outcome(form)


def load_into_form(gesprek: pd.Series) -> None:
    """Put a gesprek into the form: the aios rewrites their draft (after the begeleider's
    remark), or someone corrects a vastgesteld verslag (saved as a new version)."""
    st.session_state[_key("type")] = GesprekType(gesprek["type"])
    st.session_state[_key("date")] = gesprek["date"]
    # Frames give NaN for an empty field: that is "nothing typed", not a value.
    for name in TEXT_FIELDS:
        st.session_state[_key(name)] = gesprek[name] if pd.notna(gesprek[name]) else ""
    st.session_state[_key("op_schema")] = OpSchema(gesprek["op_schema"]) if pd.notna(gesprek["op_schema"]) else None
    st.session_state[_key("replaces")] = int(gesprek["id"])
    st.session_state[_key("stage")] = int(gesprek["stage_id"])
    stop_answering()


def correct(gesprek: pd.Series) -> None:
    """From the dossier: open the form with this verslag, to save a corrected version."""
    load_into_form(gesprek)
    open_gesprek_form()


def drafts_list(viewer: Viewer, drafts: pd.DataFrame) -> None:
    """For a begeleider: drafts to confirm or send back. For an aios: their drafts, with the
    begeleider's remark, to rewrite. What users typed is shown as text, never as markup."""
    reviewer = viewer.role is not Role.AIOS
    form = REVIEW
    for _, d in drafts.iterrows():
        what = f"{d['type']} van {d['aios_name']}, {d['date']:%d-%m-%Y}"
        key = f"concept_{d['id']}"
        with st.container(border=True):
            st.markdown(f"**{d['type'].capitalize()}** · {d['date']:%d-%m-%Y}" + (f" · {literal(d['aios_name'])}" if reviewer else ""))
            for name, label in (("verslag", "Verslag"), ("wat_gaat_goed", "Wat gaat goed"),
                                ("wat_kan_beter", "Wat kan beter"), ("afspraken", "Afspraken")):
                if pd.notna(d[name]) and d[name]:
                    st.caption(label)
                    st.text(d[name])
            if pd.notna(d["return_remark"]) and d["return_remark"]:
                st.warning("Teruggestuurd door de begeleider:", icon=":material/undo:")
                st.text(d["return_remark"])
            if reviewer:
                left, right = st.columns(2)
                command_button("Vaststellen", form, lambda i=int(d["id"]), w=what: confirm(viewer, i, w),
                               key=f"{key}_ok", type="primary", width="stretch", where=left)
                with right.popover("Terugsturen", width="stretch"):
                    st.text_area("Wat moet er anders?", key=f"{key}_opmerking")
                    command_button("Terugsturen", form, lambda i=int(d["id"]), w=what, k=f"{key}_opmerking":
                                    send_back(viewer, i, st.session_state.get(k, ""), w), key=f"{key}_terug")
            else:
                st.button("Herschrijven", key=f"{key}_herschrijf", on_click=load_into_form, args=(d,))


def kpb_review_list(viewer: Viewer, pending: pd.DataFrame) -> None:
    """KPB's an aios entered: for a begeleider or opleider to confirm with the level they give
    (the aios' proposal is shown, not chosen for them); for an aios, theirs still waiting."""
    reviewer = viewer.role is not Role.AIOS
    for _, k in pending.iterrows():
        what = f"KPB {k['epa_code']} van {k['aios_name']}, {k['date']:%d-%m-%Y}"
        key = f"kpbconcept_{k['id']}"
        with st.container(border=True):
            st.markdown(f"**KPB {literal(k['epa_code'])}** · {k['date']:%d-%m-%Y}"
                        + (f" · {literal(k['aios_name'])}" if reviewer else ""))
            st.caption(f"{literal(k['epa_name'])} · voorgesteld niveau: "
                       + (str(k["proposed_level"]) if pd.notna(k["proposed_level"]) else "geen"))
            st.text(k["feedback"] or "")
            if not reviewer:
                if pd.notna(k["return_remark"]) and k["return_remark"]:
                    st.warning("Teruggestuurd door de begeleider; deze KPB telt niet mee:", icon=":material/undo:")
                    st.text(k["return_remark"])
                else:
                    st.caption("Wacht op uw begeleider.")
                continue
            st.radio("Supervisieniveau", [1, 2, 3, 4, 5], index=None, horizontal=True, key=f"{key}_niveau",
                     help=LEVEL_HELP)
            if f"{key}_feedback" not in st.session_state:
                st.session_state[f"{key}_feedback"] = k["feedback"] or ""
            st.text_area("Feedback", key=f"{key}_feedback", height=80)
            left, right = st.columns(2)
            command_button("KPB vaststellen", REVIEW,
                           lambda i=int(k["id"]), w=what, n=f"{key}_niveau", f=f"{key}_feedback": confirm_observed_kpb(
                               viewer, i, st.session_state.get(n), st.session_state.get(f, ""), w),
                           key=f"{key}_ok", type="primary", width="stretch", where=left)
            with right.popover("Terugsturen", width="stretch"):
                st.text_area("Waarom (bijvoorbeeld: niet door mij geobserveerd)?", key=f"{key}_opmerking")
                command_button("Terugsturen", REVIEW, lambda i=int(k["id"]), w=what, r=f"{key}_opmerking":
                                send_back_kpb(viewer, i, st.session_state.get(r, ""), w), key=f"{key}_terug")


def review_outcome() -> None:
    """What the last confirm or send-back did, shown even when the list is now empty."""
    form_outcome(REVIEW)
    field_error(REVIEW, "remark")
    field_error(REVIEW, "supervision_level")
    field_error(REVIEW, "feedback")


TABS = {"gesprek": "Gesprek", "kpb": "KPB", "feedback": "Feedbackmoment"}
SHOWN_DRAFTS = 10  # an opleider may have many waiting; the ten that waited longest are listed


def open_form_for(stage: pd.Series, today: dt.date, tab: str) -> None:
    """From a card: the form with this aios, the gesprek type due for them and the tab asked
    for (gesprek, kpb or feedback)."""
    st.session_state[_key("stage")] = int(stage["stage_id"])
    st.session_state[_key("type")] = next_gesprek_type(stage, today)
    st.session_state[_key("tab")] = TABS[tab]
    st.session_state.pop(_key("replaces"), None)
    stop_answering()
    open_gesprek_form()


def _due_type_of_chosen(due: dict[int, GesprekType]) -> None:
    """Another aios chosen: offer the gesprek that is due for them."""
    st.session_state[_key("type")] = due[st.session_state[_key("stage")]]


def choose_stage(stages: pd.DataFrame, today: dt.date) -> pd.Series:
    """The aios (stage) to log for: the one whose gesprek is most overdue unless one was chosen
    (on a card, in the list, or by a correction); the list is in that order too."""
    ordered = most_overdue_first(stages, today)
    labels = {int(r.stage_id): f"{r.aios_name} · {r.stageplaats}" for r in ordered.itertuples()}
    due = {int(r["stage_id"]): next_gesprek_type(r, today) for _, r in ordered.iterrows()}
    key, options = _key("stage"), list(labels)
    if st.session_state.get(key, options[0]) not in labels:  # e.g. a correction of an ended stage
        st.session_state.pop(key)
        st.session_state.pop(_key("type"), None)  # the first aios' due gesprek (gesprek_form)
        if st.session_state.pop(_key("replaces"), None):
            st.warning("Dat gesprek hoort bij een stage die niet loopt; hier kunt u gesprekken van lopende stages "
                       "vastleggen en corrigeren.")
    if len(labels) > 1:  # one aios (or one's own stage): nothing to choose
        st.selectbox("Aios", options, index=initial_index(key, options, options[0]),
                     format_func=lambda s: literal(labels[s]), key=key, on_change=_due_type_of_chosen, args=(due,))
    else:
        st.session_state[key] = options[0]
        st.markdown(f"**{literal(labels[st.session_state[key]])}**")
    stage = ordered.set_index("stage_id").loc[st.session_state[key]].copy()
    stage["stage_id"] = st.session_state[key]
    return stage


def held_stage(stage: pd.DataFrame) -> pd.Series:
    """The one stage the form is held to while it acts on a record of it (a feedback request being
    answered): named, with no list to choose another aios from, also when the stage has ended."""
    held = stage.iloc[0].copy()
    st.session_state[_key("stage")] = int(held["stage_id"])
    st.markdown(f"**{literal(str(held['aios_name']) + ' · ' + str(held['stageplaats']))}**")
    return held


def logging_tabs(viewer: Viewer, stage: pd.Series, today: dt.date) -> None:
    """Gesprek, KPB and feedback moment for one stage; a card's button opens the tab it names."""
    gesprek, kpb, feedback = st.tabs(list(TABS.values()), key=_key("tab"), on_change="rerun")
    with gesprek:
        gesprek_form(viewer, stage, next_gesprek_type(stage, today), today)
    with kpb:
        kpb_form(viewer, stage, today)
    with feedback:
        feedback_form(viewer, stage, today)


def waiting_title(n_verslagen: int, n_kpbs: int, reviewer: bool) -> str:
    """"3 verslagen wachten op u", "1 verslag en 2 KPB's wachten op u"; for an aios their own."""
    parts = [f"{n} {one if n == 1 else many}" for n, one, many in
             ((n_verslagen, "verslag", "verslagen"), (n_kpbs, "KPB", "KPB's")) if n]
    what = " en ".join(parts)
    if reviewer:
        return f"{what} {'wacht' if n_verslagen + n_kpbs == 1 else 'wachten'} op u"
    return f"Uw concepten: {what}"


def waiting_for_review(viewer: Viewer) -> None:
    """Below the form, collapsed: the drafts waiting for the viewer (a begeleider confirms, an
    aios rewrites), their count in the heading; what the last confirm did right above it."""
    review_outcome()
    waiting, kpbs = drafts(viewer), pending_kpbs(viewer)
    if waiting.empty and kpbs.empty:
        return
    with st.expander(waiting_title(len(waiting), len(kpbs), viewer.role is not Role.AIOS),
                     icon=":material/pending_actions:"):
        for what, frame in (("verslagen", waiting), ("KPB's", kpbs)):
            if len(frame) > SHOWN_DRAFTS:
                st.caption(f"De {SHOWN_DRAFTS} {what} die het langst wachten; nog {len(frame) - SHOWN_DRAFTS} andere.")
        drafts_list(viewer, waiting.head(SHOWN_DRAFTS))
        kpb_review_list(viewer, kpbs.head(SHOWN_DRAFTS))
