import streamlit as st

from dashboard.actions import change_user, link_user, new_password, new_user
from dashboard.context import current_filters, current_viewer
from dashboard.data import filter_options, stageplaats_options, users
from dashboard.tables import USERS_CONFIG, users_table
from dashboard.text import literal
from dashboard.widgets import command_button, field_error, form_outcome
from data_access.models import Role

st.title("Gebruikers")
viewer, filters = current_viewer(), current_filters()
everyone = users(viewer)
st.dataframe(users_table(everyone), hide_index=True, width="stretch", column_config=USERS_CONFIG)

# The new-user form has a name of its own: its button's callback reads it when clicked, after
# the other tab has named its form (a shared variable sent the new user's fields to that form).
NEW = "nieuwe_gebruiker"
nieuw, wijzigen = st.tabs(["Nieuwe gebruiker", "Gebruiker wijzigen"])
with nieuw:
    with st.form(NEW, enter_to_submit=False):
        st.text_input("Gebruikersnaam", key=f"{NEW}_username")
        field_error(NEW, "username")
        st.text_input("Naam", key=f"{NEW}_naam")
        field_error(NEW, "display_name")
        st.text_input("E-mail", key=f"{NEW}_email")
        field_error(NEW, "email")
        st.multiselect("Rollen", list(Role), format_func=lambda r: r.value, key=f"{NEW}_rollen", placeholder="Kies rollen")
        field_error(NEW, "roles")
        command_button("Aanmaken", NEW, lambda: new_user(
            viewer, st.session_state[f"{NEW}_username"], st.session_state[f"{NEW}_naam"],
            st.session_state[f"{NEW}_email"], st.session_state[f"{NEW}_rollen"]), type="primary", submit=True)
    form_outcome(NEW)

with wijzigen:
    names = dict(zip(everyone["user_id"], everyone["display_name"] + " (" + everyone["username"] + ")", strict=True))
    user_id = st.selectbox("Gebruiker", list(names), format_func=lambda u: literal(names[u]), key="gebruikers_keuze")
    row = everyone.set_index("user_id").loc[user_id]
    current_roles = [Role(r) for r in row["roles"].split(", ") if r]
    form = f"gebruiker_{user_id}"
    with st.form(form, enter_to_submit=False):
        st.multiselect("Rollen", list(Role), default=current_roles, format_func=lambda r: r.value, key=f"{form}_rollen",
                       placeholder="Kies rollen")
        field_error(form, "roles")
        st.toggle("Actief", value=bool(row["active"]), key=f"{form}_actief")
        command_button("Opslaan", form,
                       lambda: change_user(viewer, user_id, st.session_state[f"{form}_rollen"],
                                           st.session_state[f"{form}_actief"]),
                       type="primary", submit=True)
    command_button("Nieuw tijdelijk wachtwoord", form, lambda: new_password(viewer, user_id, row["username"]),
                   key=f"{form}_reset")
    form_outcome(form)
    if Role.STAGEBEGELEIDER in current_roles or Role.INSTITUUTSOPLEIDER in current_roles:
        links = f"koppel_{user_id}"
        with st.form(links, enter_to_submit=False):
            if Role.STAGEBEGELEIDER in current_roles:
                sites = stageplaats_options(viewer, None)
                site_names = dict(zip(sites["stageplaats_id"], sites["stageplaats"], strict=True))
                st.multiselect("Stageplaatsen van deze begeleider", list(site_names), format_func=site_names.get,
                               key=f"{links}_plaatsen", placeholder="Kies stageplaatsen")
            if Role.INSTITUUTSOPLEIDER in current_roles:
                cohorts = filter_options(viewer)
                cohort_names = dict(zip(cohorts["cohort_id"], cohorts["opleiding"] + " · " + cohorts["cohort"], strict=True))
                st.multiselect("Cohorten van deze opleider", list(cohort_names), format_func=cohort_names.get,
                               key=f"{links}_cohorten", placeholder="Kies cohorten")
            command_button("Koppelingen opslaan", links,
                           lambda: link_user(
                               viewer, user_id,
                               **({"stageplaats_ids": st.session_state[f"{links}_plaatsen"]}
                                  if f"{links}_plaatsen" in st.session_state else {}),
                               **({"cohort_ids": st.session_state[f"{links}_cohorten"]}
                                  if f"{links}_cohorten" in st.session_state else {})),
                           submit=True)
        field_error(links, "stageplaatsen")
        field_error(links, "cohorten")
        form_outcome(links)
