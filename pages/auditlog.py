import datetime as dt

import streamlit as st

from dashboard.context import current_filters, current_viewer
from dashboard.data import audit, audit_files, audit_filter_choices, users
from dashboard.widgets import download_button

st.title("Auditlog")
viewer, filters = current_viewer(), current_filters()
entities, actions = audit_filter_choices(viewer)
people = sorted(users(viewer)["username"])
top = st.columns(4)
who = top[0].selectbox("Gebruiker", people, index=None, placeholder="Iedereen", key="audit_gebruiker")
entity = top[1].selectbox("Onderdeel", entities, index=None, placeholder="Alles", key="audit_onderdeel")
action = top[2].selectbox("Actie", actions, index=None, placeholder="Alle acties", key="audit_actie")
period = top[3].date_input("Periode", value=(filters.today - dt.timedelta(days=90), filters.today),
                           format="DD-MM-YYYY", key="audit_periode")
period = tuple(period) if isinstance(period, tuple | list) and len(period) == 2 else None
log = audit(viewer, username=who, entity=entity, action=action, period=period)
table = log.rename(columns={"at": "Tijdstip", "user": "Gebruiker", "action": "Actie", "entity": "Onderdeel",
                            "entity_id": "Id", "before": "Voor", "after": "Na"})
st.caption(f"{len(table)} regels (nieuwste eerst, hoogstens 5000).")
st.dataframe(table, hide_index=True, width="stretch")
left, right = st.columns(2)
csv, xlsx = audit_files(viewer, table, {"gebruiker": who, "onderdeel": entity, "actie": action, "periode": period})
download_button(left, "Download CSV", csv, "auditlog.csv", "text/csv", key="audit_csv")
download_button(right, "Download Excel", xlsx, "auditlog.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="audit_xlsx")
