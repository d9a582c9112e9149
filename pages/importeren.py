import streamlit as st

from dashboard.actions import dry_run, import_file
from dashboard.context import current_viewer
from dashboard.text import literal
from dashboard.widgets import download_button
from data_access.importer import KINDS, UnreadableFile, read_table, template_file

st.title("Importeren")
viewer = current_viewer()
st.caption("CSV (komma, puntkomma of tab; UTF-8, UTF-16 of Windows-1252), Excel's Unicode-tekst (.txt) of een "
           "Excel-werkmap (.xlsx). Data als dd-mm-jjjj, d-m-jjjj of jjjj-mm-dd; decimalen met komma of punt. Eerst een "
           "proefimport: er wordt niets opgeslagen tot u op Importeren klikt, en dan alles of niets. Opnieuw hetzelfde "
           "bestand importeren verandert niets.")
kind = st.selectbox("Wat importeert u?", list(KINDS), format_func=lambda k: KINDS[k].label, key="import_soort")
left, right = st.columns(2)
download_button(left, "Sjabloon (Excel)", template_file(kind, "xlsx"), f"sjabloon_{kind}.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="import_sjabloon_xlsx")
download_button(right, "Sjabloon (CSV)", template_file(kind, "csv"), f"sjabloon_{kind}.csv", "text/csv",
                key="import_sjabloon_csv")
st.caption("Kolommen: " + ", ".join(c.rstrip("*") + (" (verplicht)" if c.endswith("*") else "") for c in KINDS[kind].columns)
           + ". Het Excel-sjabloon heeft een blad 'toelichting' per kolom.")

upload = st.file_uploader("Bestand", type=["csv", "xlsx", "txt", "xls"], key="import_bestand")
if upload is None:
    st.stop()
try:
    frame = read_table(upload.getvalue(), upload.name, KINDS[kind].required)
except UnreadableFile as err:
    st.error(literal(str(err)))
    st.stop()

plan = dry_run(viewer, kind, frame)
counts = plan.counts
cols = st.columns(4)
cols[0].metric("Nieuw", counts["nieuw"])
cols[1].metric("Bijgewerkt", counts["bijgewerkt"])
cols[2].metric("Ongewijzigd", counts["ongewijzigd"])
cols[3].metric("Fouten", len(plan.problems))
if plan.ignored:
    st.info(literal("Genegeerd (onbekende kolommen): " + ", ".join(f"'{c}'" for c in plan.ignored)))
if plan.problems:
    st.error(plan.summary() + " Verbeter de fouten en upload opnieuw.")
    st.dataframe([{"Rij": p.row or "", "Kolom": p.column, "Melding": p.message} for p in plan.problems],
                 hide_index=True, width="stretch")
with st.expander("Per rij", expanded=not plan.problems and len(frame) <= 50):
    st.dataframe(plan.report(), hide_index=True, width="stretch")
if not plan.problems:
    if not plan.writes:
        st.success(plan.summary())
    else:
        st.info(plan.summary())
        if st.button(f"Importeren ({counts['nieuw']} nieuw, {counts['bijgewerkt']} bijgewerkt)", type="primary",
                     key="import_doen"):
            bar = st.progress(0.0, text="Bezig met importeren…")
            done = import_file(viewer, kind, frame, upload.name, lambda share: bar.progress(share, text="Bezig met importeren…"))
            if done.problems:  # the data changed between the proefimport and now, or the database refused
                st.error(literal(done.summary(done=True) + " " + "; ".join(
                    f"rij {p.row}: {p.message}" if p.row else p.message for p in done.problems[:5])))
            else:
                st.success(done.summary(done=True))
