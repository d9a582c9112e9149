"""What the dossier shows, built from the fixture's stage 1 (TODAY = 2026-03-02): chart specs,
tables and the one-page PDF read back."""

import dataclasses
import io

import pypdf
import pytest

from dashboard.charts import assessment_chart, epa_levels_chart, stage_timeline_chart
from dashboard.reports import aios_summary_pdf
from dashboard.tables import (
    epa_table,
    feedback_requests_table,
    self_vs_begeleider_table,
)
from data_access.flags import add_flags
from data_access.queries.dossier import load_aios_stages, load_stage_dossier
from data_access.settings import FlagThresholds
from data_access.viewer import viewer_for
from tests.fixture_data import TODAY


@pytest.fixture
def stage_1(fixture_db):
    viewer = viewer_for(fixture_db, "opl1")
    dossier = load_stage_dossier(fixture_db, viewer, 1, TODAY)
    dossier = dataclasses.replace(dossier, progress=add_flags(dossier.progress, TODAY, FlagThresholds()))
    header = load_aios_stages(fixture_db, viewer, 1).set_index("stage_id").loc[1]
    return header, dossier


def _values(spec: dict) -> list[dict]:
    return [v for values in spec["datasets"].values() for v in values]


def test_timeline_marks_every_slot_kpb_and_feedback_with_status(stage_1):
    _, d = stage_1
    row = d.progress.iloc[0]
    spec = stage_timeline_chart(d.slots, d.kpbs, d.feedback, row["start_date"], row["end_date"], TODAY).to_dict()
    assert spec["title"] == {"text": "Tijdlijn van de stage", "subtitle": "Gesprekken n=15 · KPB's n=2 · Feedback n=4"}
    points = [v for v in _values(spec) if "rij" in v]
    by_kind = {}
    for v in points:
        by_kind[v["soort"]] = by_kind.get(v["soort"], 0) + 1
    assert by_kind == {"gehouden": 1, "op tijd": 4, "te laat": 1, "ontbreekt": 4, "verwacht": 5, "KPB": 2, "feedback": 4}
    missing = [v for v in points if v["wat"] == "evaluatiegesprek"]
    assert [(v["soort"], v["detail"]) for v in missing] == [("ontbreekt", "verwacht uiterlijk 26-02-2026, gehouden —")]
    rules = [v["label"] for v in _values(spec) if "label" in v]
    assert rules == ["start", "einde", "vandaag"]


def test_assessment_keeps_formative_and_summative_apart_and_self_beside_begeleider(stage_1):
    _, d = stage_1
    spec = assessment_chart(d.scores).to_dict()
    enc = spec["encoding"]
    assert (enc["color"]["field"], enc["shape"]["field"], enc["yOffset"]["field"]) == ("beoordelaar", "moment", "reeks")
    assert enc["shape"]["scale"] == {"domain": ["formatief (tussentijds)", "summatief (eind)"], "range": ["circle", "square"]}
    # Each line of marks is one rater at one moment: never formative and summative in one series.
    assert sorted({v["reeks"] for v in _values(spec)}) == [
        "Begeleider, formatief (tussentijds)", "Zelfbeoordeling, formatief (tussentijds)"]
    assert self_vs_begeleider_table(d.scores).values.tolist() == [
        ["formatief (tussentijds)", "Medische kennis", "goed", "voldoende", "-1"],
        ["formatief (tussentijds)", "Communicatie", "goed", "goed", "0"],
        ["formatief (tussentijds)", "Samenwerking", "excellent", "goed", "-1"],
    ]


def test_epa_levels_with_target_and_tables(stage_1):
    _, d = stage_1
    spec = epa_levels_chart(d.kpbs, d.epa_targets).to_dict()
    assert spec["title"] == "EPA-niveaus uit KPB's (n=2; streep = doel)"
    values = _values(spec)
    assert sorted(v["supervision_level"] for v in values if "supervision_level" in v) == [2, 3]
    assert sorted((v["epa"], v["target_level"]) for v in values if "target_level" in v) == [
        ("EPA1 Consult", 3), ("EPA2 Overdracht", 2)]
    assert epa_table(d.epa_targets)["Hoogste niveau in KPB"].tolist() == ["3", "nog geen KPB"]
    assert feedback_requests_table(d.feedback)["Datum"].tolist() == ["09-02-2026", "13-01-2026", "06-01-2026"]


def test_summary_pdf_is_one_page_with_the_numbers_flags_and_two_charts(stage_1):
    header, d = stage_1
    reader = pypdf.PdfReader(io.BytesIO(aios_summary_pdf(header, d, TODAY)))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    for expected in (
        "Voortgangsoverzicht — Anna Aios",
        "Arts M&G · MG 2024 · aiosnummer A1",
        "week 9 van 13",
        "Begeleidingsgesprekken 4 van verwacht 7",
        "KPB's 2 van verwacht 3 (doel 6)",
        "evaluatiegesprek 4 dagen over tijd",
        "geen feedback in 21 dagen",
        "zelf excellent, begeleider goed (verschil -1)",
    ):
        assert expected in text, expected
    assert len(reader.pages[0].images) == 2  # the timeline and the EPA chart


def test_gesprekken_per_week_chart_stacks_on_time_late_missing_with_n(stage_1):
    from dashboard.charts import gesprek_weeks_chart
    from data_access.cycle import slots_per_week

    _, d = stage_1
    weeks = slots_per_week(d.slots.assign(stage_id=1), TODAY)
    spec = gesprek_weeks_chart(weeks).to_dict()
    assert spec["title"] == {"text": "Gesprekken per week", "subtitle": "verwacht tot vandaag, n=9"}
    assert spec["encoding"]["color"]["scale"]["domain"] == ["op tijd", "te laat", "ontbreekt"]
    assert sorted((v["status"], v["n"]) for v in _values(spec)) == sorted(
        [("op tijd", 2), ("op tijd", 1), ("op tijd", 1), ("te laat", 1), ("ontbreekt", 1), ("ontbreekt", 1), ("ontbreekt", 2)])
