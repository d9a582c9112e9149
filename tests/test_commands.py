"""Writes: one transaction with an audit row and a data-version bump; refusals are audited."""

import pytest
from sqlalchemy import func, select

from data_access.audit import load_data_version
from data_access.commands import set_leerdoel_status
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
    viewer = viewer_for(fresh_db, "a1")
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


def test_invalid_input_writes_nothing(fresh_db):
    with pytest.raises(ValidationError) as err:
        set_leerdoel_status(fresh_db, viewer_for(fresh_db, "a1"), 2, LeerdoelStatus.BIJGESTELD, text="   ")
    assert err.value.fields == {"text": "Vul de tekst van het leerdoel in."}
    state = _state(fresh_db)
    assert (state["status"], state["history"], state["audit"], state["version"]) == (LeerdoelStatus.BEZIG, 0, [], 0)
