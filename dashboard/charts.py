"""Pure chart builders with one shared theme: DataFrame in, altair chart out.

Colours are the Okabe-Ito palette (safe for colour-blind readers) and never carry meaning
alone: every chart has a Dutch title, axis labels and tooltips with n.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
THEME = "stagebegeleiding"


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
        }
    }


def rubric_distribution_chart(frame: pd.DataFrame) -> alt.Chart:
    """Share of scores per level, one row per criterion; one moment and one version only."""
    moments = frame["moment"].unique()
    versions = frame["version"].unique()
    if len(moments) > 1 or len(versions) > 1:
        raise ValueError("Formatieve en summatieve scores of rubricversies worden nooit samengevoegd.")
    title = f"Scores per criterium ({'summatief' if moments[0] == 'eind' else 'formatief'}, versie {versions[0]})"
    # n belongs in the label itself: every aggregate shows how many scores it stands on.
    data = frame.assign(
        criterium=frame["position"].astype(str) + ". " + frame["criterion"] + " (n=" + frame["n"].astype(str) + ")"
    )
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            # No axis title: the long criterion labels are their own title and would overlap it.
            y=alt.Y("criterium:N", title=None, sort=alt.SortField("position"), axis=alt.Axis(labelLimit=320)),
            x=alt.X("count:Q", title="Aantal scores", stack="normalize", axis=alt.Axis(format="%")),
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
