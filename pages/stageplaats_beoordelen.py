import streamlit as st

from dashboard.actions import rate
from dashboard.context import current_filters, current_viewer
from dashboard.data import instrument_items, rateable_stages
from dashboard.resources import anonymity_threshold
from dashboard.text import literal
from dashboard.widgets import choose_rating_stage, command_button, field_error, form_outcome
from data_access.commands import RatingInput

SCORES = [1, 2, 3, 4, 5]
SCALE_HELP = "1 = slecht, 5 = uitstekend"
QUESTIONS = {
    "leermogelijkheden": "Waren er genoeg relevante leermogelijkheden?",
    "leerklimaat": "Was het leerklimaat positief?",
    "begeleiding": "Hoe goed was de begeleiding (bijvoorbeeld genoeg feedback)?",
}

st.title("Stageplaats beoordelen")
viewer, filters = current_viewer(), current_filters()
threshold = anonymity_threshold()
st.caption("Uw beoordeling is vertrouwelijk: anderen zien alleen gemiddelden van meerdere aios, nooit uw "
           "beoordeling of uw naam. Beoordelingen worden per groep vrijgegeven: de cijfers van een stageplaats "
           f"veranderen pas als er minstens {threshold} nieuwe beoordelingen zijn. Tot de vrijgave kunt u uw "
           "beoordeling wijzigen; daarna staat zij vast.")
stages = rateable_stages(viewer, filters.today)
if stages.empty:
    st.info("U heeft nog geen afgeronde stage om te beoordelen.")
    st.stop()

labels = {
    int(r.stage_id): f"{r.stageplaats}, {r.start_date:%d-%m-%Y} t/m {r.end_date:%d-%m-%Y}"
    + (" (beoordeeld)" if r.rated else " (nog niet beoordeeld)")
    for r in stages.itertuples()
}
stage_id = choose_rating_stage(stages, labels)
stage = stages.set_index("stage_id").loc[stage_id]
form = f"beoordeling_{stage_id}"
rated = bool(stage["rated"])

if rated and not stage["editable"]:
    st.info("Deze beoordeling is vrijgegeven en telt mee in de cijfers van de stageplaats; zij staat vast."
            if stage["released"] else "Deze beoordeling is besproken in de stagecommissie en staat vast.")
    for field, question in QUESTIONS.items():
        st.markdown(f"{question} **{int(stage[field])}**")
    if stage["comment"]:
        st.text(stage["comment"])
    st.stop()

if rated:
    st.info(f"Uw beoordeling telt mee vanaf de volgende vrijgave: zodra er minstens {threshold} nieuwe "
            "beoordelingen van deze stageplaats zijn. Tot dan kunt u haar nog wijzigen.")
items = instrument_items(viewer, int(stage["rating_id"]) if rated else None) if stage["uses_instrument"] else None
with st.form(form, border=True):
    st.caption(f"Stap 1: drie vragen ({SCALE_HELP})")
    for field, question in QUESTIONS.items():
        default = SCORES.index(int(stage[field])) if rated else None
        st.radio(question, SCORES, index=default, horizontal=True, key=f"{form}_{field}")
        field_error(form, field)
    st.text_area("Toelichting (optioneel; wordt alleen getoond bij genoeg beoordelingen, zonder naam of datum)",
                 value=stage["comment"] or "" if rated else "", max_chars=2000, key=f"{form}_comment")
    field_error(form, "comment")
    if items is not None:
        step_two = st.expander("Stap 2: vragen over het leerklimaat (1 = helemaal oneens, 5 = helemaal eens)",
                               expanded=bool(st.session_state.get(f"{form}_fouten")))
        field_error(form, "items")
        for item in items.itertuples():
            default = SCORES.index(int(item.score)) if item.answered else None
            step_two.radio(f"{item.number}. {literal(item.text)}", SCORES, index=default, horizontal=True,
                           key=f"{form}_item_{item.item_id}")
            with step_two:
                field_error(form, f"item_{item.item_id}")
    field_error(form, "stage")
    command_button("Beoordeling opslaan", form,
                   lambda: rate(viewer, stage_id, stage["stageplaats"], RatingInput(
                       **{field: st.session_state[f"{form}_{field}"] for field in QUESTIONS},
                       comment=st.session_state[f"{form}_comment"],
                       items=tuple((int(i), st.session_state[f"{form}_item_{i}"])
                                   for i in (items["item_id"] if items is not None else []))), filters.today),
                   type="primary", submit=True)
form_outcome(form)
