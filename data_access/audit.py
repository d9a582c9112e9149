"""The audit trail and the data versions, written inside the transaction of every write.

Data versions are kept per area of data (one row each in data_version). A write stamps the areas
its audited entity changes (ENTITY_AREAS, the one table of that mapping); a cached read is keyed
on the stamps of the areas it reads (dashboard/data.py), so a gesprek makes the cohort pages miss
and leaves the Stageplaatsen page's cache alone. The stamps live in the database, so every server
process sees them; a page reads all of them with one tiny query per run.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, NoReturn

from sqlalchemy import Engine, case, event, func, select, update
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

# The areas of data. Each cached read says which it reads (dashboard/data.py).
STRUCTURE = "structure"          # users, roles and links (scope), aios, cohorts, stages, sites, rubrics
PROGRESS = "progress"            # gesprekken, stageplan, leerdoelen, praktijkopdrachten, stageverslag, notes
FEEDBACK = "feedback"            # KPB's, informal feedback moments and requests for feedback
RUBRIC_SCORES = "rubric_scores"  # beoordelingen and their rubric scores
RATINGS = "ratings"              # stageplaats ratings and their release
DECISIONS = "decisions"          # committee decisions, meetings and their items and follow-ups
DATA_AREAS = (STRUCTURE, PROGRESS, FEEDBACK, RUBRIC_SCORES, RATINGS, DECISIONS)

# The audited entity (record_write's `entity`) → the areas a write of it changes. A write of an
# entity not in this table is refused (areas_of), so a new command's first test says to add it.
ENTITY_AREAS: dict[str, tuple[str, ...]] = {
    "user_account": DATA_AREAS,  # roles and links change what every query may show
    "aios": (STRUCTURE,),
    "stageplaats": (DECISIONS,),  # a committee decision on a site
    "stageplaats_beoordeling": (RATINGS,),
    "beoordelingsvrijgave": (RATINGS,),
    "gesprek": (PROGRESS,),  # with rubric scores it also names "beoordeling" (log_gesprek)
    "beoordeling": (RUBRIC_SCORES,),
    "kpb": (FEEDBACK,),
    "feedbackmoment": (FEEDBACK,),
    "feedbackvraag": (FEEDBACK,),  # data_access/feedback_requests.ENTITY
    "dossiernotitie": (PROGRESS,),  # data_access/follow_up
    "voortgangsoverleg": (PROGRESS,),
    "leerdoel": (PROGRESS,),
    "stageplansjabloon": (STRUCTURE,),  # data_access/stageplan_templates
    "stage": (STRUCTURE, PROGRESS),
    "stageplan": (PROGRESS,),
    "praktijkopdracht": (PROGRESS,),
    "stageverslag": (PROGRESS,),
    "vergadering": (DECISIONS,),  # data_access/meetings
    "vergaderpunt": (DECISIONS,),
    "herinnering": (),  # reminder choices are read fresh, never cached
    # An import (data_access.importer, entity = its kind; "aios" above) is rare and broad: every area.
    "stageplaatsen": DATA_AREAS,
    "begeleiders": DATA_AREAS,
    "stages": DATA_AREAS,
    "beoordelingen": DATA_AREAS,
    "rubricscores": DATA_AREAS,
}


def areas_of(entity: str) -> tuple[str, ...]:
    """The data areas a write of `entity` changes. An entity missing from the table is a
    programming error, refused at its first write (its transaction rolls back): a guess would
    either leave a cache stale or make every page cold."""
    try:
        return ENTITY_AREAS[entity]
    except KeyError:
        raise ValueError(f"entity {entity!r} has no data areas: add it to audit.ENTITY_AREAS") from None


def bump_areas(session: Session, areas: set[str] | tuple[str, ...]) -> None:
    """Stamp `areas` with one more than the highest stamp of any area, in the caller's transaction.

    The new stamp is also above the area's own (`version + 1`): two writers of one area in
    PostgreSQL may both read the same MAX before the row lock, and the second must still move it."""
    if not areas:
        return
    top = select(func.max(DataVersion.version)).scalar_subquery() + 1
    mine = DataVersion.version + 1
    session.execute(update(DataVersion).where(DataVersion.area.in_(sorted(areas)))
                    .values(version=case((mine > top, mine), else_=top)))


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
    also: tuple[str, ...] = (),
) -> None:
    """Add an audit row and stamp the data areas of `entity` (and of the entities in `also`,
    written in the same transaction), in the caller's transaction.

    A write and its audit row commit together or not at all; the stamp makes every server
    process's caches of those areas miss on their next page run (DESIGN.md rule 7). Logins,
    logouts, failed logins and refusals change nothing a page shows (`bump_version=False`):
    bumping for them made every page cold for everyone whenever anyone logged in.
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
        bump_areas(session, {area for name in (entity, *also) for area in areas_of(name)})


def refuse(engine: Engine, user_id: int | None, entity: str, entity_id: int | None,
           message: str = "U heeft geen toegang tot deze gegevens.") -> NoReturn:
    """Audit a refused write in a transaction of its own (the refused one wrote nothing), then
    raise AccessDenied with the message the user reads."""
    with write_session(engine) as session, session.begin():
        record_write(session, user_id, action="geweigerd", entity=entity, entity_id=entity_id, bump_version=False)
    raise AccessDenied(message)


def load_data_versions(engine: Engine) -> dict[str, int]:
    """The tiny query a page runs once to key its caches: area → stamp of its last write."""
    with engine.connect() as conn:
        return dict(conn.execute(select(DataVersion.area, DataVersion.version)).all())


def load_data_version(engine: Engine) -> int:
    """The version of the whole database: the newest stamp of any area."""
    return max(load_data_versions(engine).values())


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
