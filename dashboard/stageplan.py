"""The stageplan on a phone: the aios writes leerdoelen and offers the plan for approval (Mijn
stage); the begeleider approves it or sends it back (Mijn aios, the aiosdossier); both move the
leerdoelen and praktijkopdrachten on. Short forms, one big button per step. Everything users typed
is shown with st.text or `literal`; the commands are data_access/stageplan.py's."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.actions import _engine, _limits
from dashboard.data import cached_query
from dashboard.text import literal, literal_table
from dashboard.widgets import command_button, field_error, form_outcome, form_token, run_command
from data_access.models import CanMedsRole, LeerdoelStatus, OpdrachtStatus, Role
from data_access.permissions import Action, may
from data_access.stageplan import (
    CONTENT_LABELS,
    LeerdoelInput,
    PlanState,
    approve_stageplan,
    confirm_leerdoel,
    load_plan_history,
    load_plan_leerdoelen,
    load_plan_opdrachten,
    load_stageplans,
    offer_stageplan,
    return_stageplan,
    set_leerdoel_status,
    set_opdracht_status,
    write_leerdoel,
)
from data_access.viewer import Viewer

APPROVALS = "ter_goedkeuring"  # one outcome for the list on Mijn aios: an approved plan leaves it
FIELDS = ("text", "why", "steps", "canmeds_role", "target_date")
AIOS_PROPOSES = [LeerdoelStatus.BEZIG, LeerdoelStatus.BEHAALD, LeerdoelStatus.BIJGESTELD]


# --- what the buttons do (the commands, with the sentence the user reads) ---------------------


def _save_leerdoel(viewer: Viewer, stage_id: int, form: str, leerdoel_id: int | None) -> str:
    s = st.session_state
    data = LeerdoelInput(s.get(f"{form}_text", ""), s.get(f"{form}_why", ""), s.get(f"{form}_steps", ""),
                         s.get(f"{form}_canmeds_role"), s.get(f"{form}_target_date"), s.get(f"{form}_token") or "")
    write_leerdoel(_engine(), viewer, stage_id, data, _limits(), leerdoel_id=leerdoel_id)
    return "Leerdoel opgeslagen." if leerdoel_id is None else "Wijziging opgeslagen."


def _offer(viewer: Viewer, stage_id: int) -> str:
    offer_stageplan(_engine(), viewer, stage_id)
    return "Het stageplan is ter goedkeuring aangeboden aan uw begeleider."


def _approve(viewer: Viewer, stage_id: int, who: str, today: dt.date) -> str:
    approve_stageplan(_engine(), viewer, stage_id, today)
    return f"Stageplan van {who} goedgekeurd."


def _send_back(viewer: Viewer, stage_id: int, who: str, key: str) -> str:
    return_stageplan(_engine(), viewer, stage_id, st.session_state.get(key, ""), _limits())
    return f"Stageplan teruggestuurd naar {who}."


def _set_status(viewer: Viewer, leerdoel_id: int, key: str) -> str:
    status = st.session_state.get(key)
    if status is None:
        return ""
    set_leerdoel_status(_engine(), viewer, leerdoel_id, status)
    if viewer.role is Role.AIOS:
        return f"Voorgesteld als {status.value}; uw begeleider bevestigt het."
    return f"Status van het leerdoel: {status.value}."


def _confirm(viewer: Viewer, leerdoel_id: int, status: str) -> str:
    confirm_leerdoel(_engine(), viewer, leerdoel_id)
    return f"Bevestigd: het leerdoel is {status}."


def _set_opdracht(viewer: Viewer, opdracht_id: int, key: str) -> str:
    set_opdracht_status(_engine(), viewer, opdracht_id, st.session_state[key])
    return f"Praktijkopdracht: {st.session_state[key].value}."


# --- pieces -----------------------------------------------------------------------------------


def _state_line(plan: pd.Series, aios: bool) -> None:
    state = plan["state"]
    if state == PlanState.AANGEBODEN:
        st.info(f"Ter goedkeuring aangeboden op {plan['offered_at']:%d-%m-%Y}"
                + ("; uw begeleider keurt het goed of stuurt het terug." if aios else "."), icon=":material/hourglass_top:")
    elif state == PlanState.TERUGGESTUURD:
        st.warning("Teruggestuurd door de begeleider:", icon=":material/undo:")
        st.text(plan["return_remark"])
    elif state == PlanState.GOEDGEKEURD:
        st.success(f"Goedgekeurd op {plan['approved_at']:%d-%m-%Y} door {literal(plan['approved_by'])}.",
                   icon=":material/verified:")
    elif pd.notna(plan["approved_at"]):
        st.info(f"Goedgekeurd op {plan['approved_at']:%d-%m-%Y}; de wijzigingen zijn nog niet aangeboden. "
                "De goedgekeurde versie telt tot uw begeleider de nieuwe goedkeurt.", icon=":material/edit_note:")
    else:
        st.info("Concept: " + ("schrijf uw leerdoelen en bied het stageplan ter goedkeuring aan." if aios
                               else "de aios heeft het stageplan nog niet aangeboden."), icon=":material/edit_note:")


def _goal_card(viewer: Viewer, goal: pd.Series, n: int, form: str, editable: bool) -> None:
    aios, judge = viewer.role is Role.AIOS, may(viewer, Action.LEERDOEL_CONFIRM)
    gid = int(goal["id"])
    with st.container(border=True):
        badges = [goal["canmeds_role"], goal["status"]]
        if goal["awaiting_approval"]:
            badges.append("nieuw, nog niet goedgekeurd")
        if goal["version"] > 1:
            badges.append(f"versie {goal['version']}")
        st.markdown(f"**Leerdoel {n}** · " + " · ".join(badges))
        st.text(goal["text"])
        target = f"Streefdatum {goal['target_date']:%d-%m-%Y}" if pd.notna(goal["target_date"]) else "Geen streefdatum"
        with st.expander(f"Waarom en stappen · {target}"):
            st.caption("Waarom")
            st.text(_or_dash(goal["why"]))
            st.caption("Concrete stappen")
            st.text(_or_dash(goal["steps"]))
        draft = goal["draft"]
        if isinstance(draft, dict):
            changed = [CONTENT_LABELS[f] for f in FIELDS if str(draft.get(f) or "") != _as_text(goal[f])]
            st.info(f"Nieuwe versie {goal['version'] + 1}, nog niet goedgekeurd (gewijzigd: {', '.join(changed)}):",
                    icon=":material/edit_note:")
            st.text(draft["text"])
        if isinstance(goal["proposed_status"], str):
            st.caption(f"De aios stelt voor: {goal['proposed_status']}" + ("" if judge else "; wacht op uw begeleider."))
            if judge:
                command_button(f"Bevestigen: {goal['proposed_status']}", form,
                               lambda: _confirm(viewer, gid, goal["proposed_status"]),
                               key=f"leerdoel_bevestig_{gid}", type="primary", width="stretch")
        if aios or judge:
            left, right = st.columns(2)
            with left.popover("Status voorstellen" if aios else "Status", width="stretch"):
                options = AIOS_PROPOSES if aios else list(LeerdoelStatus)
                key = f"leerdoel_status_{gid}"
                st.radio("Nieuwe status", options, index=None, format_func=lambda s: s.value, key=key)
                command_button("Voorstellen" if aios else "Opslaan", form, lambda: _set_status(viewer, gid, key),
                               {key: None}, key=f"{key}_ok", type="primary", width="stretch")
            if aios and editable:
                right.button("Wijzigen", key=f"{form}_wijzig_{gid}", width="stretch", icon=":material/edit:",
                             on_click=_load_goal, args=(form, goal))


def _or_dash(value) -> str:
    return value if isinstance(value, str) and value else "—"


def _as_text(value) -> str:
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()[:10]
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _load_goal(form: str, goal: pd.Series) -> None:
    """Put a leerdoel (its waiting new version, if any) into the form, to change it."""
    source = goal["draft"] if isinstance(goal["draft"], dict) else None
    s = st.session_state
    for f in ("text", "why", "steps"):
        s[f"{form}_{f}"] = (source[f] if source else goal[f]) or ""
    s[f"{form}_canmeds_role"] = CanMedsRole(source["canmeds_role"] if source else goal["canmeds_role"])
    target = source["target_date"] if source else goal["target_date"]
    s[f"{form}_target_date"] = dt.date.fromisoformat(target) if isinstance(target, str) else (
        target if pd.notna(target) else None)
    s[f"{form}_edit"] = int(goal["id"])


def _empty(form: str) -> dict[str, object]:
    return {f"{form}_text": "", f"{form}_why": "", f"{form}_steps": "", f"{form}_canmeds_role": None,
            f"{form}_target_date": None, f"{form}_edit": None, f"{form}_token": None}


def _leerdoel_form(viewer: Viewer, plan: pd.Series, form: str) -> None:
    stage_id = int(plan["stage_id"])
    editing = st.session_state.get(f"{form}_edit")
    form_token(form)
    with st.form(f"{form}_form", border=True, enter_to_submit=False):
        st.markdown("**Leerdoel wijzigen**" if editing else "**Nieuw leerdoel**")
        st.caption("Specifiek en uitdagend: wat wilt u bereiken, waarom, met welke stappen, wanneer?")
        st.text_area("Wat wilt u bereiken?", key=f"{form}_text", height=68)
        field_error(form, "text")
        st.text_area("Waarom is dit belangrijk voor u?", key=f"{form}_why", height=68)
        field_error(form, "why")
        st.text_area("Concrete stappen", key=f"{form}_steps", height=68)
        field_error(form, "steps")
        st.selectbox("CanMEDS-rol", list(CanMedsRole), index=None, format_func=lambda r: r.value,
                     placeholder="Kies de rol", key=f"{form}_canmeds_role")
        field_error(form, "canmeds_role")
        st.date_input("Streefdatum", value=None, min_value=plan["start_date"], max_value=plan["end_date"],
                      format="DD-MM-YYYY", key=f"{form}_target_date")
        field_error(form, "target_date")
        command_button("Wijziging opslaan" if editing else "Leerdoel opslaan", form,
                       lambda: _save_leerdoel(viewer, stage_id, form, editing), _empty(form), type="primary",
                       width="stretch", submit=True)
    if editing:
        st.button("Wijzigen annuleren", key=f"{form}_annuleer", width="stretch",
                  on_click=lambda: st.session_state.update(_empty(form)))


def _history(viewer: Viewer, stage_id: int, goals: pd.DataFrame) -> None:
    history = cached_query(load_plan_history, viewer, stage_id=stage_id)
    if history.empty:
        return
    number = {int(g): n for n, g in enumerate(goals["id"], 1)}
    with st.expander(f"Geschiedenis van de leerdoelen ({len(history)})"):
        table = pd.DataFrame({
            "Wanneer": history["changed_at"].map(lambda t: f"{t:%d-%m-%Y %H:%M}"),
            "Leerdoel": history["leerdoel_id"].map(lambda i: f"{number.get(int(i), '')}"),
            "Wat": history["event"].fillna("") + history["version"].map(lambda v: f" (versie {int(v)})" if pd.notna(v) else ""),
            "Door": history["changed_by"].fillna("—"),
            "Gewijzigd": history["changed"].replace("", "—"),
            "Tekst": history["text"],
        })
        st.table(literal_table(table.iloc[::-1]), hide_index=True, border="horizontal")


def _opdrachten(viewer: Viewer, stage_id: int, form: str) -> None:
    opdrachten = cached_query(load_plan_opdrachten, viewer, stage_id=stage_id)
    if opdrachten.empty:
        return
    st.markdown("**Praktijkopdrachten**")
    judge = viewer.role is not Role.AIOS  # beoordeeld is not the aios' to set (the command refuses it)
    for _, o in opdrachten.iterrows():
        oid, status = int(o["id"]), OpdrachtStatus(o["status"])
        due = f" · inleveren uiterlijk {o['due_date']:%d-%m-%Y}" if pd.notna(o["due_date"]) else ""
        key = f"opdracht_{oid}"
        options = list(OpdrachtStatus) if judge else [s for s in OpdrachtStatus if s is not OpdrachtStatus.BEOORDEELD]
        if status not in options or not may(viewer, Action.OPDRACHT_STATUS):
            st.markdown(f"{literal(o['title'])}{due} · **{status.value}**")
            continue
        st.session_state[key] = status
        st.selectbox(f"{literal(o['title'])}{due}", options, format_func=lambda s: s.value, key=key,
                     on_change=run_command, args=(form, lambda k=key, i=oid: _set_opdracht(viewer, i, k)))


# --- the sections the pages call --------------------------------------------------------------


def stageplan_section(viewer: Viewer, today: dt.date, stage_id: int | None = None) -> None:
    """The stageplan: for the aios their running and coming stages (Mijn stage), or one stage (the
    aiosdossier). The aios writes and offers; a begeleider or opleider approves or sends back."""
    plans = cached_query(load_stageplans, viewer, today=today, stage_id=stage_id)
    if plans.empty:
        return
    if stage_id is None:
        st.subheader("Stageplan")
    aios = viewer.role is Role.AIOS
    for _, plan in plans.iterrows():
        sid = int(plan["stage_id"])
        form = f"stageplan_{sid}"
        with st.container(border=stage_id is None, key=f"plan_{sid}"):
            if stage_id is None:
                st.markdown(f"**{literal(plan['stageplaats'])}** · {plan['start_date']:%d-%m-%Y} t/m "
                            f"{plan['end_date']:%d-%m-%Y}")
            _state_line(plan, aios)
            goals = cached_query(load_plan_leerdoelen, viewer, stage_id=sid)
            editable = aios and plan["state"] != PlanState.AANGEBODEN
            for n, (_, goal) in enumerate(goals.iterrows(), 1):
                _goal_card(viewer, goal, n, form, editable)
            if editable:
                _leerdoel_form(viewer, plan, form)
                if not goals.empty and plan["state"] != PlanState.GOEDGEKEURD:
                    command_button("Ter goedkeuring aanbieden", form, lambda s=sid: _offer(viewer, s),
                                   key=f"{form}_aanbieden", type="primary", width="stretch",
                                   icon=":material/send:")
            if may(viewer, Action.PLAN_APPROVE) and plan["state"] == PlanState.AANGEBODEN:
                _decide(viewer, plan, form, today)
            field_error(form, "status")
            form_outcome(form)
            _history(viewer, sid, goals)
            _opdrachten(viewer, sid, form)


def _decide(viewer: Viewer, plan: pd.Series, form: str, today: dt.date) -> None:
    sid, who = int(plan["stage_id"]), plan["aios_name"]
    left, right = st.columns(2)
    command_button("Goedkeuren", form, lambda: _approve(viewer, sid, who, today), key=f"{form}_{sid}_goedkeuren",
                   type="primary", width="stretch", icon=":material/verified:", where=left)
    with right.popover("Terugsturen", width="stretch", icon=":material/undo:"):
        key = f"{form}_{sid}_opmerking"
        st.text_area("Wat moet er anders?", key=key)
        field_error(form, "remark")
        command_button("Terugsturen", form, lambda: _send_back(viewer, sid, who, key), {key: ""},
                       key=f"{form}_{sid}_terug", type="primary", width="stretch")


def stageplans_to_approve(viewer: Viewer, today: dt.date) -> None:
    """Mijn aios: "Stageplan ter goedkeuring (n)", what is new or changed in each, and the two buttons."""
    plans = cached_query(load_stageplans, viewer, today=today, offered_only=True)
    if not plans.empty:
        st.subheader(f"Stageplan ter goedkeuring ({len(plans)})")
    for _, plan in plans.iterrows():
        sid = int(plan["stage_id"])
        with st.container(border=True, key=f"ter_goedkeuring_{sid}"):
            st.markdown(f"**{literal(plan['aios_name'])}** · {literal(plan['stageplaats'])}")
            st.caption(f"Aangeboden op {plan['offered_at']:%d-%m-%Y} · {plan['waiting']} van {plan['leerdoelen']} "
                       "leerdoelen nieuw of gewijzigd")
            goals = cached_query(load_plan_leerdoelen, viewer, stage_id=sid)
            for _, goal in goals.iterrows():
                draft = goal["draft"] if isinstance(goal["draft"], dict) else None
                if not (goal["awaiting_approval"] or draft):
                    continue
                shown = draft or goal
                label = "Nieuw" if goal["awaiting_approval"] else f"Nieuwe versie {goal['version'] + 1}"
                target = shown["target_date"]
                target = dt.date.fromisoformat(target) if isinstance(target, str) else target
                when = f" · streefdatum {target:%d-%m-%Y}" if target is not None and pd.notna(target) else ""
                st.caption(f"{label} · {shown['canmeds_role']}{when}")
                st.text(shown["text"])
                with st.expander("Waarom en stappen"):
                    st.text(_or_dash(shown["why"]))
                    st.text(_or_dash(shown["steps"]))
            _decide(viewer, plan, APPROVALS, today)
    form_outcome(APPROVALS)
