import streamlit as st

from dashboard.charts import (
    assessment_chart,
    epa_distribution_chart,
    epa_levels_chart,
    stage_timeline_chart,
)
from dashboard.context import current_filters, current_viewer
from dashboard.data import aios_stages, aios_summary, dossier_aios, stage_dossier
from dashboard.dossier_actions import dossier_actions
from dashboard.gesprek_form import correct
from dashboard.stageplan import stageplan_section
from dashboard.stages import stageplan_origin
from dashboard.stageverslag import dossier_stageverslag
from dashboard.tables import (
    EPA_CONFIG,
    FEEDBACK_REQUESTS_CONFIG,
    SELF_VS_BEGELEIDER_CONFIG,
    epa_table,
    feedback_requests_table,
    self_vs_begeleider_table,
)
from dashboard.text import literal
from dashboard.dossier_choice import attention_aios, current_stage
from dashboard.layout import lazy_tabs, wide_only
from dashboard.widgets import choose_from_url, download_button, verslag_card
from data_access.cycle import rhythm_text
from data_access.permissions import Action, may

st.title("Aiosdossier")
viewer, filters = current_viewer(), current_filters()
today = filters.today

choices = dossier_aios(viewer, filters)
if choices.empty:
    st.info("Er is geen aios waarvan u het dossier kunt openen.")
    st.stop()
labels = dict(zip(choices["aios_id"], choices["aios_name"] + " (" + choices["cohort"] + ")", strict=True))
aios_id = choose_from_url("Aios", "aios", list(labels), labels, attention_aios(viewer, filters, list(labels)))
if aios_id is None:
    st.stop()

stages = aios_stages(viewer, aios_id)
head = stages.iloc[0]
st.subheader(literal(head["aios_name"]))
st.caption(literal(f"{head['opleiding']} · {head['cohort']} · aiosnummer {head['aios_number']}"))
stage_labels = {
    int(r.stage_id): f"{r.stageplaats}, {r.start_date:%d-%m-%Y} t/m {r.end_date:%d-%m-%Y} ({r.status})"
    for r in stages.itertuples()
}
stage_id = choose_from_url("Stage", "stage", list(stage_labels), stage_labels, current_stage(stages, today))
if stage_id is None:
    st.stop()
stage = stages.set_index("stage_id").loc[stage_id]
dossier = stage_dossier(viewer, stage_id, today)
row = dossier.progress.iloc[0]

st.markdown(f"**{literal(stage['stageplaats'])}** · begeleiding: {literal(stage['begeleiders'] or '—')} · "
            f"week {row['week']} van {row['weeks_total']}")
cols = st.columns(4)
cols[0].metric("Begeleidingsgesprekken", f"{row['n_begeleidingsgesprek']} van {row['expected_begeleidingsgesprek']}",
               help=f"Gedaan van verwacht tot vandaag ({rhythm_text(int(row['gesprek_interval_weeks']))})")
cols[1].metric("KPB's", f"{row['kpb_done']} van {row['expected_kpb']}", help=f"Doel voor de hele stage: {row['kpb_target']}")
cols[2].metric("Leerdoelen behaald", f"{row['leerdoelen_behaald']} van {row['leerdoelen_total']}")
cols[3].metric("Signalen", row["flag_count"])
if row["flags"]:
    st.warning("\n".join(f"- {sentence}" for sentence in row["flags"].values()), icon=":material/flag:")
download_button(st, "Samenvatting (PDF)", aios_summary(viewer, stage_id, today), f"voortgang_{head['aios_number']}.pdf",
                "application/pdf", icon=":material/picture_as_pdf:", key="aios_pdf")
dossier_actions(viewer, aios_id, head["aios_name"], stage_id, row["flags"], today)

tijdlijn, stageplan, beoordeling, verslagen = lazy_tabs(["Tijdlijn", "Stageplan", "Beoordeling", "Verslagen"])
if tijdlijn.open:
    with tijdlijn:
        st.altair_chart(
            stage_timeline_chart(dossier.slots, dossier.kpbs, dossier.feedback, row["start_date"], row["end_date"], today),
            width="stretch", theme=None,
        )
        st.caption("Gesprekken staan op de dag dat ze gehouden zijn, of anders op de dag dat ze uiterlijk verwacht werden.")
if stageplan.open:
    with stageplan:
        # The plan's approval is in its own section, the verslag's state in the stageverslag's: once each.
        dossier_stageverslag(viewer, stage_id, today)
        stageplan_origin(viewer, stage_id)
        stageplan_section(viewer, today, stage_id)  # leerdoelen, approval, history, praktijkopdrachten
        st.markdown("**KPB's en EPA's**")
        st.progress(min(row["kpb_done"] / row["kpb_target"], 1.0) if row["kpb_target"] else 0.0,
                    text=f"{row['kpb_done']} van {row['kpb_target']} KPB's (richtlijn voor de hele stage)")
        st.dataframe(epa_table(dossier.epa_targets), hide_index=True, width="stretch", column_config=EPA_CONFIG)
if beoordeling.open:
    with beoordeling:
        if dossier.scores.empty:
            st.info("Nog geen rubricbeoordeling in deze stage.")
        else:
            wide_only("rubric").altair_chart(assessment_chart(dossier.scores), width="stretch", theme=None)
            st.markdown("**Zelfbeoordeling naast begeleider** (laatste per moment; verschil in niveaus)")
            st.dataframe(self_vs_begeleider_table(dossier.scores), hide_index=True, width="stretch",
                         column_config=SELF_VS_BEGELEIDER_CONFIG)
        if not dossier.kpbs.empty or not dossier.epa_targets.empty:
            st.altair_chart(epa_levels_chart(dossier.kpbs, dossier.epa_targets), width="stretch", theme=None)
            st.altair_chart(epa_distribution_chart(dossier.kpbs, dossier.epa_targets), width="stretch", theme=None)
if verslagen.open:
    with verslagen:
        current = dossier.gesprekken[dossier.gesprekken["current"]]
        if current.empty:
            st.info("Nog geen gesprekken vastgelegd.")
        elif len(current) > 5 and not st.toggle(f"Alle {len(current)} verslagen tonen", key="aios_alle_verslagen"):
            current = current.head(5)
        for _, gesprek in current.iterrows():
            older = dossier.gesprekken[(dossier.gesprekken["original_id"] == gesprek["original_id"])
                                       & ~dossier.gesprekken["current"]]
            verslag_card(gesprek, older, correct if may(viewer, Action.GESPREK_LOG) else None)
        st.markdown("**Waar de aios feedback op vroeg**")
        st.dataframe(feedback_requests_table(dossier.feedback), hide_index=True, width="stretch",
                     column_config=FEEDBACK_REQUESTS_CONFIG)
