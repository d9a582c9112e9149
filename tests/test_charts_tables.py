"""Pure chart and table builders, tested through their output (chart.to_dict())."""

import datetime as dt

import pandas as pd
import pytest

from dashboard.charts import group_comparison_chart, rubric_distribution_chart
from dashboard.tables import progress_table, sites_export, sites_table


def _distribution(moment="eind", version=1):
    rows = []
    for score, label, count in ((1, "onvoldoende", 0), (2, "voldoende", 1), (3, "goed", 3), (4, "excellent", 1)):
        rows.append({"rubric": "R", "version": version, "moment": moment, "criterion_id": 1, "position": 1,
                     "criterion": "Medische kennis", "canmeds_role": "Medisch deskundige", "score": score,
                     "label": label, "count": count, "n": 5, "share": count / 5})
    return pd.DataFrame(rows)


def test_rubric_chart_is_dutch_grouped_by_canmeds_role_and_shows_n():
    spec = rubric_distribution_chart(_distribution()).to_dict()
    assert spec["title"] == "Scores per criterium (summatief, versie 1)"
    assert spec["facet"]["row"]["field"] == "canmeds_role"
    encoding = spec["spec"]["encoding"]
    assert encoding["y"]["title"] is None  # the criterion labels carry the meaning
    assert encoding["x"]["title"] == "Aandeel van de scores"
    assert {t["title"] for t in encoding["tooltip"]} >= {"n", "Niveau", "Aantal"}
    values = next(iter(spec["datasets"].values()))
    assert {v["criterium"] for v in values} == {"1. Medische kennis (n=5)"}


def test_a_criterion_below_the_minimum_says_too_little_data_and_draws_no_bar():
    values = next(iter(rubric_distribution_chart(_distribution(), min_n=6).to_dict()["datasets"].values()))
    assert {v["criterium"] for v in values} == {"1. Medische kennis (n=5, te weinig gegevens)"}
    assert {v["count"] for v in values} == {0}


def test_two_groups_side_by_side_on_one_scale_never_mixing_moments():
    spec = group_comparison_chart(_distribution(), "MG 2024", _distribution(), "MG 2025").to_dict()
    assert spec["facet"]["column"]["sort"] == ["MG 2024", "MG 2025"]
    assert spec["spec"]["encoding"]["x"]["stack"] == "normalize"
    with pytest.raises(ValueError, match="nooit samengevoegd"):
        group_comparison_chart(_distribution("eind"), "A", _distribution("tussentijds"), "B")


def test_rubric_chart_refuses_to_pool_formative_and_summative_or_versions():
    both = pd.concat([_distribution("eind"), _distribution("tussentijds")])
    with pytest.raises(ValueError, match="nooit samengevoegd"):
        rubric_distribution_chart(both)
    with pytest.raises(ValueError, match="rubricversies worden nooit samengevoegd"):
        rubric_distribution_chart(pd.concat([_distribution(version=1), _distribution(version=2)]))


def _sites():
    base = {"discipline": "GGD", "region": "Utrecht", "status": "actief", "per_aios_week": 1.234,
            "summative": float("nan"), "summative_n": 0, "decision": None, "decision_date": None, "flags": []}
    a = {d: v for d, v in (("leermogelijkheden", 3.5), ("leerklimaat", 3.25), ("begeleiding", 2.75))}
    a |= {f"{d}_low": v - 0.5 for d, v in list(a.items())} | {f"{d}_high": v + 0.5 for d, v in list(a.items())}
    b = {f"{d}{s}": float("nan") for d in ("leermogelijkheden", "leerklimaat", "begeleiding") for s in ("", "_low", "_high")}
    return pd.DataFrame([base | a | {"stageplaats": "A", "n": 4, "enough": True},
                         base | b | {"stageplaats": "B", "n": 2, "enough": False}])


def test_sites_table_shows_words_below_the_threshold():
    table = sites_table(_sites())
    assert list(table.loc[0, ["Leermogelijkheden", "Leerklimaat", "Begeleiding"]]) == [
        "3,5 (3,0–4,0)", "3,2 (2,8–3,8)", "2,8 (2,2–3,2)"]
    assert set(table.loc[1, ["Leermogelijkheden", "Leerklimaat", "Begeleiding"]]) == {"te weinig beoordelingen (n=2)"}


def test_sites_export_leaves_cells_empty_below_the_threshold_and_says_why():
    export = sites_export(_sites(), 3)
    assert export.loc[0, "Leerklimaat (gemiddeld)"] == 3.25
    numbers = [c for c in export.columns if c.startswith(("Leermogelijkheden", "Leerklimaat", "Begeleiding"))]
    assert export.loc[1, numbers].isna().all()
    assert export.loc[1, "Toelichting"] == "te weinig beoordelingen (n=2); drempel 3"


def test_progress_table_in_words():
    frame = pd.DataFrame([{
        "aios_name": "Anna", "cohort": "MG 2024", "stageplaats": "GGD", "week": 9, "weeks_total": 13,
        "approved_at": None, "n_begeleidingsgesprek": 4, "expected_begeleidingsgesprek": 7,
        "n_evaluatiegesprek": 0, "expected_evaluatiegesprek": 1, "days_since_gesprek": 20,
        "n_startgesprek": 1, "expected_startgesprek": 1, "n_eindgesprek": 0, "expected_eindgesprek": 0,
        "days_since_feedback": pd.NA, "kpb_done": 2, "expected_kpb": 3, "leerdoelen_behaald": 1,
        "leerdoelen_total": 3, "level_tussentijds": 2.6667, "level_eind": float("nan"), "status": "lopend",
        "rating_given": False,
    }])
    row = progress_table(frame).iloc[0]
    assert (row["Week"], row["Stageplan goedgekeurd"], row["Begeleidingsgesprekken"]) == ("9 van 13", "nee", "4 van 7")
    assert (row["Niveau tussentijds (formatief)"], row["Niveau eind (summatief)"]) == ("2,7", "—")
    assert (row["Startgesprek"], row["Eindgesprek"]) == ("1 van 1", "0 van 0")
    assert row["Stageplaats beoordeeld"] == "n.v.t."  # only asked once a stage has ended
    assert (row["Laatste gesprek"], row["Laatste feedback"]) == ("20 dagen geleden", "nog geen")
    frame.loc[0, "approved_at"] = dt.date(2026, 1, 4)
    assert progress_table(frame).iloc[0]["Stageplan goedgekeurd"] == "04-01-2026"


def _flagged_progress():
    return pd.DataFrame([{
        "aios_name": "Anna", "cohort": "MG 2024", "stageplaats": "GGD", "start_date": dt.date(2026, 1, 5),
        "end_date": dt.date(2026, 4, 5), "week": 9, "weeks_total": 13, "approved_at": None,
        "n_begeleidingsgesprek": 4, "expected_begeleidingsgesprek": 7, "n_evaluatiegesprek": 0,
        "n_startgesprek": 1, "n_eindgesprek": 0,
        "last_gesprek": dt.date(2026, 2, 10), "last_feedback": None, "kpb_done": 2, "expected_kpb": 3,
        "leerdoelen_behaald": 1, "leerdoelen_total": 3, "verslag_handed_in": None,
        "level_tussentijds": 2.6667, "level_eind": float("nan"), "status": "afgerond", "rating_given": True,
        "flags": {"kpb": "KPB's achter: 2 van verwacht 3", "stageplan": "stageplan niet goedgekeurd na week 1"},
    }])


def test_excel_export_has_dutch_headers_one_header_row_and_real_dates():
    import io

    import openpyxl

    from dashboard.exports import to_csv_bytes, to_xlsx_bytes
    from dashboard.tables import progress_export

    export = progress_export(_flagged_progress())
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(export, "Cohortoverzicht")))
    sheet = book["Cohortoverzicht"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Aios", "Cohort", "Stageplaats", "Startdatum"]
    row = {h: c.value for h, c in zip(header, sheet[2], strict=True)}
    assert row["Startdatum"] == dt.datetime(2026, 1, 5) and sheet["D2"].is_date
    assert row["Stageplan goedgekeurd op"] is None
    assert row["KPB's gedaan"] == 2
    assert row["Signalen"] == "KPB's achter: 2 van verwacht 3; stageplan niet goedgekeurd na week 1"
    assert sheet.max_row == 2
    csv = to_csv_bytes(export)
    assert csv.startswith(b"\xef\xbb\xbfAios;Cohort;Stageplaats;Startdatum")
    assert b"2026-01-05" in csv


def test_stage_position_chart_has_one_mark_per_aios_with_dutch_labels():
    from dashboard.charts import stage_position_chart

    progress = pd.DataFrame({
        "aios_name": ["Anna", "Bert"], "stageplaats": ["GGD", "Arbo"], "week": [9, 5],
        "weeks_total": [13, 13], "n_begeleidingsgesprek": [4, 0], "expected_begeleidingsgesprek": [7, 0],
        "flag_count": [5, 0],
    })
    spec = stage_position_chart(progress).to_dict()
    assert spec["title"] == "Waar staat elke aios? (n=2)"
    assert spec["encoding"]["x"]["title"] == "Deel van de stage verstreken"
    assert spec["encoding"]["shape"]["field"] == "signalen"  # not colour alone
    rows = {r["aios"]: r for r in next(iter(spec["datasets"].values()))}
    assert rows["Anna"]["voortgang"] == pytest.approx(9 / 13)
    assert rows["Anna"]["gesprekken"] == pytest.approx(4 / 7)
    assert rows["Bert"]["gesprekken"] == 1.0  # nothing expected yet: not behind
    assert (rows["Anna"]["signalen"], rows["Bert"]["signalen"]) == ("met signalen", "zonder signalen")


def test_a_wide_table_keeps_the_column_that_names_a_row_pinned():
    from dashboard.tables import (
        CALIBRATION_CONFIG,
        EPA_CONFIG,
        FEEDBACK_BREAKDOWN_CONFIG,
        FEEDBACK_FREQUENCY_CONFIG,
        FEEDBACK_GRID_CONFIG,
        FEEDBACK_MOMENTS_CONFIG,
        FEEDBACK_REQUESTS_CONFIG,
        RUBRIC_DISTRIBUTION_CONFIG,
        SELF_VS_BEGELEIDER_CONFIG,
        SITES_CONFIG,
        USERS_CONFIG,
    )

    def pins(config: dict) -> set[str]:
        return {name for name, c in config.items() if c.get("pinned")}

    assert pins(SITES_CONFIG) == {sites_table(_sites()).columns[0]} == {"Stageplaats"}
    assert pins(FEEDBACK_FREQUENCY_CONFIG) == {"Stageplaats", "Begeleider"}  # the first column, named by the caller
    assert pins(CALIBRATION_CONFIG) == {"Beoordelaar", "Criterium"}
    assert pins(RUBRIC_DISTRIBUTION_CONFIG) == pins(SELF_VS_BEGELEIDER_CONFIG) == {"Criterium"}
    assert pins(FEEDBACK_GRID_CONFIG) == {"Aios"} and pins(EPA_CONFIG) == {"EPA"}
    assert pins(FEEDBACK_MOMENTS_CONFIG) == pins(FEEDBACK_REQUESTS_CONFIG) == {"Datum"}
    assert pins(FEEDBACK_BREAKDOWN_CONFIG) == {"Deel van de stage"}
    assert pins(USERS_CONFIG) == {"Gebruikersnaam"}


def test_the_users_table_names_each_column_in_dutch_and_a_lock_as_a_dutch_date():
    from dashboard.tables import users_table

    users = pd.DataFrame({
        "user_id": [1, 2], "username": ["bg1", "=cmd()"], "display_name": ["Erik Jansen", "Ans Bos"],
        "email": ["erik@example.org", None], "active": [True, False], "must_change_password": [False, True],
        "locked_until": [pd.Timestamp("2026-11-30 16:05"), None], "roles": ["stagebegeleider", "aios, stagebegeleider"],
    })
    table = users_table(users)
    assert list(table.columns) == ["Gebruikersnaam", "Naam", "E-mail", "Actief", "Moet wachtwoord kiezen",
                                   "Geblokkeerd tot", "Rollen"]
    assert table.to_dict("records") == [
        {"Gebruikersnaam": "bg1", "Naam": "Erik Jansen", "E-mail": "erik@example.org", "Actief": True,
         "Moet wachtwoord kiezen": False, "Geblokkeerd tot": "30-11-2026 16:05", "Rollen": "stagebegeleider"},
        {"Gebruikersnaam": "=cmd()", "Naam": "Ans Bos", "E-mail": "—", "Actief": False,
         "Moet wachtwoord kiezen": True, "Geblokkeerd tot": "—", "Rollen": "aios, stagebegeleider"},
    ]
