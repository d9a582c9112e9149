"""Small shared page pieces."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard.context import current_viewer
from dashboard.data import rateable_stages
from dashboard.navigation import open_dossier, open_page
from dashboard.text import literal
from data_access.cycle import next_gesprek_type
from data_access.errors import AccessDenied, ValidationError
from data_access.flags import due_next
from data_access.logs import get_logger, raise_errors
from data_access.models import Role
from data_access.urgency import most_overdue_first
from data_access.viewer import Viewer

_log = get_logger("formulier")
SAVE_FAILED = ("Opslaan is mislukt door een fout in de toepassing; er is niets opgeslagen. Probeer het later "
               "opnieuw; de beheerder vindt de fout in het log.")


def download_button(where, label: str, data, file_name: str, mime: str, *, key: str, **options) -> None:  # noqa: ANN001
    """Every download button (`where`: st or a column). The click starts no script run; `data` is
    bytes, or a callable where the file is made (and audited) on the click
    (see dashboard.data.audited_download).

    With a run on the click (Streamlit's default), the run registers the button's file anew and
    drops the one the click is fetching; when the run wins that race the download never comes
    and the user sees nothing (6 of 25 clicks with two busy processes, 0 of 25 without the run).
    Nothing on a page changes by a download, so the run was never needed."""
    where.download_button(label, data, file_name, mime, key=key, on_click="ignore", **options)


def coming_soon(what: str) -> None:
    """An honest placeholder: the page exists in the navigation, its content is not built yet."""
    st.info(f"Deze pagina is nog in aanbouw: {what}", icon="🚧")


def stage_cards(progress: pd.DataFrame, today: dt.date, *, show_name: bool) -> None:
    """One compact card per stage, readable on a phone, the aios whose gesprek is most overdue
    first: what is due next on top, then the flags in words, then the counts that matter, then
    buttons that open the form for this aios with the gesprek due (or the KPB or feedback tab)."""
    aios = current_viewer().role is Role.AIOS
    for _, row in most_overdue_first(progress, today).iterrows():
        with st.container(border=True, key=f"kaart_{row['stage_id']}"):
            title = f"**{literal(row['aios_name'])}** · " if show_name else ""
            st.markdown(f"{title}{literal(row['stageplaats'])}  \nWeek {row['week']} van {row['weeks_total']}")
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
            _card_buttons(row, today, aios)


# After the eindgesprek the stage expects no gesprek (cycle.cycle_closed).
NO_GESPREK_DUE = "geen gesprek meer (het eindgesprek is gehouden)"


def _card_buttons(row: pd.Series, today: dt.date, aios: bool) -> None:
    # Imported here: the forms use this module's helpers.
    from dashboard.gesprek_form import open_form_for

    key = row["stage_id"]
    due = next_gesprek_type(row, today)
    actions = {"gesprek": "Verslag schrijven" if aios else "Gesprek vastleggen",
               "kpb": "KPB aanvragen" if aios else "KPB", "feedback": "Feedback"}
    icons = {"gesprek": ":material/edit_note:", "kpb": ":material/assignment_turned_in:", "feedback": ":material/forum:"}
    st.caption(f"Aan de beurt: {due.value if due is not None else NO_GESPREK_DUE}")
    with st.container(horizontal=True, gap="small"):
        for tab, label in actions.items():
            if st.button(label, key=f"{tab}_{key}", icon=icons[tab], type="primary" if tab == "gesprek" else "secondary"):
                open_form_for(row, today, tab)
        if st.button("Dossier", key=f"dossier_{key}", icon=":material/person_search:"):
            open_dossier(int(row["aios_id"]), int(row["stage_id"]))


RATING_STAGE = "beoordelen_stage"


def choose_rating_stage(stages: pd.DataFrame, labels: dict[int, str]) -> int:
    """The stage an aios rates: the one chosen (on Mijn stage, or here), else the most recently
    ended one not rated yet (`stages` come latest first), else the latest."""
    unrated = stages[~stages["rated"]]
    if st.session_state.get(RATING_STAGE) not in labels:
        st.session_state[RATING_STAGE] = int((unrated if not unrated.empty else stages)["stage_id"].iloc[0])
    return st.selectbox("Stage", list(labels), format_func=lambda s: literal(labels[s]), key=RATING_STAGE)


def rating_due_buttons(viewer: Viewer, today: dt.date) -> None:
    """On Mijn stage: a button for each ended stage whose stageplaats the aios has not rated."""
    rateable = rateable_stages(viewer, today)
    for row in rateable[~rateable["rated"]].itertuples():
        if st.button(f"Stageplaats beoordelen: {literal(row.stageplaats)}", key=f"beoordeel_{row.stage_id}",
                     icon=":material/star_rate:", type="primary"):
            st.session_state[RATING_STAGE] = int(row.stage_id)
            open_page("stageplaats_beoordelen.py")


def _query_int(name: str) -> int | None:
    value = st.query_params.get(name)
    return int(value) if value is not None and value.isdigit() else None


def choose_from_url(label: str, param: str, options: list[int], labels: dict[int, str], default: int | None) -> int | None:
    """A selectbox whose choice lives in the URL (?param=id), so a link opens the same choice;
    None while nothing is chosen (no default: the list waits for a choice).

    An id in the URL that is not among the options (not visible to this viewer, or outside the
    filters) is not shown: the page says so for as long as the URL asks for it, and waits for a
    choice instead of switching to another one (with one option, that one is shown)."""
    wanted = _query_int(param)
    unavailable = wanted is not None and wanted not in options
    notice = st.empty()
    if len(options) == 1:
        chosen: int | None = options[0]
    else:
        initial = wanted if wanted in options else (None if unavailable else default)
        chosen = st.selectbox(label, options, index=None if initial is None else options.index(initial),
                              format_func=lambda o: literal(labels[o]), placeholder=f"Kies een {label.lower()}")
    if unavailable and (chosen is None or len(options) == 1):
        notice.warning("Het gevraagde dossier is niet beschikbaar: u heeft er geen toegang toe of het valt buiten "
                       "de filters.", icon=":material/block:")
    if chosen is not None and not (unavailable and len(options) == 1):  # else the URL keeps its notice
        st.query_params[param] = str(chosen)
    return chosen


def verslag_card(gesprek: pd.Series, older: pd.DataFrame, on_correct: Callable[[pd.Series], None] | None = None) -> None:
    """One gesprek's verslag. What users typed is shown with st.text, so markdown or HTML in
    it never renders as markup; only our own labels are markdown. With `on_correct`, a
    vastgesteld verslag offers "Corrigeren" (a new version; the old one stays as it was)."""
    with st.container(border=True):
        version = f" · versie {gesprek['version']}" if gesprek["version"] > 1 else ""
        st.markdown(f"**{gesprek['type'].capitalize()}** · {gesprek['date']:%d-%m-%Y} · {gesprek['status']}{version}")
        who = f"Vastgelegd door {literal(gesprek['author'])}"
        if gesprek["confirmed_by"] is not None and pd.notna(gesprek["confirmed_by"]):
            who += f", vastgesteld door {literal(gesprek['confirmed_by'])}"
        st.caption(who)
        if gesprek["op_schema"] is not None and pd.notna(gesprek["op_schema"]):
            st.markdown(f"Op schema: **{gesprek['op_schema']}**")
        for field, label in (("verslag", "Verslag"), ("wat_gaat_goed", "Wat gaat goed"),
                             ("wat_kan_beter", "Wat kan beter"), ("afspraken", "Afspraken")):
            if gesprek[field] is not None and pd.notna(gesprek[field]) and str(gesprek[field]).strip():
                st.markdown(f"*{label}*")
                st.text(gesprek[field])
        if not older.empty:
            with st.expander(f"Eerdere versies ({len(older)})"):
                for _, old in older.iterrows():
                    st.caption(f"Versie {old['version']} · {old['date']:%d-%m-%Y} · {literal(old['author'])}")
                    st.text(old["verslag"] or "")
        if on_correct is not None and gesprek["status"] == "vastgesteld":
            if st.button("Corrigeren", key=f"corrigeer_{gesprek['id']}", icon=":material/edit:"):
                on_correct(gesprek)


RAN, PENDING = "_opdrachten_uitgevoerd", "_opdracht_na_herverbinding"


def initial(key: str, value):
    """The value a widget opens on, given to the widget as its default: `value` the first time,
    None once its key holds a value. Never put in session state before the widget: a value put
    there wins over what the browser holds (a page that reconnected to another server process,
    with no session state yet, would show the default instead of what was on screen), and reaches
    the browser only once (a field drawn again then shows empty while the server holds it)."""
    return None if key in st.session_state else value


def initial_index(key: str, options: list, value) -> int:
    """`initial` for a selectbox: the index of `value` the first time, 0 (nothing said) after."""
    first = initial(key, value)
    return 0 if first is None else options.index(first)


def command_button(label: str, form: str, command: Callable[[], str], reset: dict[str, object] | None = None, *,
                   where=None, submit: bool = False, **options) -> None:
    """The button that saves a form: `run_command` as its callback, so the command runs before
    the page is drawn and the page shows its outcome. `submit` makes it the form's submit
    button; `where` is the container it stands in (a column).

    A click can reach a server process that never drew this button: the page reconnected to
    another process (one of two behind nginx stopped) or to a restarted one. Streamlit then
    reports the button as pressed but has no callback to call, so the click would do nothing
    and say nothing. Such a click is kept and the page run again: `run_pending_command` runs it
    then, before the page is drawn, exactly as the callback would have."""
    ident = options.get("key") or f"{form}|{label}"
    draw = (where or st).form_submit_button if submit else (where or st).button
    pressed = draw(label, on_click=_run_marked, args=(ident, form, command, reset), **options)
    ran = st.session_state.setdefault(RAN, set())
    if pressed and ident not in ran:
        st.session_state[PENDING] = (form, command, reset)
        st.rerun()
    ran.discard(ident)


def _run_marked(ident: str, form: str, command: Callable[[], str], reset: dict[str, object] | None) -> None:
    st.session_state.setdefault(RAN, set()).add(ident)
    run_command(form, command, reset)


def run_pending_command() -> None:
    """The click that came without its callback (`command_button`), run before the page."""
    pending = st.session_state.pop(PENDING, None)
    if pending is not None:
        run_command(*pending)


def run_command(form: str, command: Callable[[], str], reset: dict[str, object] | None = None) -> None:
    """A form's submit callback: run the command, keep its field errors or its confirmation in
    the session for the rerun. The widgets keep what was typed (their keys hold the values);
    after a success the widgets in `reset` (key → empty value) start empty again."""
    st.session_state.pop(f"{form}_fouten", None)
    try:
        st.session_state[f"{form}_klaar"] = command()
        for key, empty in (reset or {}).items():
            # Assigning (not deleting) is what makes a widget inside a form show the new value.
            st.session_state[key] = empty
    except ValidationError as err:
        st.session_state[f"{form}_fouten"] = err.fields
    except AccessDenied as err:
        st.session_state[f"{form}_fouten"] = {"_": str(err)}
    except Exception:
        # A fault of ours, not of the input: the traceback goes to the log, the user reads that
        # nothing was saved (every command is one transaction) and keeps what they typed.
        _log.exception("opslaan mislukt", extra={"formulier": form})
        st.session_state[f"{form}_fouten"] = {"_": SAVE_FAILED}
        if raise_errors():
            raise


def field_error(form: str, field: str) -> None:
    """The Dutch message for one field of a form, right under it, if the last submit had one."""
    message = st.session_state.get(f"{form}_fouten", {}).get(field)
    if message:  # a message may quote what was typed
        st.error(literal(message), icon=":material/error:")


def form_outcome(form: str) -> None:
    """The form's confirmation after a successful submit, or its error that belongs to no field."""
    field_error(form, "_")
    done = st.session_state.pop(f"{form}_klaar", None)
    if done:  # a confirmation may name a person or a site
        st.success(literal(done), icon=":material/check_circle:")


def form_token(form: str) -> str:
    """One submit token per form fill (session key `<form>_token`): a double click or a resubmit
    sends the same one, so the command saves once; clearing the key starts a new fill."""
    if not st.session_state.get(f"{form}_token"):
        st.session_state[f"{form}_token"] = uuid.uuid4().hex
    return st.session_state[f"{form}_token"]
