"""With 2 ratings nothing identifying appears anywhere; with 3 it does (threshold 3).

Site 2 (Arbodienst Zuid) has one rating in the fixture (stage 5: 4, 4, 4, "Top."); the tests
add stages with ratings there and read back every place a rating could surface: the overview
table, the chart specs, the comment list, the Excel export and the meeting pack's PDF text.
"""

import datetime as dt
import io

import openpyxl
import pypdf
import pytest
from sqlalchemy.orm import Session

from dashboard.charts import rating_distribution_chart, rating_trend_chart, site_comparison_chart
from dashboard.exports import to_xlsx_sheets
from dashboard.reports import meeting_pack_pdf
from dashboard.tables import decisions_export, sites_export, sites_table
from data_access import models as m
from data_access.flags import add_site_flags
from data_access.queries.ratings import (
    load_rating_distribution,
    load_stageplaats_comments,
    load_stageplaats_rating_trend,
)
from data_access.queries.stageplaatsen import load_decisions, load_stageplaats_overview
from data_access.viewer import viewer_for
from tests.fixture_data import D, TODAY

SECRET = "Geheime opmerking van één aios"


def _add_ratings(engine, count: int, released: bool = True) -> None:
    """`count` more ended stages at site 2 with a rating (5, 1, 2) and SECRET as comment,
    released together as one batch (as if the threshold had been `count`) or left pending."""
    with Session(engine) as s, s.begin():
        release_id = None
        if released:
            release = m.RatingRelease(stageplaats_id=2, released_at=dt.datetime(2025, 12, 2), size=count)
            s.add(release)
            s.flush()
            release_id = release.id
        for i in range(count):
            sid = 30 + i
            s.add(m.Stage(id=sid, aios_id=2, stageplaats_id=2, start_date=D(2025, 1, 6), end_date=D(2025, 4, 6),
                          fte=1.0, status=m.StageStatus.AFGEROND))
            s.flush()
            s.add(m.StageplaatsRating(id=sid, stage_id=sid, leermogelijkheden=5, leerklimaat=1, begeleiding=2,
                                      comment=f"{SECRET} {i}", submitted_at=D(2025, 12, 1), release_id=release_id))


def _everything_shown(engine) -> str:
    """Every text a user could get about site 2, as one string."""
    viewer = viewer_for(engine, "com1")
    overview = load_stageplaats_overview(engine, viewer, threshold=3, today=TODAY)
    trend = load_stageplaats_rating_trend(engine, viewer, threshold=3)
    flagged = add_site_flags(overview, trend, 3.0)
    site = flagged[flagged["stageplaats_id"] == 2]
    distribution = load_rating_distribution(engine, viewer, threshold=3, stageplaats_ids=(2,))
    comments = load_stageplaats_comments(engine, viewer, stageplaats_id=2, threshold=3)
    history = load_decisions(engine, viewer, (2,))
    parts = [
        sites_table(site).to_string(),
        str(site_comparison_chart(flagged).to_dict()),
        str(rating_trend_chart(trend[trend["stageplaats_id"] == 2]).to_dict()),
        str(rating_distribution_chart(distribution).to_dict()),
        " ".join(comments),
    ]
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx_sheets(
        {"Stageplaatsen": sites_export(site, 3), "Besluiten": decisions_export(history, site)})))
    parts += [str(c.value) for ws in workbook for row in ws.iter_rows() for c in row if c.value is not None]
    pdf = meeting_pack_pdf(site, trend, distribution, {2: comments}, history, 3, TODAY)
    parts += [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    return "\n".join(parts)


@pytest.mark.parametrize(("added", "visible"), [(1, False), (2, True)])
def test_nothing_identifying_below_the_threshold_and_everything_from_it(fresh_db, added, visible):
    _add_ratings(fresh_db, added)  # site 2 now has 1 + added ratings
    shown = _everything_shown(fresh_db)
    n = 1 + added
    # Means of site 2 with n ratings: (4 + 5·k)/n, (4 + 1·k)/n, (4 + 2·k)/n.
    means = [f"{(4 + v * added) / n:.1f}".replace(".", ",") for v in (5, 1, 2)]
    assert (SECRET in shown) is visible
    assert ("Top." in shown) is visible
    assert all((mean in shown) is visible for mean in means), means
    assert (f"te weinig beoordelingen (n={n})" in shown) is not visible


def test_pending_ratings_show_nowhere_but_their_count(fresh_db):
    """Two more ratings of site 2, not yet released: n stays 1, nothing of theirs appears."""
    _add_ratings(fresh_db, 2, released=False)
    shown = _everything_shown(fresh_db)
    assert SECRET not in shown and "Top." not in shown
    assert "te weinig beoordelingen (n=1)" in shown
    assert "2 nieuwe beoordeling(en) wachten op vrijgave" in " ".join(shown.split())


def test_the_meeting_pack_holds_exactly_the_chosen_sites(fixture_db):
    viewer = viewer_for(fixture_db, "com1")
    overview = load_stageplaats_overview(fixture_db, viewer, threshold=3, today=TODAY)
    trend = load_stageplaats_rating_trend(fixture_db, viewer, threshold=3)
    chosen = add_site_flags(overview, trend, 3.0).query("stageplaats_id in (1, 2)")
    pdf = meeting_pack_pdf(chosen, trend, load_rating_distribution(fixture_db, viewer, threshold=3), {}, load_decisions(fixture_db, viewer), 3, TODAY)
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 2
    assert pages[0].startswith("GGD Noord") and pages[1].startswith("Arbodienst Zuid")
    assert "Praktijk West" not in " ".join(pages)
    assert "Te weinig beoordelingen (n=1; drempel 3)" in " ".join(pages[1].split())
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx_sheets({"Stageplaatsen": sites_export(chosen, 3)})))
    assert [r[0] for r in workbook["Stageplaatsen"].iter_rows(min_row=2, values_only=True)] == ["GGD Noord", "Arbodienst Zuid"]
