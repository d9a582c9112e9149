"""Small shared page pieces."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard.navigation import open_dossier
from dashboard.text import literal
from data_access.errors import AccessDenied, ValidationError
from data_access.flags import due_next
from data_access.logs import get_logger, raise_errors

_log = get_logger("formulier")
SAVE_FAILED = ("Opslaan is mislukt door een fout in de toepassing; er is niets opgeslagen. Probeer het later "
               "opnieuw; de beheerder vindt de fout in het log.")


def coming_soon(what: str) -> None:
    """An honest placeholder: the page exists in the navigation, its content is not built yet."""
    st.info(f"Deze pagina is nog in aanbouw: {what}", icon="🚧")


def stage_cards(progress: pd.DataFrame, today: dt.date, *, show_name: bool) -> None:
    """One compact card per stage, readable on a phone: what is due next on top, then the
    flags in words, then the counts that matter."""
    for _, row in progress.iterrows():
        with st.container(border=True):
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
            if st.button("Dossier openen", key=f"dossier_{row['stage_id']}", icon=":material/person_search:"):
                open_dossier(int(row["aios_id"]), int(row["stage_id"]))


def _query_int(name: str) -> int | None:
    value = st.query_params.get(name)
    return int(value) if value is not None and value.isdigit() else None


def choose_from_url(label: str, param: str, options: list[int], labels: dict[int, str], default: int) -> int:
    """A selectbox whose choice lives in the URL (?param=id), so a link opens the same choice.

    An id in the URL that is not among the options (not visible to this viewer, or outside
    the filters) is not shown; the page says so and falls back to the default."""
    wanted = _query_int(param)
    if wanted is not None and wanted not in options:
        st.warning("Het gevraagde dossier is niet beschikbaar: u heeft er geen toegang toe of het valt buiten de filters.")
    chosen = wanted if wanted in options else default
    if len(options) > 1:
        chosen = st.selectbox(label, options, index=options.index(chosen), format_func=lambda o: literal(labels[o]))
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

