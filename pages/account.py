import streamlit as st

from dashboard.actions import save_reminder_preferences
from dashboard.auth import renew_session
from dashboard.context import current_viewer
from dashboard.data import reminder_preferences
from dashboard.resources import get_engine, get_settings
from dashboard.text import literal
from data_access.accounts import MIN_PASSWORD_LENGTH, change_password
from data_access.errors import ValidationError
from data_access.reminders import FREQUENCY_LABELS

st.title("Mijn account")
viewer = current_viewer()
st.markdown(f"Ingelogd als **{literal(viewer.display_name)}** ({viewer.role.value}).")
errors = st.session_state.pop("account_errors", {})

st.subheader("Wachtwoord wijzigen")
with st.form("account_wachtwoord", clear_on_submit=False):
    current = st.text_input("Huidig wachtwoord", type="password", key="account_huidig")
    if "current" in errors:
        st.error(errors["current"])
    new = st.text_input(
        "Nieuw wachtwoord", type="password", key="account_nieuw",
        help=f"Minstens {MIN_PASSWORD_LENGTH} tekens, met een letter en een cijfer; hoogstens 72 bytes.",
    )
    if "new" in errors:
        st.error(errors["new"])
    repeat = st.text_input("Herhaal nieuw wachtwoord", type="password", key="account_herhaal")
    if "repeat" in errors:
        st.error(errors["repeat"])
    submitted = st.form_submit_button("Wachtwoord wijzigen")

if submitted:
    try:
        version = change_password(get_engine(get_settings().db_url), viewer, current=current, new=new, repeat=repeat)
    except ValidationError as exc:
        st.session_state["account_errors"] = exc.fields
        st.rerun()
    else:
        renew_session(get_settings(), version)
        st.success("Uw wachtwoord is gewijzigd. Uw andere sessies zijn beëindigd.")

st.subheader("E-mailherinneringen")
preferences = reminder_preferences(viewer)
if preferences.empty:
    st.caption("Voor uw rol zijn er geen e-mailherinneringen.")
else:
    st.caption("Een herinnering noemt geen namen en geen beoordelingen: alleen hoeveel er voor u klaarstaat, "
               "met een link naar de pagina. U krijgt ze op het e-mailadres van uw account.")
    with st.form("account_herinneringen"):
        chosen = {
            row.kind: st.radio(row.omschrijving, list(FREQUENCY_LABELS), index=list(FREQUENCY_LABELS).index(row.frequentie),
                               format_func=FREQUENCY_LABELS.get, horizontal=True, key=f"account_herinnering_{row.kind}")
            for row in preferences.itertuples()
        }
        save = st.form_submit_button("Herinneringen opslaan")
    if save:
        st.success(save_reminder_preferences(viewer, chosen, dict(zip(preferences["kind"], preferences["frequentie"],
                                                                          strict=True))))
