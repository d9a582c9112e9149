import streamlit as st

from dashboard.charts import rating_distribution_chart, rating_trend_chart
from dashboard.context import current_filters, current_viewer
from dashboard.data import (
    decisions,
    rating_distribution,
    stageplaats_comments,
    stageplaats_overview,
)
from dashboard.exports import to_csv_bytes, to_xlsx_bytes
from dashboard.meetings import response_section, site_comparison, thin_rating_flags
from dashboard.layout import lazy_tabs, wide_only
from dashboard.resources import anonymity_threshold
from dashboard.tables import SITES_CONFIG, sites_export, sites_table
from dashboard.text import literal
from dashboard.widgets import download_button
from data_access.flags import select_sites

st.title("Stageplaatsen")
viewer, filters = current_viewer(), current_filters()
threshold = anonymity_threshold()
this_year = filters.today.year
top = st.columns([2, 2, 2, 2])
year = top[3].selectbox("Jaar van vrijgave", ["Alle jaren", *range(this_year, this_year - 8, -1)],
                        key="stageplaatsen_jaar")
overview, trend = stageplaats_overview(viewer, filters, None if year == "Alle jaren" else year)
types = top[0].multiselect("Type", sorted(overview["discipline"].unique()), key="stageplaatsen_type",
                           placeholder="Alle typen")
regions = top[1].multiselect("Regio", sorted(overview["region"].unique()), key="stageplaatsen_regio",
                             placeholder="Alle regio's")
only_flagged = top[2].toggle("Alleen met signaal", key="stageplaatsen_signaal")
shown = select_sites(overview, types, regions, only_flagged)
st.caption(f"Gemiddelde beoordeling door aios (1–5) met 95%-interval, alleen vanaf {threshold} beoordelingen, "
           f"zodat geen enkele beoordeling herleidbaar is. Nieuwe beoordelingen tellen mee per groep van minstens "
           f"{threshold} (vrijgave); het jaar is het jaar van vrijgave. Slechtste eerst.")

cols = st.columns(4)
cols[0].metric("Stageplaatsen", len(shown))
cols[1].metric("Met signaal", int((shown["flag_count"] > 0).sum()))
cols[2].metric("In remediëring", int((shown["status"] == "in remediëring").sum()))
cols[3].metric("Te weinig beoordelingen", int((~shown["enough"]).sum()), help=f"Minder dan {threshold} beoordelingen")

overzicht, vergelijken, respons = lazy_tabs(["Overzicht", "Vergelijken", "Respons"])
if overzicht.open:
    with overzicht:
        st.caption("Kies een rij voor de verdeling, de trend, de opmerkingen en de besluiten.")
        picked = st.dataframe(sites_table(shown), hide_index=True, width="stretch", column_config=SITES_CONFIG, on_select="rerun",
                              selection_mode="single-row", key="stageplaatsen_tabel")
        left, right = st.columns(2)  # the files are made on the click: an Excel file of every site takes ~1 s
        download_button(left, "Download CSV", lambda: to_csv_bytes(sites_export(shown, threshold)), "stageplaatsen.csv",
                        "text/csv", key="stageplaatsen_csv")
        download_button(right, "Download Excel", lambda: to_xlsx_bytes(sites_export(shown, threshold), "Stageplaatsen"),
                        "stageplaatsen.xlsx",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="stageplaatsen_xlsx")
        if picked.selection.rows:
            site = shown.iloc[picked.selection.rows[0]]
            site_id = int(site["stageplaats_id"])
            st.subheader(literal(site["stageplaats"]))
            if site["flags"]:
                st.warning("\n".join(f"- {f}" for f in site["flags"]), icon=":material/flag:")
            if site["pending"]:
                st.caption(f"{site['pending']} nieuwe beoordeling(en) wachten op vrijgave: de cijfers veranderen pas "
                           f"als er minstens {threshold} nieuwe beoordelingen zijn.")
            if not site["enough"]:
                st.info(f"Te weinig beoordelingen (n={site['n']}): geen gemiddelden, verdeling, trend of opmerkingen.")
            else:
                left, right = st.columns(2)
                left.altair_chart(rating_distribution_chart(rating_distribution(viewer, (site_id,))), width="stretch", theme=None)
                right.altair_chart(rating_trend_chart(trend[trend["stageplaats_id"] == site_id]), width="stretch", theme=None)
                st.markdown("**Opmerkingen van aios** (zonder naam of datum, op alfabet)")
                for comment in stageplaats_comments(viewer, site_id):
                    st.text(comment)
            history = decisions(viewer, (site_id,))
            st.markdown("**Besluiten van de stagecommissie**")
            if history.empty:
                st.caption("Nog geen besluiten.")
            for r in history.itertuples():
                follow = f" · opvolgen op {r.follow_up_date:%d-%m-%Y}" if r.follow_up_date else ""
                st.markdown(f"{r.date:%d-%m-%Y} · **{r.decision}** · {literal(r.decided_by)}{follow}")
                st.text(r.rationale)
if vergelijken.open:
    with vergelijken:
        names = dict(zip(shown["stageplaats_id"], shown["stageplaats"], strict=True))
        # No max_selections: Streamlit would say so in English; we say it in Dutch and show six.
        chosen = st.multiselect("Kies 2 tot 6 stageplaatsen", list(names), format_func=names.get,
                                key="stageplaatsen_vergelijk", placeholder="Kies stageplaatsen")
        if len(chosen) > 6:
            st.warning("Kies hoogstens zes stageplaatsen; de eerste zes staan hieronder.")
            chosen = chosen[:6]
        if len(chosen) < 2:
            st.info("Kies minstens twee stageplaatsen om ze naast elkaar te zien.")
        else:
            sites = shown.set_index("stageplaats_id").loc[chosen].reset_index()
            with wide_only("vergelijken"):  # on a phone the table below is the comparison
                site_comparison(sites)
            st.dataframe(sites_table(sites), hide_index=True, width="stretch", column_config=SITES_CONFIG)
if respons.open:
    with respons:
        response_section(viewer, filters, thin_rating_flags(viewer, filters))
