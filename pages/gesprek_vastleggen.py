import streamlit as st

from dashboard.context import current_filters, current_viewer
from dashboard.data import drafts, pending_kpbs, stage_progress
from dashboard.feedback_requests import answer_banner, answer_tab
from dashboard.gesprek_form import (
    drafts_list,
    feedback_form,
    gesprek_form,
    kpb_form,
    kpb_review_list,
    review_outcome,
)
from dashboard.text import literal
from data_access.cycle import next_gesprek_type
from data_access.models import Role

st.title("Gesprek vastleggen")
viewer, filters = current_viewer(), current_filters()
today = filters.today

review_outcome()
waiting, kpbs = drafts(viewer), pending_kpbs(viewer)
SHOWN = 10  # an opleider may have many waiting; the ten that waited longest come first
if not waiting.empty or not kpbs.empty:
    label = "Wacht op uw vaststelling" if viewer.role is not Role.AIOS else "Uw concepten"
    total = len(waiting) + len(kpbs)
    with st.expander(f"{label} ({total})", expanded=total <= SHOWN):
        for what, frame in (("verslagen", waiting), ("KPB's", kpbs)):
            if len(frame) > SHOWN:
                st.caption(f"De {SHOWN} {what} die het langst wachten; nog {len(frame) - SHOWN} andere.")
        drafts_list(viewer, waiting.head(SHOWN))
        kpb_review_list(viewer, kpbs.head(SHOWN))

stages = stage_progress(viewer, filters)
if stages.empty:
    st.info("Er is geen lopende stage om een gesprek bij vast te leggen.")
    st.stop()
labels = {int(r.stage_id): f"{r.aios_name} · {r.stageplaats}" for r in stages.itertuples()}
if st.session_state.get("gv_stage") not in labels:  # e.g. a correction of an ended stage
    if st.session_state.pop("gv_stage", None) is not None and st.session_state.pop("gv_replaces", None):
        st.warning("Dat gesprek hoort bij een stage die niet loopt; hier kunt u gesprekken van lopende stages "
                   "vastleggen en corrigeren.")
if len(labels) > 1:  # one aios (or one's own stage): nothing to choose
    stage_id = st.selectbox("Aios", list(labels), format_func=lambda s: literal(labels[s]), key="gv_stage")
else:
    stage_id = next(iter(labels))
    st.markdown(f"**{literal(labels[stage_id])}**")
stage = stages.set_index("stage_id").loc[stage_id].copy()
stage["stage_id"] = stage_id

answer_banner(viewer, stage_id, today)
gesprek, kpb, feedback = st.tabs(["Gesprek", "KPB", "Feedbackmoment"], default=answer_tab(stage_id))
with gesprek:
    gesprek_form(viewer, stage, next_gesprek_type(stage, today), today)
with kpb:
    kpb_form(viewer, stage, today)
with feedback:
    feedback_form(viewer, stage, today)
