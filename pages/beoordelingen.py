import datetime as dt

import streamlit as st

from dashboard.charts import (
    calibration_chart,
    group_comparison_chart,
    rubric_distribution_chart,
    self_vs_begeleider_chart,
)
from dashboard.context import current_filters, current_viewer
from dashboard.data import (
    filter_options,
    rater_calibration,
    rubric_distribution,
    rubrics,
    self_vs_begeleider,
    stageplaats_options,
)
from dashboard.guidance import groups_note
from dashboard.layout import lazy_tabs, phone_only, wide_only
from dashboard.resources import anonymity_threshold, get_settings
from dashboard.tables import (
    CALIBRATION_CONFIG,
    RUBRIC_DISTRIBUTION_CONFIG,
    SELF_VS_BEGELEIDER_CONFIG,
    calibration_table,
    rubric_distribution_table,
    self_vs_begeleider_means_table,
)
from dashboard.text import literal
from data_access.models import Moment, Role

st.title("Beoordelingen")
viewer, filters = current_viewer(), current_filters()
settings = get_settings()
versions = rubrics(viewer)
if versions.empty:
    st.info("Er zijn geen rubrics voor uw opleiding.")
    st.stop()

labels = {r.rubric_id: f"{literal(r.rubric)} — versie {r.version}" for r in versions.itertuples()}
sites = stageplaats_options(viewer, filters.opleiding_id)
site_names = dict(zip(sites["stageplaats_id"], sites["stageplaats"], strict=True))
this_year = filters.today.year
years = ["Alle jaren", *range(this_year, this_year - 8, -1)]
top = st.columns([3, 2, 3, 2])
rubric_id = top[0].selectbox("Rubric", list(labels), format_func=labels.get, key="beoordelingen_rubric")
moment = top[1].radio(
    "Moment", list(Moment), key="beoordelingen_moment",
    format_func=lambda m: "Eind (summatief)" if m is Moment.EIND else "Tussentijds (formatief)",
)
site_ids = tuple(sorted(top[2].multiselect(
    "Stageplaats", list(site_names), format_func=site_names.get, key="beoordelingen_stageplaatsen",
    placeholder="Alle stageplaatsen",
)))
year = top[3].selectbox("Jaar van beoordeling", years, key="beoordelingen_jaar")
period = None if year == "Alle jaren" else (dt.date(year, 1, 1), dt.date(year, 12, 31))
common = {"rubric_id": rubric_id, "moment": moment, "cohort_ids": filters.cohort_ids or None,
          "stageplaats_ids": site_ids or None, "period": period}
st.caption(f"Versie en moment worden nooit samengevoegd. Een criterium met minder dan {settings.rubric_min_n} "
           "scores toont geen verdeling. " + groups_note(anonymity_threshold(), viewer.role is Role.STAGECOMMISSIE))

verdeling, zelf, beoordelaars, vergelijken = lazy_tabs(["Verdeling", "Zelf en begeleider", "Beoordelaars", "Vergelijken"])
if verdeling.open:
    with verdeling:
        distribution = rubric_distribution(viewer, **common)
        wide_only("verdeling").altair_chart(rubric_distribution_chart(distribution, settings.rubric_min_n), theme=None)
        phone_only("verdeling").dataframe(rubric_distribution_table(distribution, settings.rubric_min_n), hide_index=True,
                                          column_config=RUBRIC_DISTRIBUTION_CONFIG)
if zelf.open:
    with zelf:
        pairs = self_vs_begeleider(viewer, **common)
        if pairs["pairs"].sum() == 0:
            st.info("Geen paren van zelfbeoordeling en begeleider voor deze keuze.")
        elif pairs["difference"].isna().all():
            st.info(f"Te weinig aios voor deze keuze (n={pairs['aios'].iloc[0]}; drempel {anonymity_threshold()}): "
                    "geen gemiddelden, zodat ze niet over één aios gaan.")
        else:
            # The criterion labels would leave no room for the bars at 390 px: a table on a phone.
            wide_only("zelf").altair_chart(self_vs_begeleider_chart(pairs[pairs["pairs"] > 0]), width="stretch", theme=None)
            phone_only("zelf").dataframe(self_vs_begeleider_means_table(pairs), hide_index=True, width="stretch",
                                         column_config=SELF_VS_BEGELEIDER_CONFIG)
if beoordelaars.open:
    with beoordelaars:
        calibration = rater_calibration(viewer, **common)
        if viewer.role is Role.STAGECOMMISSIE:
            # A rater's mean is a figure about the aios they scored, cut by rater (data_access.disclosure).
            st.info("Per beoordelaar tellen alleen aios die u per persoon ziet; de stagecommissie ziet geen aios per "
                    "persoon. Vergelijk stageplaatsen onder Verdeling of Vergelijken.")
        elif calibration.empty:
            st.info("Geen begeleidersscores voor deze keuze.")
        else:
            judged = calibration[calibration["verdict"] != ""]
            if viewer.role is Role.STAGEBEGELEIDER:
                highlight = "U" if (calibration["rater"] == "U").any() else None
                st.caption("U ziet uw eigen positie; andere beoordelaars blijven anoniem.")
            else:
                raters = sorted(calibration["rater"].unique())
                first = judged["rater"].iloc[0] if not judged.empty else raters[0]
                highlight = st.selectbox("Beoordelaar", raters, index=raters.index(first), format_func=literal,
                                         key="beoordelingen_beoordelaar")
                count = judged["rater"].nunique()
                st.caption(f"{count} {'beoordelaar' if count == 1 else 'beoordelaars'} mild of streng op minstens "
                           f"één criterium (vanaf n = {settings.calibration_min_n} aan beide kanten).")
            # On a phone the table below (shown on every screen) is the calibration: the dots per
            # criterion need the width of the criterion labels beside them.
            wide_only("beoordelaars").altair_chart(calibration_chart(calibration, highlight), width="stretch", theme=None)
            shown = calibration if viewer.role is not Role.STAGEBEGELEIDER else calibration[calibration["is_self"]]
            st.dataframe(calibration_table(shown), hide_index=True, width="stretch", column_config=CALIBRATION_CONFIG)
if vergelijken.open:
    with vergelijken:
        options = filter_options(viewer)
        cohorts = options[options["opleiding_id"] == filters.opleiding_id] if filters.opleiding_id else options
        # The committee sees no aios one by one: a cohort would only count aios it cannot see.
        kinds = ["Stageplaatsen"] if viewer.role is Role.STAGECOMMISSIE else ["Cohorten", "Stageplaatsen"]
        by = st.radio("Vergelijk", kinds, horizontal=True, key="beoordelingen_vergelijk")
        names = (dict(zip(cohorts["cohort_id"], cohorts["cohort"], strict=True)) if by == "Cohorten" else site_names)
        if len(names) < 2:
            st.info("Er zijn niet genoeg groepen om te vergelijken.")
        else:
            ids = list(names)
            left, right = st.columns(2)
            a = left.selectbox("Groep A", ids, index=0, format_func=lambda g: literal(names[g]), key=f"beoordelingen_a_{by}")
            b = right.selectbox("Groep B", ids, index=1, format_func=lambda g: literal(names[g]), key=f"beoordelingen_b_{by}")
            key = "cohort_ids" if by == "Cohorten" else "stageplaats_ids"
            groups = [rubric_distribution(viewer, **(common | {key: (g,)})) for g in (a, b)]
            wide_only("vergelijken").altair_chart(group_comparison_chart(groups[0], names[a], groups[1], names[b],
                                                                         settings.rubric_min_n), theme=None)
            with phone_only("vergelijken"):
                for group, name in zip(groups, (names[a], names[b]), strict=True):
                    st.markdown(f"**{literal(name)}**")
                    st.dataframe(rubric_distribution_table(group, settings.rubric_min_n), hide_index=True,
                                 column_config=RUBRIC_DISTRIBUTION_CONFIG)
