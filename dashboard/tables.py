"""Pure table builders: query frames → what a Dutch user reads, with words, not only numbers.

Beside a table shown in a wide grid, its column configuration (`..._CONFIG`): the column that
names a row (aios, stageplaats, begeleider, criterium) is pinned, so the name stays in view
while the other columns scroll (on a phone most of them are off screen)."""

from __future__ import annotations

import pandas as pd
import streamlit as st


def pinned(*names: str) -> dict:
    """A column configuration with these columns pinned to the left (a name not in a table is
    ignored, so one configuration serves a table whose first column is named by the caller)."""
    return {name: st.column_config.TextColumn(name, pinned=True) for name in names}


def _of(done: pd.Series, expected: pd.Series) -> pd.Series:
    return done.astype(int).astype(str) + " van " + expected.astype(int).astype(str)


def _date_or(series: pd.Series, missing: str) -> pd.Series:
    return series.map(lambda d: d.strftime("%d-%m-%Y") if pd.notna(d) and d is not None else missing)


def _ago(series: pd.Series) -> pd.Series:
    return series.map(lambda n: "nog geen" if pd.isna(n) else f"{int(n)} dagen geleden")


def _level(series: pd.Series) -> pd.Series:
    """Mean begeleider score of a moment, Dutch decimal comma; a dash before any beoordeling."""
    return _decimal(series, "{:.1f}")


def _rated(frame: pd.DataFrame) -> pd.Series:
    """Whether the aios rated the stageplaats; only asked of ended stages."""
    ended = frame["status"].isin(["afgerond", "afgebroken"])
    return frame["rating_given"].map({True: "ja", False: "nee"}).where(ended, "n.v.t.")


def progress_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per stage: where the aios stands against the stageplan and the cycle."""
    if frame.empty:
        return pd.DataFrame(columns=["Aios", "Stageplaats", "Week"])
    return pd.DataFrame(
        {
            "Aios": frame["aios_name"],
            "Cohort": frame["cohort"],
            "Stageplaats": frame["stageplaats"],
            "Week": _of(frame["week"], frame["weeks_total"]),
            "Stageplan goedgekeurd": _date_or(frame["approved_at"], "nee"),
            "Startgesprek": _of(frame["n_startgesprek"], frame["expected_startgesprek"]),
            "Begeleidingsgesprekken": _of(frame["n_begeleidingsgesprek"], frame["expected_begeleidingsgesprek"]),
            "Evaluatiegesprek": _of(frame["n_evaluatiegesprek"], frame["expected_evaluatiegesprek"]),
            "Eindgesprek": _of(frame["n_eindgesprek"], frame["expected_eindgesprek"]),
            "Laatste gesprek": _ago(frame["days_since_gesprek"]),
            "Laatste feedback": _ago(frame["days_since_feedback"]),
            "KPB's (gedaan van verwacht)": _of(frame["kpb_done"], frame["expected_kpb"]),
            "Leerdoelen behaald": _of(frame["leerdoelen_behaald"], frame["leerdoelen_total"]),
            "Niveau tussentijds (formatief)": _level(frame["level_tussentijds"]),
            "Niveau eind (summatief)": _level(frame["level_eind"]),
            "Stageplaats beoordeeld": _rated(frame),
            "Signalen": frame["flags"].map(lambda f: "; ".join(f.values()) if f else "—")
            if "flags" in frame
            else "—",
        }
    )


def progress_export(frame: pd.DataFrame) -> pd.DataFrame:
    """The cohort table for CSV and Excel: Dutch headers, real dates and numbers, one header row."""
    def as_date(col: str) -> pd.Series:
        return pd.to_datetime(frame[col]).dt.date

    return pd.DataFrame(
        {
            "Aios": frame["aios_name"],
            "Cohort": frame["cohort"],
            "Stageplaats": frame["stageplaats"],
            "Startdatum": as_date("start_date"),
            "Einddatum": as_date("end_date"),
            "Week": frame["week"],
            "Aantal weken": frame["weeks_total"],
            "Stageplan goedgekeurd op": as_date("approved_at"),
            "Startgesprek gedaan": frame["n_startgesprek"],
            "Begeleidingsgesprekken gedaan": frame["n_begeleidingsgesprek"],
            "Begeleidingsgesprekken verwacht": frame["expected_begeleidingsgesprek"],
            "Evaluatiegesprek gedaan": frame["n_evaluatiegesprek"],
            "Eindgesprek gedaan": frame["n_eindgesprek"],
            "Laatste gesprek": as_date("last_gesprek"),
            "Laatste feedback": as_date("last_feedback"),
            "KPB's gedaan": frame["kpb_done"],
            "KPB's verwacht": frame["expected_kpb"],
            "Leerdoelen behaald": frame["leerdoelen_behaald"],
            "Leerdoelen totaal": frame["leerdoelen_total"],
            "Stageverslag ingeleverd op": as_date("verslag_handed_in"),
            "Niveau tussentijds (formatief, gemiddeld)": frame["level_tussentijds"].round(2),
            "Niveau eind (summatief, gemiddeld)": frame["level_eind"].round(2),
            "Stageplaats beoordeeld": _rated(frame),
            "Signalen": frame["flags"].map(lambda f: "; ".join(f.values())),
        }
    )


RATING_COLUMNS = {"leermogelijkheden": "Leermogelijkheden", "leerklimaat": "Leerklimaat", "begeleiding": "Begeleiding"}


def too_few(n: int) -> str:
    return f"te weinig beoordelingen (n={n})"


def summative_text(r) -> str:
    """The eind level of a site's aios as context: n counts aios, and below the threshold
    (summative empty) only the words."""
    if r["summative_n"] == 0:
        return "—"
    if pd.isna(r["summative"]):
        return f"te weinig aios (n={r['summative_n']})"
    return f"{r['summative']:.1f} (n={r['summative_n']} aios)".replace(".", ",")


def sites_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per stageplaats: means with their 95% interval only where n reaches the
    threshold (`enough`); otherwise the words, never a number. Context and decisions after."""
    def mean_or_words(col: str) -> pd.Series:
        return frame.apply(
            lambda r: (f"{r[col]:.1f} ({r[col + '_low']:.1f}–{r[col + '_high']:.1f})".replace(".", ",")
                       if r["enough"] else too_few(r["n"])),
            axis=1,
        )

    if frame.empty:
        return pd.DataFrame(columns=["Stageplaats", "n"])
    return pd.DataFrame({
        "Stageplaats": frame["stageplaats"],
        "Type": frame["discipline"],
        "Regio": frame["region"],
        "Status": frame["status"],
        "n": frame["n"],
        **{label: mean_or_words(col) for col, label in RATING_COLUMNS.items()},
        "Feedback per aios-week": _decimal(frame["per_aios_week"]),
        "Wacht op vrijgave": frame["pending"] if "pending" in frame else 0,
        "Eindniveau aios (context)": frame.apply(summative_text, axis=1),
        "Laatste besluit": frame.apply(
            lambda r: "—" if pd.isna(r["decision"]) else f"{r['decision']} ({r['decision_date']:%d-%m-%Y})", axis=1),
        "Signalen": frame["flags"].map(lambda f: "; ".join(f) if f else "—"),
    })


SITES_CONFIG = pinned("Stageplaats")


def sites_export(frame: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """The site table for Excel: numbers as numbers where n reaches the threshold, empty cells
    and the reason in words below it."""
    out = pd.DataFrame({
        "Stageplaats": frame["stageplaats"], "Type": frame["discipline"], "Regio": frame["region"],
        "Status": frame["status"], "Aantal beoordelingen": frame["n"],
    })
    for col, label in RATING_COLUMNS.items():
        for suffix, what in (("", "gemiddeld"), ("_low", "95% ondergrens"), ("_high", "95% bovengrens")):
            out[f"{label} ({what})"] = frame[col + suffix].where(frame["enough"]).round(2)
    out["Toelichting"] = frame.apply(lambda r: "" if r["enough"] else f"{too_few(r['n'])}; drempel {threshold}", axis=1)
    out["Feedback per aios-week"] = frame["per_aios_week"].round(2)
    out["Wacht op vrijgave"] = frame["pending"] if "pending" in frame else 0
    out["Eindniveau aios (context)"] = frame["summative"].round(2)
    out["Eindniveau: aantal aios"] = frame["summative_n"]
    out["Laatste besluit"] = frame["decision"]
    out["Signalen"] = frame["flags"].map("; ".join)
    return out


def decisions_export(history: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    names = sites.set_index("stageplaats_id")["stageplaats"]
    return pd.DataFrame({
        "Stageplaats": history["stageplaats_id"].map(names),
        "Datum": pd.to_datetime(history["date"]).dt.date,
        "Besluit": history["decision"],
        "Motivering": history["rationale"],
        "Opvolgen op": pd.to_datetime(history["follow_up_date"]).dt.date,
        "Door": history["decided_by"],
    })


def _dates(series: pd.Series) -> pd.Series:
    return _date_or(series, "—")


def epa_table(targets: pd.DataFrame) -> pd.DataFrame:
    """Per EPA of the stageplan: target level against the highest level reached in a KPB."""
    return pd.DataFrame({
        "EPA": targets["epa_code"] + " " + targets["epa_name"],
        "Doelniveau": targets["target_level"],
        "Hoogste niveau in KPB": targets["max_level"].map(lambda v: "nog geen KPB" if pd.isna(v) else str(int(v))),
        "Aantal KPB's": targets["n_kpb"],
    })


EPA_CONFIG = pinned("EPA")


def feedback_requests_table(feedback: pd.DataFrame) -> pd.DataFrame:
    """What the aios asked feedback on (seed 001: "vraag waar de aios feedback op wil"), newest first."""
    asked = feedback[feedback["asked_by_aios"]].iloc[::-1].reset_index(drop=True)
    return pd.DataFrame({
        "Datum": _dates(asked["date"]),
        "Onderwerp": asked["topic"].fillna("—"),
        "Soort": asked["kind"],
        "Van": asked["giver"],
    })


FEEDBACK_REQUESTS_CONFIG = pinned("Datum")


def self_vs_begeleider_table(scores: pd.DataFrame) -> pd.DataFrame:
    """Per moment and criterion the latest self-assessment beside the latest begeleider score
    and their difference (begeleider − zelf, in levels). Formative and summative stay apart."""
    columns = ["Moment", "Criterium", "Zelf", "Begeleider", "Verschil"]
    latest = scores[scores["rater_kind"].isin(["zelf", "begeleider"])].sort_values(["date", "beoordeling_id"])
    latest = latest.groupby(["moment", "position", "criterion", "rater_kind"], as_index=False).last()
    if latest.empty:
        return pd.DataFrame(columns=columns)
    wide = latest.pivot_table(index=["moment", "position", "criterion"], columns="rater_kind",
                              values=["score", "label"], aggfunc="first")
    rows = []
    for (moment, _, criterion), row in wide.iterrows():
        zelf, bg = row.get(("score", "zelf")), row.get(("score", "begeleider"))
        both = pd.notna(zelf) and pd.notna(bg)
        rows.append({
            "Moment": {"tussentijds": "formatief (tussentijds)", "eind": "summatief (eind)"}[moment],
            "Criterium": criterion,
            "Zelf": row.get(("label", "zelf")) if pd.notna(zelf) else "—",
            "Begeleider": row.get(("label", "begeleider")) if pd.notna(bg) else "—",
            "Verschil": (f"{int(bg) - int(zelf):+d}" if bg != zelf else "0") if both else "—",
        })
    order = {"formatief (tussentijds)": 0, "summatief (eind)": 1}
    return pd.DataFrame(rows, columns=columns).sort_values("Moment", key=lambda m: m.map(order), kind="stable", ignore_index=True)


SELF_VS_BEGELEIDER_CONFIG = pinned("Criterium")


def self_vs_begeleider_means_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """The chart of begeleider minus self as a phone reads it: per criterion with pairs the
    number of pairs, both means and the difference, in the chart's words. The same rows and
    figures as the chart: where data_access left the means empty (too few aios), a dash."""
    def direction(d) -> str:
        if pd.isna(d):
            return "—"
        return "begeleider hoger" if d > 0 else ("zelf hoger" if d < 0 else "gelijk")

    shown = pairs[pairs["pairs"] > 0].sort_values("position")
    return pd.DataFrame({
        "Criterium": shown["position"].astype(str) + ". " + shown["criterion"],
        "Paren": shown["pairs"].astype(int),
        "Gemiddeld zelf": _decimal(shown["mean_zelf"]),
        "Gemiddeld begeleider": _decimal(shown["mean_begeleider"]),
        "Verschil (niveaus)": _decimal(shown["difference"], "{:+.2f}"),
        "Richting": shown["difference"].map(direction),
    }).reset_index(drop=True)


def _decimal(series: pd.Series, fmt: str = "{:.2f}") -> pd.Series:
    return series.map(lambda v: "—" if pd.isna(v) else fmt.format(v).replace(".", ","))


def calibration_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Per rater and criterion: their mean, the others', the difference with its interval and
    the verdict in words; judged rows first."""
    ordered = frame.assign(judged=frame["verdict"] != "").sort_values(
        ["judged", "rater", "position"], ascending=[False, True, True])
    return pd.DataFrame({
        "Beoordelaar": ordered["rater"],
        "Criterium": ordered["position"].astype(str) + ". " + ordered["criterion"],
        "n": ordered["n"],
        "Gemiddeld": _decimal(ordered["mean"]),
        "Anderen (n)": _decimal(ordered["others_mean"]) + " (" + ordered["others_n"].astype(str) + ")",
        "Verschil": _decimal(ordered["difference"], "{:+.2f}"),
        "95%-interval": _decimal(ordered["low"], "{:+.2f}") + " tot " + _decimal(ordered["high"], "{:+.2f}"),
        "Oordeel": ordered["reason"],
    }).reset_index(drop=True)


CALIBRATION_CONFIG = pinned("Beoordelaar", "Criterium")


def by_lowest_feedback(frequency: pd.DataFrame) -> pd.DataFrame:
    """Sites or begeleiders in the order their table shows them: lowest feedback first."""
    return frequency.sort_values(["per_aios_week", "name"], na_position="last").reset_index(drop=True)


def feedback_frequency_table(ordered: pd.DataFrame, what: str, min_aios_weeks: int) -> pd.DataFrame:
    """Per site or begeleider (rows as given, see by_lowest_feedback); too few aios-weeks are
    said in words."""
    enough = ordered["aios_weeks"] >= min_aios_weeks
    return pd.DataFrame({
        what: ordered["name"],
        "Per aios-week": _decimal(ordered["per_aios_week"]).where(enough, "te weinig gegevens"),
        "Aios (n)": ordered["aios"],
        "Aios-weken (n)": ordered["aios_weeks"].round(0).astype(int),
        "Momenten": ordered["moments"],
        "KPB": ordered["KPB"], "Gesprek": ordered["gesprek"], "Informeel": ordered["informeel"],
        "Gevraagd door aios": ordered["asked_share"].map(lambda v: "—" if pd.isna(v) else f"{v:.0%}"),
    })


FEEDBACK_FREQUENCY_CONFIG = pinned("Stageplaats", "Begeleider")


def feedback_breakdown_table(breakdown: pd.DataFrame) -> pd.DataFrame:
    """Counts per part of the stage and kind (the committee's drill-down), with n aios."""
    return pd.DataFrame({
        "Deel van de stage": breakdown["band"],
        "Soort": breakdown["kind"],
        "Momenten": breakdown["moments"],
        "Gevraagd door aios": breakdown["asked_by_aios"],
        "Aios (n)": breakdown["aios"],
    })


FEEDBACK_BREAKDOWN_CONFIG = pinned("Deel van de stage")


def feedback_moments_table(moments: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Datum": _dates(moments["date"]),
        "Week": moments["week"],
        "Soort": moments["kind"],
        "Gevraagd door aios": moments["asked_by_aios"].map({True: "ja", False: "nee"}),
        "Van": moments["giver"],
        "Onderwerp": moments["topic"].fillna("—"),
    })


FEEDBACK_MOMENTS_CONFIG = pinned("Datum")
PHONE_WEEKS = 4


def feedback_grid_table(grid: pd.DataFrame) -> pd.DataFrame:
    """The feedback heatmap as a phone reads it: per aios the moments in the last weeks of their
    stage and in all, least feedback first (as the heatmap's rows)."""
    last = grid["week"] > grid.groupby("stage_id")["week"].transform("max") - PHONE_WEEKS
    per_stage = grid.groupby(["stage_id", "aios_name"], as_index=False).agg(totaal=("moments", "sum"))
    recent = grid[last].groupby("stage_id")["moments"].sum().rename("recent")
    table = per_stage.join(recent, on="stage_id").sort_values(["totaal", "aios_name"])
    return pd.DataFrame({
        "Aios": table["aios_name"],
        f"Laatste {PHONE_WEEKS} weken": table["recent"].astype(int),
        "Totaal": table["totaal"].astype(int),
    }).reset_index(drop=True)


FEEDBACK_GRID_CONFIG = pinned("Aios")


def rubric_distribution_table(frame: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """The score distribution as a phone reads it: per criterion its n and the share of each
    level (in the rubric's order); below min_n (or counts withheld) no shares, as in the chart."""
    enough = (frame["n"] >= min_n) & frame["count"].notna()
    data = frame.assign(
        criterium=frame["position"].astype(str) + ". " + frame["criterion"],
        aandeel=(frame["share"] * 100).round().map(lambda v: f"{v:.0f}%" if pd.notna(v) else "").where(enough, "—"),
    )
    levels = data.sort_values("score").drop_duplicates("label")["label"].tolist()
    table = data.pivot_table(index=["position", "criterium", "n"], columns="label", values="aandeel",
                             aggfunc="first").reindex(columns=levels).fillna("—")
    table = table.reset_index().drop(columns="position")
    table.columns.name = None
    return table.rename(columns={"criterium": "Criterium"})


RUBRIC_DISTRIBUTION_CONFIG = pinned("Criterium")


def users_table(users: pd.DataFrame) -> pd.DataFrame:
    """The beheerder's list of accounts: a lock as a Dutch date and time, and no e-mail or no lock as "—"."""
    return pd.DataFrame({
        "Gebruikersnaam": users["username"], "Naam": users["display_name"], "E-mail": users["email"].fillna("—"),
        "Actief": users["active"], "Moet wachtwoord kiezen": users["must_change_password"],
        "Geblokkeerd tot": users["locked_until"].map(lambda t: "—" if pd.isna(t) else f"{t:%d-%m-%Y %H:%M}"),
        "Rollen": users["roles"],
    })


USERS_CONFIG = pinned("Gebruikersnaam")
