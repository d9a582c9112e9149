"""Validated writes. Each is one transaction with an audit row and a data-version bump."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data_access.audit import record_write
from data_access.errors import AccessDenied, ValidationError
from data_access.models import Leerdoel, LeerdoelHistory, LeerdoelStatus, Role
from data_access.scope import individual_stage_ids
from data_access.viewer import Viewer

# Who may change the stageplan of a stage they can see.
PLAN_EDITORS = {Role.AIOS, Role.STAGEBEGELEIDER, Role.INSTITUUTSOPLEIDER, Role.BEHEERDER}


def _refuse(engine: Engine, viewer: Viewer, entity: str, entity_id: int) -> None:
    """Audit a refused write in its own transaction, then raise."""
    with Session(engine) as session, session.begin():
        record_write(
            session, viewer.user_id, action="geweigerd", entity=entity, entity_id=entity_id
        )
    raise AccessDenied("U heeft geen toegang tot deze gegevens.")


def set_leerdoel_status(
    engine: Engine,
    viewer: Viewer,
    leerdoel_id: int,
    status: LeerdoelStatus,
    *,
    text: str | None = None,
) -> None:
    """Change a leerdoel's status (and optionally its text); the history gets the new state."""
    if text is not None and not text.strip():
        raise ValidationError({"text": "Vul de tekst van het leerdoel in."})
    with Session(engine) as session, session.begin():
        leerdoel = session.execute(
            select(Leerdoel).where(
                Leerdoel.id == leerdoel_id,
                Leerdoel.stage_id.in_(individual_stage_ids(viewer)),
            )
        ).scalar_one_or_none()
        if leerdoel is None or viewer.role not in PLAN_EDITORS:
            allowed = False
        else:
            allowed = True
            before = {"status": leerdoel.status, "text": leerdoel.text}
            leerdoel.status = status
            if text is not None:
                leerdoel.text = text.strip()
            session.add(
                LeerdoelHistory(
                    leerdoel_id=leerdoel.id,
                    changed_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                    changed_by=viewer.user_id,
                    status=leerdoel.status,
                    text=leerdoel.text,
                )
            )
            record_write(
                session,
                viewer.user_id,
                action="gewijzigd",
                entity="leerdoel",
                entity_id=leerdoel.id,
                before=before,
                after={"status": leerdoel.status, "text": leerdoel.text},
            )
    if not allowed:
        _refuse(engine, viewer, "leerdoel", leerdoel_id)
