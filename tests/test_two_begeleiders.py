"""Two begeleiders at one site (S1: bg1, and bg4 from add_second_begeleider): each sees the
stages placed with them, not every stage at their site; site rating aggregates (from n >= 3,
anonymous) are the site's, and both see them."""

import pytest

from data_access.errors import AccessDenied
from data_access.gesprekken import GesprekInput, confirm_gesprek, confirm_kpb, log_gesprek
from data_access.models import GesprekType
from data_access.queries.dossier import load_dossier_aios, load_stage_dossier
from data_access.queries.feedback import load_feedback_frequency, load_feedback_per_week
from data_access.queries.filters import StageSelection
from data_access.queries.forms import load_drafts, load_pending_kpbs
from data_access.queries.progress import load_stage_progress
from data_access.queries.ratings import load_stageplaats_ratings
from data_access.viewer import viewer_for
from tests.fixture_data import STAGE_9_CONCEPT_KPB, STAGE_9_DRAFT_GESPREK, TODAY, add_second_begeleider

SEES = {"bg1": {1, 2, 6, 7, 8}, "bg4": {9}}
AIOS = {"bg1": {1, 2, 3}, "bg4": {5}}


@pytest.fixture
def two_at_s1(fresh_db):
    add_second_begeleider(fresh_db)
    return fresh_db


@pytest.mark.parametrize("username", ["bg1", "bg4"])
def test_each_begeleider_at_a_shared_site_sees_only_the_stages_placed_with_them(two_at_s1, username):
    engine, viewer = two_at_s1, viewer_for(two_at_s1, username)
    progress = load_stage_progress(engine, viewer, StageSelection(TODAY, running_only=False))
    assert set(progress["stage_id"]) == SEES[username]
    assert set(load_dossier_aios(engine, viewer)["aios_id"]) == AIOS[username]
    for stage_id in (1, 9):
        assert (load_stage_dossier(engine, viewer, stage_id, TODAY) is not None) == (stage_id in SEES[username])
    per_week = load_feedback_per_week(engine, viewer, StageSelection(TODAY, running_only=False))
    assert set(per_week["stage_id"]) == SEES[username] & {1, 9}
    by_site = load_feedback_frequency(engine, viewer, by="stageplaats", today=TODAY)
    assert (set(by_site["group_id"]), int(by_site["stages"].sum())) == ({1}, len(SEES[username]))
    assert load_drafts(engine, viewer)["id"].tolist() == ([STAGE_9_DRAFT_GESPREK] if username == "bg4" else [])
    assert load_pending_kpbs(engine, viewer)["id"].tolist() == ([STAGE_9_CONCEPT_KPB] if username == "bg4" else [])
    # The site's anonymous rating aggregate is the site's: both begeleiders at S1 see it.
    assert set(load_stageplaats_ratings(engine, viewer, threshold=3)["stageplaats_id"]) == {1}


def test_a_begeleider_cannot_write_in_a_stage_at_their_site_placed_with_someone_else(two_at_s1):
    bg1 = viewer_for(two_at_s1, "bg1")
    with pytest.raises(AccessDenied):
        log_gesprek(two_at_s1, bg1, GesprekInput(9, GesprekType.BEGELEIDINGSGESPREK, TODAY, "x", verslag="x"), TODAY)
    with pytest.raises(AccessDenied):
        confirm_gesprek(two_at_s1, bg1, STAGE_9_DRAFT_GESPREK)
    with pytest.raises(AccessDenied):
        confirm_kpb(two_at_s1, bg1, STAGE_9_CONCEPT_KPB, 3, "Gezien.")
    confirm_gesprek(two_at_s1, viewer_for(two_at_s1, "bg4"), STAGE_9_DRAFT_GESPREK)
    confirm_kpb(two_at_s1, viewer_for(two_at_s1, "bg4"), STAGE_9_CONCEPT_KPB, 3, "Gezien.")
