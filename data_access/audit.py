"""The audit trail and the data version, written inside the transaction of every write."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, NoReturn

from sqlalchemy import Engine, event, select, update
from sqlalchemy.orm import Session

from data_access.db import write_session
from data_access.errors import AccessDenied
from data_access.logs import get_logger
from data_access.models import AuditLog, DataVersion


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    out = {}
    for key, value in values.items():
        if isinstance(value, enum.Enum):
            value = value.value
        elif isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        out[key] = value
    return out


_log = get_logger("schrijven")


def _writes(session: Session) -> list[dict[str, Any]]:
    return session.info.setdefault("stage_writes", [])


@event.listens_for(Session, "after_commit")
def _log_committed(session: Session) -> None:
    for write in session.info.pop("stage_writes", []):
        _log.info("opgeslagen", extra={**write, "uitkomst": "opgeslagen"})


@event.listens_for(Session, "after_soft_rollback")
def _log_rolled_back(session: Session, _previous) -> None:  # noqa: ANN001 - SQLAlchemy's transaction
    for write in session.info.pop("stage_writes", []):
        _log.warning("teruggedraaid", extra={**write, "uitkomst": "teruggedraaid"})


def record_write(
    session: Session,
    user_id: int | None,
    *,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    bump_version: bool = True,
) -> None:
    """Add an audit row and bump the data version, in the caller's transaction.

    A write and its audit row commit together or not at all; the version bump makes every
    server process's cache miss on its next page run (DESIGN.md rule 7). Logins, logouts and
    failed logins change nothing a page shows (`bump_version=False`): bumping for them made every
    page cold for everyone whenever anyone logged in.
    """
    # The log line follows the transaction's outcome (after commit or rollback); the action and
    # the kind of record only, never what was written.
    _writes(session).append({"actie": action, "entiteit": entity, "gebruiker": user_id})
    session.add(
        AuditLog(
            at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            user_id=user_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            before=_jsonable(before),
            after=_jsonable(after),
        )
    )
    if bump_version:
        session.execute(
            update(DataVersion).where(DataVersion.id == 1).values(version=DataVersion.version + 1)
        )


def refuse(engine: Engine, user_id: int | None, entity: str, entity_id: int | None,
           message: str = "U heeft geen toegang tot deze gegevens.") -> NoReturn:
    """Audit a refused write in a transaction of its own (the refused one wrote nothing), then
    raise AccessDenied with the message the user reads."""
    with write_session(engine) as session, session.begin():
        record_write(session, user_id, action="geweigerd", entity=entity, entity_id=entity_id)
    raise AccessDenied(message)


def load_data_version(engine: Engine) -> int:
    """The tiny query a page runs once to key its caches."""
    with engine.connect() as conn:
        return conn.execute(select(DataVersion.version).where(DataVersion.id == 1)).scalar_one()


EXPORTED = "geëxporteerd"


def record_export(engine: Engine, user_id: int | None, what: str, *, aios_id: int | None = None,
                  details: dict[str, Any] | None = None) -> None:
    """Audit that personal data left the database: who (`user_id`), what (`what`, the kind of
    export, and `details`), about whom (`aios_id` for one aios; lists of aios go in `details`).
    A transaction of its own, written when the file is made. The data version is not bumped:
    an export changes nothing that a page shows (the audit log is read fresh)."""
    with write_session(engine) as session, session.begin():
        session.add(AuditLog(
            at=dt.datetime.now(dt.UTC).replace(tzinfo=None), user_id=user_id, action=EXPORTED,
            entity="aios" if aios_id is not None else "export", entity_id=aios_id,
            after=_jsonable({"soort": what, **(details or {})}),
        ))
