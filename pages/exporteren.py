import streamlit as st

from dashboard.actions import database_export, personal_export, personal_files
from dashboard.context import current_filters, current_viewer
from dashboard.data import dossier_aios
from dashboard.text import literal
from dashboard.widgets import download_button

st.title("Exporteren")
viewer, filters = current_viewer(), current_filters()
st.subheader("De hele database")
st.caption("Eén Excelbestand met een tabblad per tabel. Wachtwoorden (ook versleuteld) en de beoordelingen van "
           "stageplaatsen door aios worden nooit geëxporteerd; het tabblad Toelichting zegt wat er niet in staat. "
           "Elke export komt in de auditlog.")
download_button(st, "Database exporteren (Excel)", lambda: database_export(viewer), "stagebegeleiding.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="export_alles")

st.subheader("Inzage voor één aios (AVG)")
st.caption("Alles wat over deze aios is vastgelegd, als Excel en als JSON; van beoordelingen van stageplaatsen "
           "alleen welke stage en wanneer, niet wat (die zijn vertrouwelijk). Geüploade bestanden (stageverslagen "
           "als PDF of Word) staan daarin met naam, grootte en datum (tabblad bestanden); de bestanden zelf staan "
           "in het ZIP-bestand, in de map bestanden. Elke export komt in de auditlog.")
choices = dossier_aios(viewer, filters)
names = dict(zip(choices["aios_id"], choices["aios_name"] + " (" + choices["aios_number"] + ")", strict=True))
aios_id = st.selectbox("Aios", list(names), format_func=lambda a: literal(names[a]), key="export_aios")
if aios_id is not None:
    left, middle, right = st.columns(3)
    download_button(left, "Inzage (Excel)", lambda: personal_export(viewer, aios_id)[0], f"inzage_{aios_id}.xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="export_inzage_xlsx")
    download_button(middle, "Inzage (JSON)", lambda: personal_export(viewer, aios_id)[1], f"inzage_{aios_id}.json",
                    "application/json", key="export_inzage_json")
    download_button(right, "Bestanden (ZIP)", lambda: personal_files(viewer, aios_id),
                    f"inzage_{aios_id}_bestanden.zip", "application/zip", key="export_inzage_bestanden")
