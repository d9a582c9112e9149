"""Pure chart builders with one shared theme: DataFrame in, altair chart out.

Colours are the Okabe-Ito palette (safe for colour-blind readers) and never carry meaning
alone: every chart has a Dutch title, axis labels and tooltips with n.
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
THEME = "stagebegeleiding"
SCORE_COLOURS = ["#D55E00", "#E69F00", "#BBBBBB", "#56B4E9", "#0072B2"]


@alt.theme.register(THEME, enable=True)
def stagebegeleiding_theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": "Source Sans Pro, sans-serif",
            "range": {"category": OKABE_ITO},
            "title": {"fontSize": 16, "anchor": "start"},
            "axis": {"labelFontSize": 12, "titleFontSize": 13},
            "legend": {"labelFontSize": 12, "titleFontSize": 13, "orient": "bottom"},
            "view": {"stroke": None},
            # Vega describes axes and legends to screen readers in English ("Y-axis for a
            # discrete scale with …"); the charts' Dutch titles and tables say it instead.
            "aria": False,
            # Marks, too: Vega gives each mark group an image role without a name (axe-core's
            # svg-img-alt); the chart is named by its title, its numbers are in the tooltips and tables.
            "mark": {"aria": False},
        }
    }


# A chart's height is its plot's: Streamlit fits a simple chart's whole height (title, axes and
# a legend below it included) into its `height`, which left a short chart only a sliver of plot
# on a phone, with its labels on top of each other. Fitted to the width only, the title and the
# legend come on top of the plot's height.
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")


def _distribution_data(frame: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """Label each criterion with its n; below min_n, or when data_access left the counts empty
    (too few aios), its counts are dropped and the label says so."""
    enough = (frame["n"] >= min_n) & frame["count"].notna()
    suffix = frame["n"].astype(str).radd(" (n=") + enough.map({True: ")", False: ", te weinig gegevens)"})
    return frame.assign(
        criterium=frame["position"].astype(str) + ". " + frame["criterion"] + suffix,
        count=frame["count"].where(enough, 0),
        share=frame["share"].where(enough),
    )


def _check_one_moment_and_version(frame: pd.DataFrame) -> tuple[str, int]:
    moments, versions = frame["moment"].unique(), frame["version"].unique()
    if len(moments) > 1 or len(versions) > 1:
        raise ValueError("Formatieve en summatieve scores of rubricversies worden nooit samengevoegd.")
    return ("summatief" if moments[0] == "eind" else "formatief"), int(versions[0])


def _distribution_bars(data: pd.DataFrame) -> alt.Chart:
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            # No axis title: the long criterion labels are their own title and would overlap it.
            y=alt.Y("criterium:N", title=None, sort=alt.SortField("position"), axis=alt.Axis(labelLimit=320)),
            x=alt.X("count:Q", title="Aandeel van de scores", stack="normalize", axis=alt.Axis(format="%")),
            color=alt.Color("label:N", title="Niveau", sort=alt.SortField("score")),
            order=alt.Order("score:Q"),
            tooltip=[
                alt.Tooltip("criterium:N", title="Criterium"),
                alt.Tooltip("label:N", title="Niveau"),
                alt.Tooltip("count:Q", title="Aantal"),
                alt.Tooltip("share:Q", title="Aandeel", format=".0%"),
                alt.Tooltip("n:Q", title="n"),
            ],
        )
    )


def rubric_distribution_chart(frame: pd.DataFrame, min_n: int = 1) -> alt.FacetChart:
    """Share of scores per level, one bar per criterion, grouped by CanMEDS role; one moment
    and one rubric version only. A criterion under min_n scores shows no bar, only its n."""
    kind, version = _check_one_moment_and_version(frame)
    roles = frame.sort_values("position")["canmeds_role"].unique().tolist()
    return (
        _distribution_bars(_distribution_data(frame, min_n))
        .properties(width=420)
        .facet(
            row=alt.Row("canmeds_role:N", title=None, sort=roles,
                        header=alt.Header(labelAngle=0, labelAlign="left", labelFontWeight="bold")),
            title=f"Scores per criterium ({kind}, versie {version})",
        )
        .resolve_scale(y="independent")
    )


def group_comparison_chart(a: pd.DataFrame, label_a: str, b: pd.DataFrame, label_b: str, min_n: int = 1) -> alt.FacetChart:
    """Two groups side by side on the same scale (shares per level), same moment and version."""
    both = pd.concat([a.assign(groep=label_a), b.assign(groep=label_b)], ignore_index=True)
    kind, version = _check_one_moment_and_version(both)
    data = _distribution_data(both, min_n)
    return (
        _distribution_bars(data)
        .properties(width=300)
        .facet(column=alt.Column("groep:N", title=None, sort=[label_a, label_b]),
               title=f"Vergelijking ({kind}, versie {version})")
        # Each group its own criterion labels, because each label carries that group's n.
        .resolve_scale(y="independent")
    )


def self_vs_begeleider_chart(frame: pd.DataFrame) -> alt.Chart:
    """Per criterion the mean difference begeleider − zelf over pairs of the same moment."""
    data = frame.assign(
        criterium=frame["position"].astype(str) + ". " + frame["criterion"] + " (paren=" + frame["pairs"].astype(str) + ")",
        richting=frame["difference"].map(lambda d: "begeleider hoger" if d > 0 else ("zelf hoger" if d < 0 else "gelijk")),
    )
    return (
        alt.Chart(data, title=alt.Title("Begeleider min zelfbeoordeling", subtitle="per criterium, in niveaus"))
        .mark_bar()
        .encode(
            y=alt.Y("criterium:N", title=None, sort=alt.SortField("position"), axis=alt.Axis(labelLimit=320)),
            x=alt.X("difference:Q", title="Verschil (niveaus)"),
            color=alt.Color("richting:N", title="Richting", sort=["zelf hoger", "gelijk", "begeleider hoger"],
                            scale=alt.Scale(domain=["zelf hoger", "gelijk", "begeleider hoger"],
                                            range=["#E69F00", "#999999", "#0072B2"])),
            tooltip=[
                alt.Tooltip("criterium:N", title="Criterium"),
                alt.Tooltip("mean_zelf:Q", title="Gemiddeld zelf", format=".2f"),
                alt.Tooltip("mean_begeleider:Q", title="Gemiddeld begeleider", format=".2f"),
                alt.Tooltip("difference:Q", title="Verschil", format="+.2f"),
                alt.Tooltip("pairs:Q", title="n (paren)"),
            ],
        )
    )


def calibration_chart(frame: pd.DataFrame, highlight: str | None) -> alt.LayerChart:
    """Every rater's mean minus the others' mean per criterion (grey dots); the highlighted
    rater in colour with a 95% interval. Zero is the line of agreement."""
    data = frame.assign(
        criterium=frame["position"].astype(str) + ". " + frame["criterion"],
        wie=(frame["rater"] == highlight).map({True: highlight or "", False: "andere beoordelaars"}),
    ).drop(columns=["rater_id"])
    sort = alt.SortField("position")
    base = alt.Chart(data).encode(y=alt.Y("criterium:N", title=None, sort=sort, axis=alt.Axis(labelLimit=320)))
    others = base.mark_point(size=30, opacity=0.5, color="#999999").encode(
        x=alt.X("difference:Q", title="Gemiddelde min dat van de anderen (niveaus)"),
        tooltip=[alt.Tooltip("rater:N", title="Beoordelaar"), alt.Tooltip("difference:Q", title="Verschil", format="+.2f"),
                 alt.Tooltip("n:Q", title="n"), alt.Tooltip("others_n:Q", title="n anderen")],
    ).transform_filter(alt.datum.wie == "andere beoordelaars")
    chosen = data[data["wie"] != "andere beoordelaars"]
    own = alt.Chart(chosen).encode(y=alt.Y("criterium:N", title=None, sort=sort))
    interval = own.mark_rule(color="#D55E00", strokeWidth=2).encode(x="low:Q", x2="high:Q")
    point = own.mark_point(filled=True, size=100, shape="diamond", color="#D55E00").encode(
        x="difference:Q",
        tooltip=[alt.Tooltip("rater:N", title="Beoordelaar"), alt.Tooltip("difference:Q", title="Verschil", format="+.2f"),
                 alt.Tooltip("low:Q", title="95%-interval van", format="+.2f"),
                 alt.Tooltip("high:Q", title="tot", format="+.2f"), alt.Tooltip("n:Q", title="n"),
                 alt.Tooltip("reason:N", title="Oordeel")],
    )
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(strokeDash=[4, 3], color="#333333").encode(x="x:Q")
    raters = frame["rater"].nunique()
    others_word = "andere beoordelaar" if raters - 1 == 1 else "andere beoordelaars"
    # Only raters of aios the viewer sees one by one have a row (data_access.disclosure); the rest
    # are in "the others" of every row, so a begeleider alone is compared with "de anderen".
    against = f"{raters - 1} {others_word} (grijs)" if raters > 1 else "de anderen"
    subtitle = f"{highlight} (ruit, met 95%-interval) tegen {against}" if highlight else f"{raters} beoordelaars"
    return alt.layer(zero, others, interval, point, title=alt.Title("Kalibratie van beoordelaars", subtitle=subtitle))


def feedback_heatmap(grid: pd.DataFrame) -> alt.Chart:
    """Feedback moments per aios per week of stage; a cell can be chosen (selection "cel")."""
    data = grid.assign(aios=grid["aios_name"] + " · " + grid["stageplaats"],
                       totaal=grid.groupby("stage_id")["moments"].transform("sum"))
    cell = alt.selection_point(name="cel", fields=["stage_id", "week"], on="click", clear="dblclick")
    return (
        alt.Chart(data, title=alt.Title("Feedbackmomenten per aios per week",
                                         subtitle=f"{data['stage_id'].nunique()} stages, {int(data['moments'].sum())} momenten; minste feedback bovenaan; kies een vak"))
        .mark_rect(stroke="#ffffff", strokeWidth=1)
        .encode(
            x=alt.X("week:O", title="Week van de stage"),
            # Least feedback on top: those are the aios to look at.
            y=alt.Y("aios:N", title=None, sort=alt.EncodingSortField("totaal", op="min"), axis=alt.Axis(labelLimit=260)),
            color=alt.Color("moments:Q", title="Momenten", scale=alt.Scale(scheme="blues", domainMin=0)),
            opacity=alt.condition(cell, alt.value(1.0), alt.value(0.45)),
            tooltip=[alt.Tooltip("aios:N", title="Aios"), alt.Tooltip("week:O", title="Week"),
                     alt.Tooltip("moments:Q", title="Momenten"), alt.Tooltip("asked_by_aios:Q", title="Gevraagd door aios"),
                     alt.Tooltip("KPB:Q"), alt.Tooltip("gesprek:Q", title="Gesprek"), alt.Tooltip("informeel:Q", title="Informeel")],
        )
        .add_params(cell)
        .properties(height=alt.Step(16))
    )


def feedback_rate_chart(frequency: pd.DataFrame, what: str) -> alt.Chart:
    """Moments per aios-week per site or begeleider, lowest first, with n (aios-weeks)."""
    data = frequency.assign(label=frequency["name"] + " (n=" + frequency["aios_weeks"].round(0).astype(int).astype(str) + ")")
    return (
        alt.Chart(data, title=alt.Title(f"Feedback per aios-week per {what}", subtitle="laagste eerst; n = aios-weken"))
        .mark_bar(color="#0072B2")
        .encode(
            y=alt.Y("label:N", title=None, sort=alt.SortField("per_aios_week"), axis=alt.Axis(labelLimit=320)),
            x=alt.X("per_aios_week:Q", title="Momenten per aios-week"),
            tooltip=[alt.Tooltip("name:N", title=what.capitalize()), alt.Tooltip("per_aios_week:Q", title="Per aios-week", format=".2f"),
                     alt.Tooltip("moments:Q", title="Momenten"), alt.Tooltip("aios_weeks:Q", title="Aios-weken", format=".0f"),
                     alt.Tooltip("asked_share:Q", title="Gevraagd door aios", format=".0%")],
        )
    )


def feedback_trend_points(trend: pd.DataFrame, min_aios_weeks: int = 1) -> pd.DataFrame:
    """The weeks the trend chart draws: a week with fewer than min_aios_weeks aios-weeks is left
    out (a rate on two aios says nothing), and so is a week whose rate data_access left empty
    (it would describe too few aios). Empty: the page says so instead of drawing empty axes."""
    return trend[(trend["aios_weeks"] >= min_aios_weeks) & trend["per_aios_week"].notna()]


def feedback_trend_chart(trend: pd.DataFrame, min_aios_weeks: int = 1) -> alt.Chart:
    """Moments per aios-week through the weeks of a stage, one line per cohort, for the weeks of
    `feedback_trend_points`. Narrow enough for a phone: the subtitle in two lines, the
    cohorts' legend in columns."""
    data = feedback_trend_points(trend, min_aios_weeks)
    subtitle = ["momenten per aios-week, per cohort;", f"weken met minder dan {min_aios_weeks} aios-weken weggelaten"]
    return (
        alt.Chart(data, title=alt.Title("Feedback door de stage heen", subtitle=subtitle))
        .mark_line(point=True)
        .encode(
            x=alt.X("week:Q", title="Week van de stage", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("per_aios_week:Q", title="Momenten per aios-week",
                    axis=alt.Axis(labelExpr="replace(format(datum.value, '.1f'), '.', ',')")),  # 1,5: Dutch
            # One legend (colour and dash together), in columns: in one row it ran off a phone.
            color=alt.Color("cohort:N", title="Cohort", legend=alt.Legend(columns=3)),
            strokeDash=alt.StrokeDash("cohort:N", title="Cohort", legend=alt.Legend(columns=3)),
            tooltip=[alt.Tooltip("cohort:N", title="Cohort"), alt.Tooltip("week:Q", title="Week"),
                     alt.Tooltip("per_aios_week:Q", title="Per aios-week", format=".2f"),
                     alt.Tooltip("moments:Q", title="Momenten"), alt.Tooltip("aios_weeks:Q", title="n (aios-weken)")],
        )
        .properties(height=240, autosize=FIT_WIDTH)
    )


def stage_position_chart(progress: pd.DataFrame) -> alt.Chart:
    """One mark per aios: how far into the stage (x) against the share of expected
    begeleidingsgesprekken held (y). Below the diagonal band is behind; shape and the legend
    say whether a stage has flags, so colour never carries that alone."""
    expected = progress["expected_begeleidingsgesprek"].where(progress["expected_begeleidingsgesprek"] > 0)
    data = pd.DataFrame(
        {
            "aios": progress["aios_name"],
            "stageplaats": progress["stageplaats"],
            "voortgang": (progress["week"] / progress["weeks_total"]).clip(upper=1.0),
            "gesprekken": (progress["n_begeleidingsgesprek"] / expected).fillna(1.0).clip(upper=1.5),
            "gedaan": progress["n_begeleidingsgesprek"],
            "verwacht": progress["expected_begeleidingsgesprek"],
            "signalen": progress["flag_count"].map(lambda n: "met signalen" if n else "zonder signalen"),
            "aantal_signalen": progress["flag_count"],
        }
    )
    return (
        alt.Chart(data, title=f"Waar staat elke aios? (n={len(data)})")
        .mark_point(filled=True, size=90, opacity=0.8)
        .encode(
            x=alt.X("voortgang:Q", title="Deel van de stage verstreken", axis=alt.Axis(format="%"),
                    scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("gesprekken:Q", title="Gesprekken gedaan / verwacht",
                    axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1.5])),
            color=alt.Color("signalen:N", title="Signalen", sort=["met signalen", "zonder signalen"]),
            shape=alt.Shape("signalen:N", title="Signalen", sort=["met signalen", "zonder signalen"]),
            tooltip=[
                alt.Tooltip("aios:N", title="Aios"),
                alt.Tooltip("stageplaats:N", title="Stageplaats"),
                alt.Tooltip("voortgang:Q", title="Stage verstreken", format=".0%"),
                alt.Tooltip("gedaan:Q", title="Gesprekken gedaan"),
                alt.Tooltip("verwacht:Q", title="Gesprekken verwacht"),
                alt.Tooltip("aantal_signalen:Q", title="Aantal signalen"),
            ],
        )
        .properties(height=320)
    )


# Status of a gesprek slot → colour and shape, so that neither carries the meaning alone.
SLOT_STYLE = {
    "op tijd": ("#009E73", "circle"),
    "te laat": ("#E69F00", "triangle-up"),
    "ontbreekt": ("#D55E00", "cross"),
    "verwacht": ("#999999", "circle"),
    "gehouden": ("#0072B2", "square"),
    "KPB": ("#CC79A7", "diamond"),
    "feedback": ("#56B4E9", "triangle-down"),
}


def _style(categories: list[str]) -> tuple[alt.Scale, alt.Scale]:
    return (
        alt.Scale(domain=categories, range=[SLOT_STYLE[c][0] for c in categories]),
        alt.Scale(domain=categories, range=[SLOT_STYLE[c][1] for c in categories]),
    )


def gesprek_weeks_chart(weeks: pd.DataFrame) -> alt.Chart:
    """Expected gesprekken per week of their due date: on time, late or missing (stacked)."""
    statuses = ["op tijd", "te laat", "ontbreekt"]
    colour, _ = _style(statuses)
    data = weeks.assign(week=pd.to_datetime(weeks["week"]))
    return (
        alt.Chart(data, title=alt.Title("Gesprekken per week", subtitle=f"verwacht tot vandaag, n={int(weeks['n'].sum())}"))
        .mark_bar()
        .encode(
            x=alt.X("week:T", title="Week (maandag)", timeUnit="yearmonthdate", axis=alt.Axis(format="%d-%m")),
            y=alt.Y("n:Q", title="Aantal gesprekken", stack="zero"),
            color=alt.Color("status:N", title="Gesprek", scale=colour, sort=statuses),
            order=alt.Order("status_order:Q"),
            tooltip=[
                alt.Tooltip("week:T", title="Week van", format="%d-%m-%Y"),
                alt.Tooltip("status:N", title="Gesprek"),
                alt.Tooltip("n:Q", title="Aantal"),
            ],
        )
        .transform_calculate(status_order=f"indexof({statuses!r}, datum.status)")
        .properties(height=260)
    )


def _timeline_frame(slots: pd.DataFrame, kpbs: pd.DataFrame, feedback: pd.DataFrame) -> pd.DataFrame:
    def day(d) -> str:
        return "—" if d is None or pd.isna(d) else f"{d:%d-%m-%Y}"

    gesprekken = pd.DataFrame({
        "rij": "Gesprekken",
        "datum": [h if h is not None and pd.notna(h) else d for h, d in zip(slots["held_on"], slots["due"], strict=True)],
        "soort": slots["status"],
        "wat": slots["type"],
        "detail": [f"verwacht uiterlijk {day(d)}, gehouden {day(h)}" for d, h in zip(slots["due"], slots["held_on"], strict=True)],
    })
    kpb = pd.DataFrame({
        "rij": "KPB's", "datum": kpbs["date"], "soort": "KPB", "wat": kpbs["epa_code"],
        "detail": "supervisieniveau " + kpbs["supervision_level"].astype(str),
    })
    moments = pd.DataFrame({
        "rij": "Feedback", "datum": feedback["date"], "soort": "feedback", "wat": feedback["kind"],
        "detail": feedback["asked_by_aios"].map({True: "gevraagd door aios", False: "niet gevraagd"}),
    })
    frame = pd.concat([gesprekken, kpb, moments], ignore_index=True)
    return frame.assign(datum=pd.to_datetime(frame["datum"]))


TIMELINE_HEIGHT = 200


def stage_timeline_chart(
    slots: pd.DataFrame, kpbs: pd.DataFrame, feedback: pd.DataFrame,
    start, end, today,
) -> alt.LayerChart:
    """The stage on one time axis: every expected gesprek (at the day held, else its due day)
    by status, every KPB and feedback moment, and rules for start, end and today."""
    data = _timeline_frame(slots, kpbs, feedback)
    categories = [c for c in SLOT_STYLE if c in set(data["soort"])] or ["verwacht"]
    colour, shape = _style(categories)
    rows = ["Gesprekken", "KPB's", "Feedback"]
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=110, opacity=0.9)
        .encode(
            x=alt.X("datum:T", title="Datum", axis=alt.Axis(format="%d-%m", labelOverlap="greedy")),
            y=alt.Y("rij:N", title=None, sort=rows),
            # Several legend columns, so the legend wraps on a phone instead of running off.
            color=alt.Color("soort:N", title="Soort", scale=colour, legend=alt.Legend(columns=4)),
            shape=alt.Shape("soort:N", title="Soort", scale=shape, legend=alt.Legend(columns=4)),
            tooltip=[
                alt.Tooltip("wat:N", title="Wat"),
                alt.Tooltip("soort:N", title="Status"),
                alt.Tooltip("datum:T", title="Datum", format="%d-%m-%Y"),
                alt.Tooltip("detail:N", title="Toelichting"),
            ],
        )
    )
    # "vandaag" only while it is near the stage: for an old stage it would squash the timeline.
    near = start <= today <= end + pd.Timedelta(days=14)
    # "start" and "einde" above the plot, "vandaag" at its foot: near the end (or the start) of
    # a stage the words would otherwise lie on top of each other.
    marks = pd.DataFrame({
        "datum": pd.to_datetime([start, end] + ([today] if near else [])),
        "label": ["start", "einde"] + (["vandaag"] if near else []),
        "hoogte": [0, 0] + ([TIMELINE_HEIGHT] if near else []),
    })
    rules = alt.Chart(marks).mark_rule(strokeDash=[4, 3], color="#555555").encode(x="datum:T")
    labels = alt.Chart(marks).mark_text(align="left", dx=3, dy=-6, color="#333333").encode(
        x="datum:T", y=alt.Y("hoogte:Q", scale=None), text="label:N"
    )
    counts = data["rij"].value_counts()
    title = alt.Title("Tijdlijn van de stage", subtitle=" · ".join(f"{r} n={counts.get(r, 0)}" for r in rows))
    return alt.layer(rules, labels, points, title=title).properties(height=TIMELINE_HEIGHT)


MOMENT_LABELS = {"tussentijds": "formatief (tussentijds)", "eind": "summatief (eind)"}
RATER_LABELS = {"zelf": "Zelfbeoordeling", "begeleider": "Begeleider", "peer": "Peer"}


def _level_names(scores: pd.DataFrame, top: int) -> str:
    """A Vega label expression that names each level on the axis ("1 onvoldoende"), from the
    rubric's own level labels; a level without a label keeps its number."""
    names = scores.drop_duplicates("score").set_index("score")["label"].to_dict()
    expression = "datum.label"
    for level in range(top, 0, -1):
        if level in names and pd.notna(names[level]):
            text = f"{level} {names[level]}".replace("\\", "").replace("'", "\\'")
            expression = f"datum.value == {level} ? '{text}' : ({expression})"
    return expression


def assessment_chart(scores: pd.DataFrame) -> alt.Chart:
    """Rubric scores per criterion: self and begeleider side by side (their own colour, on
    adjacent lines within a criterion), formative and summative in their own shape, all named in
    the legend. One chart without facets, so it fits a phone's width."""
    versions = scores["version"].nunique()
    top = int(scores["score"].max())
    data = scores.assign(
        criterium=scores["position"].astype(str) + ". " + scores["criterion"]
        + (" (versie " + scores["version"].astype(str) + ")" if versions > 1 else ""),
        moment=scores["moment"].map(MOMENT_LABELS),
        beoordelaar=scores["rater_kind"].map(RATER_LABELS),
        datum=pd.to_datetime(scores["date"]),
    ).drop(columns="date")
    data["reeks"] = data["beoordelaar"] + ", " + data["moment"]
    moments = list(MOMENT_LABELS.values())
    raters = list(RATER_LABELS.values())
    series = [f"{r}, {m}" for r in raters for m in moments]
    criteria = data.sort_values("position")["criterium"].unique().tolist()
    return (
        alt.Chart(data, title=alt.Title(
            "Rubricscores per criterium", subtitle=f"{data['beoordeling_id'].nunique()} beoordelingen in deze stage"))
        .mark_point(filled=True, size=90, opacity=0.9)
        .encode(
            x=alt.X("score:Q", title="Niveau", scale=alt.Scale(domain=[0.5, top + 0.5]),
                    axis=alt.Axis(values=list(range(1, top + 1)), labelExpr=_level_names(scores, top),
                                  labelAngle=-30, labelAlign="right")),
            y=alt.Y("criterium:N", title=None, sort=criteria, axis=alt.Axis(labelLimit=200)),
            yOffset=alt.YOffset("reeks:N", sort=series),
            color=alt.Color("beoordelaar:N", title="Beoordelaar", sort=raters,
                            scale=alt.Scale(domain=raters, range=["#E69F00", "#0072B2", "#009E73"]),
                            legend=alt.Legend(columns=2)),
            shape=alt.Shape("moment:N", title="Moment", sort=moments,
                            scale=alt.Scale(domain=moments, range=["circle", "square"]),
                            legend=alt.Legend(columns=1)),
            tooltip=[
                alt.Tooltip("criterium:N", title="Criterium"),
                alt.Tooltip("beoordelaar:N", title="Beoordelaar"),
                alt.Tooltip("moment:N", title="Moment"),
                alt.Tooltip("label:N", title="Niveau"),
                alt.Tooltip("datum:T", title="Datum", format="%d-%m-%Y"),
            ],
        )
        .properties(height=alt.Step(7 * data["reeks"].nunique() + 6))
    )


# Dutch month abbreviations for date axes: Vega's own time format speaks English.
DUTCH_MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
SUPERVISION_LEVELS = [1, 2, 3, 4, 5]
# Ordinal levels get an ordered ramp (viridis: light = 1, dark = 5): its lightness alone tells the
# order, so it reads without colour vision, and neighbouring levels stay distinct.
LEVEL_COLOURS = ["#FDE725", "#5DC863", "#21908D", "#3B528B", "#440154"]


def dutch_date_axis(title: str) -> alt.Axis:
    """A date axis that reads "3 mrt": day and Dutch month, a tick a week, never overlapping."""
    months = "[" + ",".join(f"'{m}'" for m in DUTCH_MONTHS) + "]"
    return alt.Axis(title=title, tickCount="week", labelAngle=0, labelOverlap="greedy", labelPadding=4,
                    labelExpr=f"date(datum.value) + ' ' + {months}[month(datum.value)]")


def epa_levels_chart(kpbs: pd.DataFrame, targets: pd.DataFrame) -> alt.LayerChart:
    """The supervision level of every KPB over time per EPA, with the stageplan's target as a
    dashed line in the same colour. Levels are ordinal: one point per KPB on a 1–5 scale of
    categories, never a line between them or an average."""
    data = pd.DataFrame({
        "datum": pd.to_datetime(kpbs["date"]), "epa": kpbs["epa_code"] + " " + kpbs["epa_name"],
        "supervision_level": kpbs["supervision_level"], "observer": kpbs["observer"],
    })
    goal = pd.DataFrame({"epa": targets["epa_code"] + " " + targets["epa_name"], "target_level": targets["target_level"]})
    domain = sorted(set(data["epa"]) | set(goal["epa"]))
    colour = alt.Color("epa:N", title="EPA", scale=alt.Scale(domain=domain))
    level = alt.Scale(domain=SUPERVISION_LEVELS[::-1])
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=110, opacity=0.9)
        .encode(
            x=alt.X("datum:T", axis=dutch_date_axis("Datum van de KPB"), scale=alt.Scale(padding=14)),
            y=alt.Y("supervision_level:O", title="Supervisieniveau", scale=level),
            color=colour,
            shape=alt.Shape("epa:N", title="EPA", scale=alt.Scale(domain=domain)),
            tooltip=[
                alt.Tooltip("epa:N", title="EPA"),
                alt.Tooltip("supervision_level:O", title="Niveau"),
                alt.Tooltip("datum:T", title="Datum", format="%d-%m-%Y"),
                alt.Tooltip("observer:N", title="Beoordelaar"),
            ],
        )
    )
    rules = alt.Chart(goal).mark_rule(strokeDash=[6, 4]).encode(
        y=alt.Y("target_level:O", scale=level),
        color=colour,
        tooltip=[alt.Tooltip("epa:N", title="EPA"), alt.Tooltip("target_level:O", title="Doelniveau")],
    )
    return alt.layer(rules, points, title=f"EPA-niveaus uit KPB's (n={len(data)}; streep = doel)").properties(height=220)


def epa_level_distribution(kpbs: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Per EPA (of the stageplan or with a KPB) and supervision level: how many KPB's, with the
    EPA's label saying n, the highest level reached and the target. Counts, never a mean."""
    epas = pd.concat([
        pd.DataFrame({"code": targets["epa_code"], "name": targets["epa_name"], "target": targets["target_level"]}),
        pd.DataFrame({"code": kpbs["epa_code"], "name": kpbs["epa_name"], "target": pd.NA}),
    ]).drop_duplicates("code").sort_values("code")
    rows = []
    for epa in epas.itertuples():
        levels = kpbs.loc[kpbs["epa_code"] == epa.code, "supervision_level"].astype(int)
        highest = f"hoogste {levels.max()}" if len(levels) else "nog geen KPB"
        target = f" · doel {int(epa.target)}" if pd.notna(epa.target) else ""
        label = f"{epa.code} {epa.name} (n={len(levels)} · {highest}{target})"
        rows += [{"epa": label, "code": epa.code, "niveau": str(lv), "aantal": int((levels == lv).sum())}
                 for lv in SUPERVISION_LEVELS]
    return pd.DataFrame(rows, columns=["epa", "code", "niveau", "aantal"])


def epa_distribution_chart(kpbs: pd.DataFrame, targets: pd.DataFrame) -> alt.Chart:
    """Per EPA the KPB's at each supervision level, stacked from 1 to 5: the distribution of an
    ordinal scale, with the highest level reached and the target in the EPA's label."""
    data = epa_level_distribution(kpbs, targets)
    levels = [str(lv) for lv in SUPERVISION_LEVELS]
    return (
        alt.Chart(data, title=alt.Title("Supervisieniveaus per EPA", subtitle=f"verdeling van {len(kpbs)} KPB's"))
        .mark_bar(stroke="#FFFFFF", strokeWidth=1)
        .encode(
            y=alt.Y("epa:N", title=None, sort=alt.SortField("code"), axis=alt.Axis(labelLimit=360)),
            x=alt.X("aantal:Q", title="Aantal KPB's", axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color("niveau:O", title="Supervisieniveau", scale=alt.Scale(domain=levels, range=LEVEL_COLOURS),
                            legend=alt.Legend(direction="horizontal")),
            order=alt.Order("niveau:O"),
            tooltip=[alt.Tooltip("epa:N", title="EPA"), alt.Tooltip("niveau:O", title="Niveau"),
                     alt.Tooltip("aantal:Q", title="Aantal KPB's")],
        )
        .properties(height=alt.Step(28))
    )


DIMENSION_LABELS = {"leermogelijkheden": "Leermogelijkheden", "leerklimaat": "Leerklimaat", "begeleiding": "Begeleiding"}


# One colour per compared site: Okabe-Ito without its yellow and black (too faint on white, and
# black reads as text), so six sites stay apart on a projector, in print and for colour-blind eyes.
SITE_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"]


def wrap_label(text: str, width: int = 26) -> str:
    """A long name in lines of about `width` characters, joined by "|" for the axis's labelExpr
    (vega draws an array as lines): the whole name is shown, never cut off."""
    return "|".join(textwrap.wrap(text, width, break_long_words=False)) or text


def site_comparison_chart(sites: pd.DataFrame, projector: bool = True) -> alt.FacetChart:
    """2–6 stageplaatsen side by side on the same 1–5 scale: mean and 95% interval per
    dimension, each site in its own colour (the same in every dimension) and with its whole
    name, wrapped. A site below the anonymity threshold has no mark, only its n in the label."""
    rows = []
    for r in sites.itertuples():
        label = f"{r.stageplaats} (n={r.n})" + ("" if r.enough else " – te weinig beoordelingen")
        for d, name in DIMENSION_LABELS.items():
            mean = getattr(r, d) if r.enough else None
            rows.append({"stageplaats": label, "regel": wrap_label(label), "dimensie": name, "gemiddelde": mean,
                         "laag": getattr(r, f"{d}_low") if r.enough else None,
                         "hoog": getattr(r, f"{d}_high") if r.enough else None, "n": int(r.n)})
    data = pd.DataFrame(rows)
    order = list(dict.fromkeys(data["regel"])) if not data.empty else []
    size = 20 if projector else 13
    lines = max((label.count("|") + 1 for label in order), default=1)
    step = max(48 if projector else 34, round(lines * size * 1.25 + 12))
    scale = alt.Scale(domain=[1, 5])
    colour = alt.Color("regel:N", sort=order, legend=None,
                       scale=alt.Scale(domain=order, range=SITE_COLOURS[:max(len(order), 1)]))
    y = alt.Y("regel:N", title=None, sort=order,
              axis=alt.Axis(labelLimit=0, labelFontSize=size, labelExpr="split(datum.label, '|')", labelPadding=8))
    bars = alt.Chart().mark_rule(strokeWidth=4).encode(
        y=y, color=colour, x=alt.X("laag:Q", title="Gemiddelde (1–5)", scale=scale,
                                   axis=alt.Axis(values=[1, 2, 3, 4, 5], format="d")), x2="hoog:Q")
    points = alt.Chart().mark_point(filled=True, size=320 if projector else 200, opacity=1).encode(
        y=y, color=colour, x=alt.X("gemiddelde:Q", scale=scale),
        tooltip=[alt.Tooltip("stageplaats:N", title="Stageplaats"), alt.Tooltip("dimensie:N", title="Dimensie"),
                 alt.Tooltip("gemiddelde:Q", title="Gemiddelde", format=".2f"),
                 alt.Tooltip("laag:Q", title="95% van", format=".2f"), alt.Tooltip("hoog:Q", title="tot", format=".2f"),
                 alt.Tooltip("n:Q", title="n")])
    return (
        alt.layer(bars, points, data=data)
        # The three dimensions side by side, the sites named once on the left: every site's row
        # reads across, and the chart fits one screen.
        .properties(width=200 if projector else 170, height=alt.Step(step))
        .facet(column=alt.Column("dimensie:N", title=None, sort=list(DIMENSION_LABELS.values()),
                                 header=alt.Header(labelFontSize=size + 2, labelFontWeight="bold",
                                                   labelAnchor="start")),
               title=alt.Title("Stageplaatsen naast elkaar", fontSize=size + 6,
                               subtitle="gemiddelde (stip) met 95%-interval (lijn)", subtitleFontSize=size - 2))
        .configure_axis(labelFontSize=size, titleFontSize=size)
        # No "…" menu of vega-embed over the chart (its actions are English, too).
        .properties(usermeta={"embedOptions": {"actions": False}})
    )


def rating_trend_chart(trend: pd.DataFrame) -> alt.Chart:
    """Mean per dimension per year for one site; only years shown under the anonymity rules."""
    shown = trend[trend["enough"]]
    data = shown.melt(id_vars=["year", "n"], value_vars=list(DIMENSION_LABELS), var_name="d", value_name="gemiddelde")
    data["dimensie"] = data["d"].map(DIMENSION_LABELS)
    hidden = int((~trend["enough"]).sum())
    # In lines that fit a phone (a Vega title does not wrap, it is cut off).
    subtitle = ["per jaar, alleen jaren met genoeg beoordelingen"] + ([f"({hidden} jaar niet getoond)"] if hidden else [])
    return (
        alt.Chart(data.drop(columns="d"), title=alt.Title("Beoordeling door de jaren", subtitle=subtitle))
        .mark_line(point=alt.OverlayMarkDef(size=80), strokeWidth=3)
        .encode(
            x=alt.X("year:O", title="Jaar", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("gemiddelde:Q", title="Gemiddelde (1–5)", scale=alt.Scale(domain=[1, 5]),
                    axis=alt.Axis(values=[1, 2, 3, 4, 5], format="d")),
            # The three names in two columns: in one row they ran off a phone.
            color=alt.Color("dimensie:N", title="Dimensie", sort=list(DIMENSION_LABELS.values()),
                            legend=alt.Legend(columns=2)),
            # One legend (the colour's): a second one for the dashes printed as black dots.
            strokeDash=alt.StrokeDash("dimensie:N", legend=None, sort=list(DIMENSION_LABELS.values())),
            tooltip=[alt.Tooltip("year:O", title="Jaar"), alt.Tooltip("dimensie:N", title="Dimensie"),
                     alt.Tooltip("gemiddelde:Q", title="Gemiddelde", format=".2f"), alt.Tooltip("n:Q", title="n")],
        )
        .properties(height=180, autosize=FIT_WIDTH)
    )


def rating_distribution_chart(distribution: pd.DataFrame) -> alt.Chart:
    """How many aios gave each score per dimension, for one site at or above the threshold."""
    data = distribution.assign(dimensie=distribution["dimension"].map(DIMENSION_LABELS),
                               score_label=distribution["score"].astype(str))
    n = int(data.groupby("dimension")["count"].sum().max()) if not data.empty else 0
    return (
        alt.Chart(data.drop(columns="dimension"), title=alt.Title("Verdeling van de scores", subtitle=f"n={n}"))
        .mark_bar()
        .encode(
            y=alt.Y("dimensie:N", title=None, sort=list(DIMENSION_LABELS.values())),
            # Whole numbers of ratings only; scores in five colours that stay apart in print and
            # for colour-blind readers (Okabe-Ito, low red to high blue, a grey middle).
            x=alt.X("count:Q", title="Aantal beoordelingen", stack="zero", axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color("score_label:O", title="Score", sort="ascending",
                            scale=alt.Scale(domain=["1", "2", "3", "4", "5"], range=SCORE_COLOURS)),
            order=alt.Order("score:Q"),
            tooltip=[alt.Tooltip("dimensie:N", title="Dimensie"), alt.Tooltip("score:Q", title="Score"),
                     alt.Tooltip("count:Q", title="Aantal")],
        )
        .properties(height=alt.Step(32), autosize=FIT_WIDTH)
    )
