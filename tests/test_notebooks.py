"""The notebooks run top to bottom on a fresh demo database and compute what the app shows."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from data_access import clock
from data_access.db import make_engine
from data_access.flags import add_site_flags
from data_access.queries.filters import StageSelection
from data_access.queries.progress import load_stage_progress
from data_access.queries.ratings import load_stageplaats_rating_trend
from data_access.queries.stageplaatsen import load_stageplaats_overview
from data_access.settings import Settings
from data_access.viewer import viewer_for
from tests.demo_db import demo_copy

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_template):
    url = demo_copy(demo_template, tmp_path_factory.mktemp("nb"))
    engine = make_engine(url)
    yield url, engine
    engine.dispose()


def run(name: str, url: str, user: str, out: Path, monkeypatch) -> dict:
    """Execute a notebook (its kernel inherits these variables) and return its last JSON line."""
    monkeypatch.setenv("STAGE_DB_URL", url)
    monkeypatch.setenv("STAGE_NOTEBOOK_USER", user)
    monkeypatch.setenv("STAGE_NOTEBOOK_OUT", str(out))
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code"), "stored without outputs"
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    last = notebook.cells[-1]["outputs"][0]["text"].strip().splitlines()[-1]
    return json.loads(last)


def test_the_annual_report_flags_as_many_sites_as_the_app(demo, tmp_path, monkeypatch):
    url, engine = demo
    result = run("jaarverslag_stageplaatsen.ipynb", url, "commissie", tmp_path, monkeypatch)
    viewer = viewer_for(engine, "commissie")
    threshold = Settings().anonymity_threshold
    overview = load_stageplaats_overview(engine, viewer, threshold=threshold, today=clock.today())
    flagged = add_site_flags(overview, load_stageplaats_rating_trend(engine, viewer, threshold=threshold), Settings().site_min_mean)
    assert result == {"gemarkeerde_stageplaatsen": int((flagged["flag_count"] > 0).sum()), "stageplaatsen": len(flagged)}
    assert result["gemarkeerde_stageplaatsen"] > 0
    assert (tmp_path / "jaarverslag_stageplaatsen.xlsx").exists()


def test_the_cohort_comparison_as_a_begeleider_shows_only_their_aios(demo, tmp_path, monkeypatch):
    url, engine = demo
    result = run("cohortvergelijking.ipynb", url, "begeleider", tmp_path, monkeypatch)
    mine = set(load_stage_progress(engine, viewer_for(engine, "begeleider"),
                                   StageSelection(clock.today(), running_only=False))["aios_id"])
    assert result["aios"] and set(result["aios"]) <= mine
    everyone = run("cohortvergelijking.ipynb", url, "opleider", tmp_path, monkeypatch)
    assert len(everyone["aios"]) > len(result["aios"])
