"""The Vergadering page's parts: choose a meeting, prepare it, hold it one site at a time in a
projector mode, close it, and read it afterwards. The commands are data_access.meetings'."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.charts import (
    DIMENSION_LABELS,
    rating_distribution_chart,
    site_comparison_chart,
)
from dashboard.data import cached_query, decisions, meeting_pack, rating_distribution
from dashboard.meeting_pack import agenda_sheet
from dashboard.resources import anonymity_threshold, get_engine, get_settings
from dashboard.tables import too_few
from dashboard.text import literal, literal_table
from dashboard.widgets import command_button, download_button, field_error, form_outcome, form_token, initial
from data_access.commands import NEEDS_FOLLOW_UP, status_after
from data_access.meetings import (
    AgendaEntry,
    MeetingInput,
    MeetingView,
    OutcomeInput,
    agenda_reasons,
    change_meeting,
    close_meeting,
    load_meeting,
    load_meetings,
    open_meeting_id,
    prepare_meeting,
    save_outcome,
    start_meeting,
)
from data_access.models import AgendaReason, Decision, StageplaatsStatus
from data_access.queries.filters import StageSelection
from data_access.queries.response import load_response_rate, load_thin_rating_flags
from data_access.viewer import Viewer

CHOICE = "vergadering_keuze"
NEW = 0  # the choice "prepare a new meeting"
WITHOUT_DECISION = "besproken zonder besluit"
OUTCOMES = [d.value for d in Decision] + [WITHOUT_DECISION]
# The outcome form's fields (session key `uitkomst_<item>_<field>`) and their empty values.
FIELDS = {"uitkomst": None, "motivering": "", "opvolging": None, "notitie": ""}
PROJECTOR_CSS = """
<style>
/* Projector mode: large type, no sidebar or header, one agenda item on one screen. */
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] { display: none; }
.block-container { padding-top: 1rem; padding-bottom: 1rem; max-width: 100%; }
.stMainBlockContainer p, .stMainBlockContainer li, .stMainBlockContainer label,
.stMainBlockContainer textarea, .stMainBlockContainer input { font-size: 1.35rem !important; }
.stMainBlockContainer h1 { display: none; }  /* the item's heading is the title now */
.stMainBlockContainer h2 { font-size: 2.1rem; }
.stMainBlockContainer h3 { font-size: 1.8rem; }
</style>
"""


def _engine():
    return get_engine(get_settings().db_url)



def meetings(viewer: Viewer, opleiding_id: int | None) -> pd.DataFrame:
    return cached_query(load_meetings, viewer, opleiding_id=opleiding_id)


def meeting(viewer: Viewer, meeting_id: int) -> MeetingView | None:
    return cached_query(load_meeting, viewer, meeting_id=meeting_id)


def response_rates(viewer: Viewer, filters: StageSelection, by: str) -> pd.DataFrame:
    return cached_query(load_response_rate, viewer, by=by, today=filters.today,
                        threshold=anonymity_threshold(), opleiding_id=filters.opleiding_id)


def thin_rating_flags(viewer: Viewer, filters: StageSelection) -> pd.DataFrame:
    return cached_query(load_thin_rating_flags, viewer, today=filters.today,
                        threshold=anonymity_threshold(), opleiding_id=filters.opleiding_id)


def current_meeting_id(viewer: Viewer) -> int | None:
    """The meeting being held now, if any (for the committee's landing page)."""
    return open_meeting_id(_engine(), viewer)


def rate_text(row) -> str:
    """'12 van 15 afgeronde stages beoordeeld', or why there is no rate."""
    if row is None:
        return "nog geen afgeronde stages"
    return f"{row.rated} van {row.ended} afgeronde stages beoordeeld"


def choose_meeting(viewer: Viewer, filters: StageSelection) -> int | None:
    """The meeting to show, chosen in a selectbox and kept in the URL (?vergadering=id): by
    default the one being held, else the next prepared one, else a new one."""
    listed = meetings(viewer, filters.opleiding_id)
    labels = {NEW: "Nieuwe vergadering voorbereiden"} | {
        # No status in the label: a keyed selectbox may keep showing an option's old label.
        int(r.id): f"{r.date:%d-%m-%Y} · {r.items} punten" for r in listed.itertuples()}
    if CHOICE not in st.session_state or st.session_state[CHOICE] not in labels:
        wanted = st.query_params.get("vergadering")
        open_ones = listed[listed["status"] == "bezig"]
        prepared = listed[listed["status"] == "voorbereid"].sort_values("date")
        default = (int(wanted) if wanted and wanted.isdigit() and int(wanted) in labels else
                   int(open_ones["id"].iloc[0]) if not open_ones.empty else
                   int(prepared["id"].iloc[0]) if not prepared.empty else NEW)
        st.session_state[CHOICE] = default
    chosen = st.selectbox("Kies een vergadering", list(labels), format_func=labels.get, key=CHOICE)
    if chosen == NEW:
        st.query_params.pop("vergadering", None)
        return None
    st.query_params["vergadering"] = str(chosen)
    return chosen


def _show(meeting_id: int) -> None:
    """After a command: show this meeting (the selectbox is drawn after the callbacks)."""
    st.session_state[CHOICE] = meeting_id


# --- preparing ------------------------------------------------------------------------------


def prepare(viewer: Viewer, filters: StageSelection, overview: pd.DataFrame, m: MeetingView | None = None) -> None:
    """The form for a new meeting (or, with `m`, for changing a prepared one): date, chair,
    attendees, the agenda (suggested: follow-ups due and flagged sites, each with its reason;
    a site added by hand says so), notes."""
    form = "vergadering_nieuw" if m is None else f"vergadering_wijzig_{m.id}"
    names = dict(zip(overview["stageplaats_id"].astype(int), overview["stageplaats"], strict=True))
    reasons = agenda_reasons(overview, filters.today)
    if m is not None:  # a prepared meeting keeps the reasons it was given
        reasons = {int(r.stageplaats_id): AgendaReason(r.reason) for r in m.items.itertuples()} | reasons
    if f"{form}_agenda" not in st.session_state:
        s = st.session_state
        s[f"{form}_agenda"] = list(reasons)[:12] if m is None else [int(i) for i in m.items["stageplaats_id"]]
        s[f"{form}_date"] = filters.today + dt.timedelta(days=7) if m is None else m.date
        s[f"{form}_chair"] = viewer.display_name if m is None else m.chair
        s[f"{form}_attendees"] = viewer.display_name if m is None else "\n".join(m.attendees)
        s[f"{form}_notes"] = "" if m is None else m.notes
    due = sum(r is AgendaReason.OPVOLGING for r in reasons.values())
    st.caption(f"{due} opvolging(en) verlopen · {len(reasons) - due} stageplaats(en) met een signaal. De agenda "
               "begint met de verlopen opvolgingen en daarna de stageplaatsen met een signaal; voeg toe of haal weg "
               "wat u wilt. De volgorde van de agenda is de volgorde hieronder.")
    form_token(form)

    def entries() -> tuple[AgendaEntry, ...]:
        return tuple(AgendaEntry(int(s), reasons.get(int(s), AgendaReason.HANDMATIG))
                     for s in st.session_state[f"{form}_agenda"])

    def submit() -> str:
        s = st.session_state
        data = MeetingInput(
            opleiding_id=filters.opleiding_id if m is None else m.opleiding_id, date=s[f"{form}_date"],
            chair=s[f"{form}_chair"], attendees=s[f"{form}_attendees"], agenda=entries(),
            submit_token=s[f"{form}_token"], notes=s[f"{form}_notes"])
        if m is None:
            _show(prepare_meeting(_engine(), viewer, data))
        else:
            change_meeting(_engine(), viewer, m.id, data)
        for key in ("agenda", "date", "chair", "attendees", "notes", "token"):
            s.pop(f"{form}_{key}", None)
        return ("De vergadering is voorbereid. Open haar hieronder wanneer de vergadering begint." if m is None
                else "De vergadering is gewijzigd.")

    left, right = st.columns([3, 2])
    with left:
        st.multiselect("Agenda", list(names), format_func=names.get, key=f"{form}_agenda",
                       placeholder="Kies stageplaatsen voor de agenda")
        field_error(form, "agenda")
        chosen = entries()
        if chosen:
            st.markdown("\n".join(f"{i}. {literal(names[e.stageplaats_id])} — *{e.reason.value}*"
                                  for i, e in enumerate(chosen, 1)))
    with right, st.form(form, border=True):
        st.date_input("Datum", format="DD-MM-YYYY", key=f"{form}_date")
        field_error(form, "date")
        st.text_input("Voorzitter", max_chars=200, key=f"{form}_chair")
        field_error(form, "chair")
        st.text_area("Aanwezigen (één per regel)", key=f"{form}_attendees", height=110)
        field_error(form, "attendees")
        st.text_area("Notities vooraf", key=f"{form}_notes", max_chars=2000, height=80)
        field_error(form, "notes")
        command_button("Vergadering voorbereiden" if m is None else "Wijzigingen opslaan", form, submit,
                       type="primary", submit=True)
    form_outcome(form)


# --- one meeting ----------------------------------------------------------------------------


def header(m: MeetingView) -> None:
    st.markdown(f"**{m.date:%d-%m-%Y}** · {literal(m.opleiding)} · status: **{m.status}** · "
                f"voorzitter {literal(m.chair)}")
    st.caption("Aanwezig: " + literal(", ".join(m.attendees)))


def pack_buttons(viewer: Viewer, filters: StageSelection, m: MeetingView) -> None:
    """The pack of this meeting: before and during the meeting the vergaderstuk, after it the
    notulen (the same document, with the outcomes); Excel beside it."""
    word = "Notulen" if m.status == "gesloten" else "Vergaderstuk"
    selection = dataclasses.replace(filters, opleiding_id=m.opleiding_id)
    pack = meeting_pack(viewer, selection, tuple(int(s) for s in m.items["stageplaats_id"]), m.id)
    left, right = st.columns(2)
    download_button(left, f"{word} (PDF)", lambda: pack()[0], f"{word.lower()}-{m.date:%Y-%m-%d}.pdf",
                    "application/pdf", icon=":material/picture_as_pdf:", key=f"vergadering_pdf_{m.id}")
    download_button(right, f"{word} (Excel)", lambda: pack()[1], f"{word.lower()}-{m.date:%Y-%m-%d}.xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    icon=":material/table:", key=f"vergadering_xlsx_{m.id}")


def agenda_table(m: MeetingView, with_outcome: bool) -> None:
    table = agenda_sheet(m)
    if not with_outcome:
        table = table[["Punt", "Stageplaats", "Reden op de agenda"]]
    st.dataframe(literal_table(table.astype(object).where(table.notna(), "—")), hide_index=True, width="stretch")


def prepared(viewer: Viewer, filters: StageSelection, m: MeetingView, overview: pd.DataFrame) -> None:
    form_outcome("vergadering_nieuw")  # the confirmation of the preparation that made it
    header(m)
    if m.notes:
        st.text(m.notes)
    agenda_table(m, with_outcome=False)
    with st.expander("Agenda en gegevens wijzigen"):
        prepare(viewer, filters, overview, m)
    form = f"vergadering_open_{m.id}"
    command_button("Vergadering openen", form, lambda: _start(viewer, m.id), type="primary",
                   icon=":material/play_arrow:", key=form)
    form_outcome(form)
    pack_buttons(viewer, filters, m)


def _start(viewer: Viewer, meeting_id: int) -> str:
    start_meeting(_engine(), viewer, meeting_id)
    st.session_state[f"vergadering_punt_{meeting_id}"] = 0
    return "De vergadering is geopend."


def _move(key: str, step: int, last: int) -> None:
    st.session_state[key] = min(max(st.session_state.get(key, 0) + step, 0), last)


def _go_to(key: str, index: int) -> None:
    st.session_state[key] = index


def _drafts(meeting_id: int) -> dict[int, dict]:
    """Outcomes chosen or typed but not recorded, per agenda item (this session's): kept when the
    chair moves to another item, whose widgets Streamlit then forgets, and named when the
    meeting is closed. An item's entry goes when what is typed equals what is recorded."""
    return st.session_state.setdefault(f"vergadering_concepten_{meeting_id}", {})


def hold(viewer: Viewer, filters: StageSelection, m: MeetingView, overview: pd.DataFrame) -> None:
    """The meeting being held: one agenda item fills the screen, with previous/next (buttons,
    and the keys PageUp/PageDown that a presenter's clicker sends). An outcome not recorded yet
    stays as a draft when the chair moves on, and the page names it until it is recorded."""
    if st.session_state.get("vergadering_projector", True):
        st.html(PROJECTOR_CSS)
    form_outcome(f"vergadering_open_{m.id}")
    key = f"vergadering_punt_{m.id}"
    last = len(m.items) - 1
    index = min(st.session_state.get(key, 0), last)
    item = m.items.iloc[index]
    drafts = _drafts(m.id)
    elsewhere = [r for r in m.items.itertuples() if int(r.id) in drafts and r.Index != index]
    if elsewhere:
        st.warning("Nog niet vastgelegd: " + "; ".join(f"punt {r.position} ({literal(r.stageplaats)})" for r in elsewhere)
                   + ". Wat u daar koos of typte staat klaar; ga terug om het vast te leggen.", icon=":material/edit_note:")
        with st.container(horizontal=True, gap="small"):
            for r in elsewhere:
                st.button(f"Naar punt {r.position}", key=f"{key}_naar_{r.position}", on_click=_go_to, args=(key, r.Index))
    nav = st.columns([1.3, 4, 1.3], vertical_alignment="center")
    nav[0].button("Vorige", icon=":material/arrow_back:", key=f"{key}_vorige", disabled=index == 0,
                  on_click=_move, args=(key, -1, last), shortcut="PageUp", width="stretch")
    nav[1].markdown(f"### Punt {index + 1} van {last + 1}: {literal(item['stageplaats'])}")
    nav[2].button("Volgende", icon=":material/arrow_forward:", key=f"{key}_volgende", disabled=index == last,
                  on_click=_move, args=(key, 1, last), shortcut="PageDown", width="stretch")
    site = overview.set_index("stageplaats_id").loc[int(item["stageplaats_id"])]
    rates = response_rates(viewer, dataclasses.replace(filters, opleiding_id=m.opleiding_id), "stageplaats")
    rate = next((r for r in rates.itertuples() if int(r.group_id) == int(item["stageplaats_id"])), None)
    left, right = st.columns([3, 2], gap="large")
    with left:
        _site_facts(viewer, item, site, rate)
    with right:
        _outcome_form(viewer, filters, m, item)
    statuses = " · ".join(f"{r.position}. {r.status}" + (" (niet vastgelegd)" if int(r.id) in drafts else "")
                          for r in m.items.itertuples())
    st.caption(f"Agenda: {statuses}. Bladeren: Vorige/Volgende of PageUp/PageDown; een punt overslaan is "
               "verder gaan zonder uitkomst. Een uitkomst kan worden gecorrigeerd tot de vergadering sluit.")
    st.toggle("Projectormodus (grote letters, zonder zijbalk)", value=True, key="vergadering_projector")
    with st.expander("Vergadering afsluiten en downloads"):
        _close_form(viewer, m)
        pack_buttons(viewer, filters, m)


def _site_facts(viewer: Viewer, item: pd.Series, site: pd.Series, rate) -> None:
    threshold = anonymity_threshold()
    st.markdown(f"Op de agenda: **{item['reason']}** · status {literal(site['status'])} · "
                f"respons: {rate_text(rate)}")
    if site["flags"]:
        st.warning("\n".join(f"- {f}" for f in site["flags"]), icon=":material/flag:")
    if site["enough"]:
        means = " · ".join(f"{label} **{site[d]:.1f}**".replace(".", ",") for d, label in DIMENSION_LABELS.items())
        st.markdown(f"Gemiddeld (1–5, n={site['n']}): {means}")
        # Its own height: the chart's plot height is its bars' (dashboard.charts.FIT_WIDTH), its
        # title and legend come on top, so it no longer collapses to a line in a column.
        chart = rating_distribution_chart(rating_distribution(viewer, (int(item["stageplaats_id"]),)))
        st.altair_chart(chart.configure_axis(labelFontSize=16, titleFontSize=16).configure_legend(
            labelFontSize=16, titleFontSize=16).configure_title(fontSize=20, subtitleFontSize=15),
            width="stretch", theme=None)
    else:
        st.info(f"{too_few(site['n'])}: geen gemiddelden (drempel {threshold}).")
    history = decisions(viewer, (int(item["stageplaats_id"]),))
    if item["decision_id"] is not None:
        history = history[history["id"] != item["decision_id"]]
    for r in history.head(2).itertuples():
        follow = f" · opvolgen op {r.follow_up_date:%d-%m-%Y}" if r.follow_up_date else ""
        st.caption(f"Eerder: {r.date:%d-%m-%Y} {r.decision}{follow} — {literal(r.rationale[:120])}")


def _recorded(item: pd.Series) -> dict:
    """The outcome form's values for what is recorded for the item (empty without an outcome)."""
    chosen = {"besluit": item["decision"], "besproken": WITHOUT_DECISION}.get(item["status"])
    return {"uitkomst": chosen, "motivering": item["rationale"] or "", "opvolging": item["follow_up_date"],
            "notitie": item["notes"] or ""}


def _differs(values: dict, recorded: dict) -> bool:
    def same(field: str) -> bool:
        if isinstance(FIELDS[field], str):
            return (values[field] or "").strip() == (recorded[field] or "").strip()
        return values[field] == recorded[field]
    return not all(same(f) for f in FIELDS)


def _keep_draft(meeting_id: int, item_id: int, form: str, recorded: dict) -> None:
    """On every change in an outcome form: keep what is typed as the item's draft, or drop the
    draft when it is what is recorded."""
    values = {f: st.session_state.get(f"{form}_{f}", empty) for f, empty in FIELDS.items()}
    if values["uitkomst"] is not None:  # "Kies een besluit." from the last save no longer holds
        st.session_state.get(f"{form}_fouten", {}).pop("decision", None)
    if _differs(values, recorded):
        _drafts(meeting_id)[item_id] = values
    else:
        _drafts(meeting_id).pop(item_id, None)


def _forget(meeting_id: int, item_id: int, form: str) -> None:
    """The form is done (recorded or its correction cancelled): no draft, a fresh form next time."""
    _drafts(meeting_id).pop(item_id, None)
    for field in (*FIELDS, "token", "corrigeren"):
        st.session_state.pop(f"{form}_{field}", None)


def _start_correction(form: str) -> None:
    """The form opens on what is recorded (the fields' defaults, see `_outcome_form`)."""
    for field in FIELDS:
        st.session_state.pop(f"{form}_{field}", None)
    st.session_state[f"{form}_corrigeren"] = True
    st.session_state.pop(f"{form}_token", None)


def _labels(chosen: str | None) -> tuple[str, str]:
    """The labels of the rationale and the follow-up date for the outcome chosen: what is
    required says so as soon as the outcome is chosen, before anything is saved."""
    if chosen is None:
        return "Motivering (bij een besluit)", "Opvolgen op (verplicht bij gesprek en remediëringsplan)"
    if chosen == WITHOUT_DECISION:
        return "Motivering (niet nodig zonder besluit)", "Opvolgen op (niet nodig zonder besluit)"
    if Decision(chosen) in NEEDS_FOLLOW_UP:
        return "Motivering (verplicht)", f"Opvolgen op (verplicht bij {chosen})"
    return "Motivering (verplicht)", f"Opvolgen op (mag leeg bij {chosen})"


def _status_change(item: pd.Series, chosen: str | None) -> str | None:
    """What the chosen outcome does to the site's status, in words; None before a choice."""
    if chosen is None:
        return None
    now = StageplaatsStatus(item["site_status"])
    after = status_after(None if chosen == WITHOUT_DECISION else Decision(chosen), StageplaatsStatus(item["status_base"]))
    if after is now:
        return f"De status van {item['stageplaats']} blijft: {now.value}."
    return f"De status van {item['stageplaats']} wordt: {after.value} (was: {now.value})."


def _outcome_form(viewer: Viewer, filters: StageSelection, m: MeetingView, item: pd.Series) -> None:
    """The item's outcome: what is recorded, with a button to correct it, or the form. The form's
    fields are not in an st.form, so the page knows at once what is chosen (and marks what it
    requires) and what is typed (kept as a draft when the chair moves on)."""
    item_id = int(item["id"])
    form = f"uitkomst_{item_id}"
    s = st.session_state
    recorded = _recorded(item)
    drafts = _drafts(m.id)
    if item["status"] == "besluit":
        follow = f", opvolgen op {item['follow_up_date']:%d-%m-%Y}" if item["follow_up_date"] is not None else ""
        st.success(f"Besluit: {item['decision']}{follow}", icon=":material/gavel:")
        st.text(item["rationale"])
    elif item["status"] == "besproken":
        st.info("Besproken zonder besluit. U kunt alsnog een besluit vastleggen.", icon=":material/forum:")
    if item["status"] != "te bespreken":
        if item["notes"]:
            st.text(item["notes"])
        if not (s.get(f"{form}_corrigeren") or item_id in drafts):
            form_outcome(form)
            st.button("Besluit corrigeren" if item["status"] == "besluit" else "Uitkomst wijzigen",
                      icon=":material/edit:", key=f"{form}_corrigeer", on_click=_start_correction, args=(form,))
            return
    # Back on an item, its fields open on its draft or on what is recorded (widgets.initial).
    start = {f: initial(f"{form}_{f}", v) for f, v in drafts.get(item_id, recorded).items()}
    form_token(form)
    keep = {"on_change": _keep_draft, "args": (m.id, item_id, form, recorded)}

    def submit() -> str:
        chosen = s[f"{form}_uitkomst"]
        saved = save_outcome(_engine(), viewer, item_id, OutcomeInput(
            meeting_id=m.id, stageplaats_id=int(item["stageplaats_id"]),
            decision=None if chosen in (None, WITHOUT_DECISION) else Decision(chosen),
            discussed_only=chosen == WITHOUT_DECISION, rationale=s[f"{form}_motivering"],
            follow_up_date=s[f"{form}_opvolging"], notes=s[f"{form}_notitie"], submit_token=s[f"{form}_token"],
            replaces=item["outcome_token"]), filters.today)
        _forget(m.id, item_id, form)
        status = (f" De status van {saved.stageplaats} is nu: {saved.status_after.value} "
                  f"(was: {saved.status_before.value})." if saved.status_after is not saved.status_before else "")
        return f"{saved.stageplaats}: {'gecorrigeerd in ' if saved.corrected else ''}{chosen}.{status}"

    with st.container(border=True, key=f"{form}_formulier"):
        if item["status"] != "te bespreken":
            st.markdown("**Uitkomst corrigeren**")
            st.caption("De nieuwe uitkomst vervangt de vastgelegde; dat kan tot de vergadering sluit.")
        # No preset: the chair chooses; without a choice nothing is saved. One under the other:
        # five choices in a row broke into letters in the side column.
        chosen = st.radio("Uitkomst", OUTCOMES, index=OUTCOMES.index(start["uitkomst"]) if start["uitkomst"] else None,
                          key=f"{form}_uitkomst", **keep)
        field_error(form, "decision")
        rationale_label, date_label = _labels(chosen)
        st.text_area(rationale_label, value=start["motivering"] or "", key=f"{form}_motivering", max_chars=2000,
                     height=80, **keep)
        field_error(form, "rationale")
        earliest = filters.today + dt.timedelta(days=1)
        date = s.get(f"{form}_opvolging", start["opvolging"])
        if date is not None:  # a recorded date from an earlier day stays choosable
            earliest = min(earliest, date)
        st.date_input(date_label, value=start["opvolging"], min_value=earliest, format="DD-MM-YYYY",
                      key=f"{form}_opvolging", **keep)
        field_error(form, "follow_up_date")
        st.text_area("Aantekening voor de notulen", value=start["notitie"] or "", key=f"{form}_notitie",
                     max_chars=2000, height=68, **keep)
        field_error(form, "notes")
        change = _status_change(item, chosen)
        if change and " wordt: " in change:
            st.warning(literal(change), icon=":material/swap_horiz:")
        elif change:
            st.caption(literal(change))
        with st.container(horizontal=True, gap="small"):
            command_button("Uitkomst vastleggen", form, submit, type="primary", key=f"{form}_opslaan")
            if item["status"] != "te bespreken":
                st.button("Correctie annuleren", key=f"{form}_annuleer", on_click=_forget, args=(m.id, item_id, form))
    form_outcome(form)


def _unfinished(m: MeetingView, drafts: dict[int, dict]) -> list[str]:
    """Every item that has no outcome or an outcome not recorded, by name, in agenda order."""
    lines = []
    for r in m.items.itertuples():
        draft = drafts.get(int(r.id))
        name = f"{r.position}. {r.stageplaats}"
        typed = f" ({draft['uitkomst']})" if draft and draft["uitkomst"] else ""
        if r.status == "te bespreken" and draft:
            lines.append(f"{name}: geen uitkomst; wat is ingevuld{typed} is niet vastgelegd en gaat verloren.")
        elif r.status == "te bespreken":
            lines.append(f"{name}: geen uitkomst; staat in de notulen als niet besproken.")
        elif draft:
            recorded = r.decision if r.status == "besluit" else WITHOUT_DECISION
            lines.append(f"{name}: een correctie{typed} is niet vastgelegd en gaat verloren; "
                         f"de vastgelegde uitkomst ({recorded}) blijft.")
    return lines


def _close_form(viewer: Viewer, m: MeetingView) -> None:
    """Closing asks first, and names every item without an outcome or with one not recorded.
    The notes and "Vergadering sluiten" are one form: typed text and the click reach the server
    together (a click right after typing outside a form can arrive in the run that the text's
    change started, and be lost)."""
    form = f"vergadering_sluiten_{m.id}"
    s = st.session_state
    kept = s.get(f"{form}_notities_bewaard", m.notes or "")
    if not s.get(f"{form}_bevestigen"):
        with st.form(f"{form}_formulier", border=False, enter_to_submit=False):
            st.text_area("Notities bij de vergadering", value=initial(f"{form}_notities", kept) or "",
                         key=f"{form}_notities", max_chars=2000)
            field_error(form, "notes")
            st.form_submit_button("Vergadering sluiten", icon=":material/lock:", key=f"{form}_vraag",
                                  on_click=_confirm_close, args=(form, True))
    else:
        st.markdown("**Notities bij de vergadering**")
        st.text(kept or "—")
        field_error(form, "notes")
        with st.container(border=True, key=f"{form}_bevestiging"):
            lines = _unfinished(m, _drafts(m.id))
            if lines:
                st.warning("Nog niet af:\n" + "\n".join(f"- {literal(line)}" for line in lines), icon=":material/warning:")
            else:
                st.info("Alle punten hebben een vastgelegde uitkomst.", icon=":material/task_alt:")
            st.markdown("Na het sluiten verandert er niets meer aan deze vergadering. Nu sluiten?")
            with st.container(horizontal=True, gap="small"):
                command_button("Ja, vergadering sluiten", form, lambda: _close(viewer, m.id, kept),
                               type="primary", icon=":material/lock:", key=f"{form}_ja")
                st.button("Nee, terug naar de vergadering", key=f"{form}_nee", on_click=_confirm_close,
                          args=(form, False))
    form_outcome(form)


def _confirm_close(form: str, asking: bool) -> None:
    """Asking keeps the notes typed (the field is not drawn while the page asks); "Nee" opens
    the field on them again."""
    s = st.session_state
    if asking:
        s[f"{form}_notities_bewaard"] = s.get(f"{form}_notities", "")
    s[f"{form}_bevestigen"] = asking


def _close(viewer: Viewer, meeting_id: int, notes: str) -> str:
    close_meeting(_engine(), viewer, meeting_id, notes)
    st.session_state.pop(f"vergadering_concepten_{meeting_id}", None)
    st.session_state.pop(f"vergadering_sluiten_{meeting_id}_bevestigen", None)
    st.session_state.pop(f"vergadering_sluiten_{meeting_id}_notities_bewaard", None)
    return "De vergadering is gesloten; de notulen staan hieronder klaar."


def minutes(viewer: Viewer, filters: StageSelection, m: MeetingView) -> None:
    """A closed meeting: readable, never changed; the notulen are the pack with the outcomes."""
    header(m)
    st.caption(f"Gesloten op {m.closed_at:%d-%m-%Y %H:%M}." if m.closed_at is not None else "Gesloten.")
    agenda_table(m, with_outcome=True)
    if m.notes:
        st.markdown("**Notities**")
        st.text(m.notes)
    form_outcome(f"vergadering_sluiten_{m.id}")
    pack_buttons(viewer, filters, m)


def site_comparison(sites: pd.DataFrame) -> None:
    """The chosen sites side by side, sized for a projector, with no toolbar over them (the
    chart's hover toolbar would cover the first site's label; its actions are English)."""
    with st.container(key="vergelijk_grafiek"):
        st.html("<style>.st-key-vergelijk_grafiek [data-testid='stElementToolbar'] { display: none; }</style>")
        st.altair_chart(site_comparison_chart(sites, projector=True), theme=None)


def response_section(viewer: Viewer, filters: StageSelection, flags: pd.DataFrame) -> None:
    """Response rate per site and per cohort (released ratings of ended stages), and the sites
    with too few ratings two years running."""
    threshold = anonymity_threshold()
    st.caption(f"Hoeveel afgeronde stages zijn beoordeeld. Alleen vrijgegeven beoordelingen tellen (per groep van "
               f"minstens {threshold}), zodat het getal nooit één nieuwe beoordeling laat zien; nooit wie beoordeelde.")
    for flag in flags.itertuples():
        st.warning(f"{literal(flag.stageplaats)}: {flag.flag}", icon=":material/flag:")
    left, right = st.columns(2)
    for col, by, label in ((left, "stageplaats", "Stageplaats"), (right, "cohort", "Cohort")):
        rates = response_rates(viewer, filters, by)
        col.dataframe(literal_table(pd.DataFrame({
            label: rates["name"],
            "Beoordeeld": [f"{r.rated} van {r.ended}" for r in rates.itertuples()],
            "Respons": [f"{r.rate:.0%}" if r.enough else f"te weinig afgeronde stages (n={r.ended})"
                        for r in rates.itertuples()],
        })), hide_index=True, width="stretch")
