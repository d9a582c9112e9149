import streamlit as st

from dashboard.actions import dry_run, import_file
from dashboard.context import current_viewer
from dashboard.exports import to_csv_bytes, to_xlsx_bytes
from dashboard.text import literal
from data_access.importer import KINDS, UnreadableFile, read_table, template

LABELS = {"aios": "Aios", "stageplaatsen": "Stageplaatsen", "begeleiders": "Begeleiders", "stages": "Stages",
          "beoordelingen": "Beoordelingen van stageplaatsen", "rubricscores": "Rubricscores (historisch)"}

st.title("Importeren")
viewer = current_viewer()
st.caption("CSV (komma of puntkomma, UTF-8 of Windows-1252) of Excel. Data als dd-mm-jjjj, d-m-jjjj of jjjj-mm-dd; "
           "decimalen met komma of punt. Eerst een proefimport: er wordt niets opgeslagen tot u op Importeren klikt, "
           "en dan alles of niets. Opnieuw hetzelfde bestand importeren verandert niets.")
kind = st.selectbox("Wat importeert u?", list(KINDS), format_func=LABELS.get, key="import_soort")
example = template(kind)
left, right = st.columns(2)
left.download_button("Sjabloon (Excel)", to_xlsx_bytes(example, LABELS[kind]), f"sjabloon_{kind}.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="import_sjabloon_xlsx")
right.download_button("Sjabloon (CSV)", to_csv_bytes(example), f"sjabloon_{kind}.csv", "text/csv", key="import_sjabloon_csv")
st.caption("Kolommen: " + ", ".join(c.rstrip("*") + (" (verplicht)" if c.endswith("*") else "") for c in KINDS[kind]))

upload = st.file_uploader("Bestand", type=["csv", "xlsx", "txt"], key="import_bestand")
if upload is None:
    st.stop()
try:
    frame = read_table(upload.getvalue(), upload.name)
except UnreadableFile as err:
    st.error(literal(str(err)))
    st.stop()

plan = dry_run(kind, frame)
counts = plan.counts
cols = st.columns(4)
cols[0].metric("Nieuw", counts["nieuw"])
cols[1].metric("Bijgewerkt", counts["bijgewerkt"])
cols[2].metric("Ongewijzigd", counts["ongewijzigd"])
cols[3].metric("Fouten", len(plan.problems))
if plan.problems:
    st.error(f"Het bestand heeft {len(plan.problems)} fout(en); er is niets geïmporteerd. Verbeter ze en upload opnieuw.")
    st.dataframe([{"Rij": p.row, "Kolom": p.column, "Melding": p.message} for p in plan.problems],
                 hide_index=True, width="stretch")
with st.expander("Per rij", expanded=not plan.problems and len(frame) <= 50):
    st.dataframe(plan.report(), hide_index=True, width="stretch")
if not plan.problems:
    if not plan.writes:
        st.success("Alles is al bijgewerkt: er valt niets te importeren.")
    elif st.button(f"Importeren ({counts['nieuw']} nieuw, {counts['bijgewerkt']} bijgewerkt)", type="primary",
                   key="import_doen"):
        bar = st.progress(0.0, text="Bezig met importeren…")
        done = import_file(viewer, kind, frame, upload.name, lambda share: bar.progress(share, text="Bezig met importeren…"))
        if done.problems:  # the data changed between the proefimport and now
            st.error(literal("Het importeren is afgebroken: " + "; ".join(f"rij {p.row}: {p.message}" for p in done.problems[:5])))
        else:
            st.success(f"Geïmporteerd: {done.counts['nieuw']} nieuw, {done.counts['bijgewerkt']} bijgewerkt.")
