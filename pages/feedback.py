import streamlit as st

from dashboard.charts import feedback_heatmap, feedback_rate_chart, feedback_trend_chart, feedback_trend_points
from dashboard.context import current_filters, current_viewer
from dashboard.data import (
    feedback_breakdown,
    feedback_frequency,
    feedback_grid,
    feedback_moments,
    feedback_trend,
    stage_progress,
)
from dashboard.feedback_requests import request_response_tab
from dashboard.guidance import groups_note
from dashboard.layout import lazy_tabs, phone_only, wide_only
from dashboard.resources import anonymity_threshold, get_settings
from dashboard.tables import (
    FEEDBACK_BREAKDOWN_CONFIG,
    FEEDBACK_FREQUENCY_CONFIG,
    FEEDBACK_GRID_CONFIG,
    FEEDBACK_MOMENTS_CONFIG,
    by_lowest_feedback,
    feedback_breakdown_table,
    feedback_frequency_table,
    feedback_grid_table,
    feedback_moments_table,
)
from dashboard.text import literal
from data_access.flags import lowest_feedback, select_flagged
from data_access.models import Role

st.title("Feedback")
viewer, filters = current_viewer(), current_filters()
settings = get_settings()
individual = viewer.role is not Role.STAGECOMMISSIE  # the committee judges sites, not persons
sites = feedback_frequency(viewer, filters, "stageplaats")
lowest = lowest_feedback(sites, settings.feedback_min_aios_weeks)

cols = st.columns(3)
if individual:
    progress = stage_progress(viewer, filters)
    for col, kind, label in (
        (cols[0], "feedback", f"Aios zonder feedback in {settings.flags.days_without_feedback} dagen"),
        (cols[1], "begeleidingsgesprekken", "Wekelijks begeleidingsgesprek gemist"),
    ):
        flagged = select_flagged(progress, (kind,))
        col.metric(label, len(flagged), help="Lopende stages met dit signaal")
        if not flagged.empty:
            with col.expander("Wie"):
                st.markdown("\n".join(f"- {literal(r.aios_name)}: {r.flags[kind]}" for r in flagged.itertuples()))
cols[2].metric("Stageplaatsen met de minste feedback", len(lowest),
               help=f"De laagste vijf per aios-week, vanaf {settings.feedback_min_aios_weeks} aios-weken")
if not lowest.empty:
    with cols[2].expander("Welke"):
        st.markdown("\n".join(f"- {literal(r.name)}: {r.reason}" for r in lowest.itertuples()))

# A tab the viewer may not see is not there at all; the page opens on the first they may see. The
# committee sees no aios one by one, and a begeleider or a cohort (the trend) cuts the cells its
# figures are made of (data_access.disclosure): those tabs could only be empty for it.
NAMES = ["Per aios", "Per stageplaats", "Per begeleider", "Trend", "Feedbackvragen"]
shown_names = NAMES if individual else ["Per stageplaats", "Feedbackvragen"]
tab_of = dict(zip(shown_names, lazy_tabs(shown_names), strict=True))
per_aios, per_site, per_begeleider, trend, asked = (tab_of.get(name) for name in NAMES)
if individual and per_aios.open:
    with per_aios:
        grid = feedback_grid(viewer, filters)
        if grid.empty:
            st.info("Geen lopende stages in deze selectie.")
        else:
            phone_only("feedback").dataframe(feedback_grid_table(grid), hide_index=True, width="stretch",
                                             column_config=FEEDBACK_GRID_CONFIG)
            event = wide_only("feedback").altair_chart(feedback_heatmap(grid), width="stretch", theme=None,
                                                       on_select="rerun", key="feedback_heatmap")
            chosen = event.selection.get("cel") if event else None
            if chosen:
                cell = chosen[0]
                moments = feedback_moments(viewer, filters.today, stage_id=int(cell["stage_id"]), week=int(cell["week"]))
                name = grid.loc[grid["stage_id"] == int(cell["stage_id"]), "aios_name"].iloc[0]
                st.markdown(f"**{literal(name)}, week {int(cell['week'])}**: {len(moments)} momenten")
                st.dataframe(feedback_moments_table(moments), hide_index=True, width="stretch",
                             column_config=FEEDBACK_MOMENTS_CONFIG)
            else:  # the heatmap's cells: a phone shows the table instead, with nothing to choose
                wide_only("feedback_uitleg").caption("Kies een vak om de momenten erachter te zien.")
for tab, by, what in ((per_site, "stageplaats", "Stageplaats"), (per_begeleider, "begeleider", "Begeleider")):
    if tab is None or not tab.open:
        continue
    with tab:
        frequency = sites if by == "stageplaats" else feedback_frequency(viewer, filters, by)
        if frequency.empty:
            st.info("Geen stages in deze selectie.")
            continue
        # On a phone the names would leave no room for the bars: the table below (on every
        # screen, lowest first as the chart) is the comparison there.
        wide_only(f"feedback_{by}").altair_chart(
            feedback_rate_chart(lowest_feedback(frequency, settings.feedback_min_aios_weeks, 20), what.lower()),
            width="stretch", theme=None)
        ordered = by_lowest_feedback(frequency)
        table = feedback_frequency_table(ordered, what, settings.feedback_min_aios_weeks)
        st.caption("Kies een rij om de momenten erachter te zien (nieuwste eerst, hoogstens 200)." if individual else
                   "Kies een rij voor de aantallen per deel van de stage. " + groups_note(anonymity_threshold(), viewer.role is Role.STAGECOMMISSIE))
        picked = st.dataframe(table, hide_index=True, width="stretch", column_config=FEEDBACK_FREQUENCY_CONFIG,
                              on_select="rerun", selection_mode="single-row", key=f"feedback_{by}_tabel")
        if picked.selection.rows:
            row = ordered.iloc[picked.selection.rows[0]]
            drill = {"stageplaats_id" if by == "stageplaats" else "begeleider_id": int(row["group_id"])}
            if individual:
                moments = feedback_moments(viewer, filters.today, cohort_ids=filters.cohort_ids or None, **drill)
                st.markdown(f"**{literal(row['name'])}**: {len(moments)} momenten")
                st.dataframe(feedback_moments_table(moments), hide_index=True, width="stretch",
                             column_config=FEEDBACK_MOMENTS_CONFIG)
            else:
                counts = feedback_breakdown(viewer, filters.today, cohort_ids=filters.cohort_ids or None, **drill)
                if counts.empty:
                    st.info(f"**{literal(row['name'])}**: te weinig aios (n={row['aios']}) om aantallen te tonen.")
                else:
                    st.markdown(f"**{literal(row['name'])}**: aantallen van {row['aios']} aios, zonder losse momenten")
                    st.dataframe(feedback_breakdown_table(counts), hide_index=True, width="stretch",
                                 column_config=FEEDBACK_BREAKDOWN_CONFIG)
if asked.open:
    with asked:
        request_response_tab(viewer, filters)
if trend is not None and trend.open:
    with trend:
        weeks = feedback_trend(viewer, filters)
        if feedback_trend_points(weeks, settings.feedback_min_aios_weeks).empty:
            st.info(f"Geen week met minstens {settings.feedback_min_aios_weeks} aios-weken in deze selectie: "
                    "te weinig om een trend te tonen.")
        else:
            st.altair_chart(feedback_trend_chart(weeks, settings.feedback_min_aios_weeks), width="stretch", theme=None)
