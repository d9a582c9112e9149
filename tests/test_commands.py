"""Writes: one transaction with an audit row and a data-version bump; refusals are audited."""

import pytest
from sqlalchemy import func, select

from data_access.audit import load_data_version
from data_access.commands import confirm_leerdoel, set_leerdoel_status
from data_access.errors import AccessDenied, ValidationError
from data_access.models import AuditLog, Leerdoel, LeerdoelHistory, LeerdoelStatus
from data_access.viewer import viewer_for


def _state(engine):
    with engine.connect() as conn:
        return {
            "status": conn.execute(select(Leerdoel.status).where(Leerdoel.id == 2)).scalar_one(),
            "history": conn.execute(
                select(func.count()).select_from(LeerdoelHistory).where(LeerdoelHistory.leerdoel_id == 2)
            ).scalar_one(),
            "audit": conn.execute(select(AuditLog.action, AuditLog.entity, AuditLog.entity_id,
                                         AuditLog.user_id, AuditLog.before, AuditLog.after)).all(),
            "version": load_data_version(engine),
        }


def test_status_change_writes_history_audit_and_version_together(fresh_db):
    viewer = viewer_for(fresh_db, "bg1")  # behaald is the begeleider's to give (issue 13)
    set_leerdoel_status(fresh_db, viewer, 2, LeerdoelStatus.BEHAALD)
    state = _state(fresh_db)
    assert state["status"] is LeerdoelStatus.BEHAALD
    assert state["history"] == 1
    assert state["version"] == 1
    assert state["audit"] == [(
        "gewijzigd", "leerdoel", 2, viewer.user_id,
        {"status": "bezig", "text": "Leerdoel 2"}, {"status": "behaald", "text": "Leerdoel 2"},
    )]


@pytest.mark.parametrize("username", ["a3", "bg2", "com1", "opl2"])
def test_change_for_someone_elses_aios_is_refused_and_audited(fresh_db, username):
    viewer = viewer_for(fresh_db, username)
    with pytest.raises(AccessDenied):
        set_leerdoel_status(fresh_db, viewer, 2, LeerdoelStatus.BEHAALD)
    state = _state(fresh_db)
    assert state["status"] is LeerdoelStatus.BEZIG
    assert state["history"] == 0
    assert state["audit"] == [("geweigerd", "leerdoel", 2, viewer.user_id, None, None)]
    assert state["version"] == 0  # a refusal changes no data: no cache goes cold


def test_invalid_input_writes_nothing(fresh_db):
    """Leerdoel 1 is behaald already; proposing it again is refused with a message."""
    with pytest.raises(ValidationError) as err:
        set_leerdoel_status(fresh_db, viewer_for(fresh_db, "a1"), 1, LeerdoelStatus.BEHAALD)
    assert err.value.fields == {"status": "Dit leerdoel is al behaald."}
    state = _state(fresh_db)
    assert (state["status"], state["history"], state["audit"], state["version"]) == (LeerdoelStatus.BEZIG, 0, [], 0)


def _proposal(engine):
    with engine.connect() as conn:
        return tuple(conn.execute(select(Leerdoel.status, Leerdoel.proposed_status, Leerdoel.proposed_by)
                                  .where(Leerdoel.id == 2)).one())


def test_an_aios_proposes_behaald_and_only_the_begeleider_or_opleider_confirms_it(fresh_db):
    """Leerdoel 2 (stage 1: a1, bg1, cohort of opl1) is 'bezig'; the cohort table counts 1 behaald."""
    from data_access.queries.filters import StageSelection
    from data_access.queries.progress import load_stage_progress
    from tests.fixture_data import TODAY

    a1, bg1, opl1, admin = (viewer_for(fresh_db, u) for u in ("a1", "bg1", "opl1", "admin"))

    def behaald():
        return int(load_stage_progress(fresh_db, bg1, StageSelection(TODAY)).set_index("stage_id").loc[1, "leerdoelen_behaald"])

    set_leerdoel_status(fresh_db, a1, 2, LeerdoelStatus.BEHAALD)
    assert _proposal(fresh_db) == (LeerdoelStatus.BEZIG, LeerdoelStatus.BEHAALD, a1.user_id)
    assert (behaald(), _state(fresh_db)["history"]) == (1, 0)  # a proposal counts nowhere
    for viewer in (a1, admin):  # the aios cannot confirm their own proposal, nor can the beheerder
        with pytest.raises(AccessDenied):
            confirm_leerdoel(fresh_db, viewer, 2)
    with pytest.raises(AccessDenied):  # nor set behaald directly
        set_leerdoel_status(fresh_db, admin, 2, LeerdoelStatus.BEHAALD)
    confirm_leerdoel(fresh_db, bg1, 2)
    assert _proposal(fresh_db) == (LeerdoelStatus.BEHAALD, None, None)
    assert (behaald(), _state(fresh_db)["history"]) == (2, 1)
    with pytest.raises(ValidationError) as err:
        confirm_leerdoel(fresh_db, opl1, 2)
    assert err.value.fields == {"status": "Er is geen voorstel van de aios om te bevestigen."}
    assert [a[:4] for a in _state(fresh_db)["audit"]] == [
        ("voorgesteld", "leerdoel", 2, a1.user_id), ("geweigerd", "leerdoel", 2, a1.user_id),
        ("geweigerd", "leerdoel", 2, admin.user_id), ("geweigerd", "leerdoel", 2, admin.user_id),
        ("bevestigd", "leerdoel", 2, bg1.user_id)]


def test_an_aios_proposes_bijgesteld_too_and_a_new_proposal_replaces_the_old(fresh_db):
    """Issue 15: the aios proposes bezig, behaald or bijgesteld; the begeleider confirms. (A new
    text is a new version of the leerdoel: stageplan.write_leerdoel, tests/test_stageplan.py.)"""
    a1 = viewer_for(fresh_db, "a1")
    set_leerdoel_status(fresh_db, a1, 2, LeerdoelStatus.BEHAALD)
    set_leerdoel_status(fresh_db, a1, 2, LeerdoelStatus.BIJGESTELD)
    assert _proposal(fresh_db) == (LeerdoelStatus.BEZIG, LeerdoelStatus.BIJGESTELD, a1.user_id)
    confirm_leerdoel(fresh_db, viewer_for(fresh_db, "bg1"), 2)
    assert _proposal(fresh_db) == (LeerdoelStatus.BIJGESTELD, None, None)
