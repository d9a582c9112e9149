"""Planning and carrying out an import, for the beheerder only.

`plan_import` (the dry run) and `run_import` run the same planner; the import plans again inside
its own transaction and writes only when that plan has no problems, so an import that passed
its dry run on an unchanged database cannot fail on the file. A database error is caught,
logged, and becomes a Dutch problem; the transaction rolls back and nothing is written. One
audit row per import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from data_access import clock
from data_access.audit import record_export, record_write, refuse
from data_access.db import write_session
from data_access.importer.kinds import KINDS
from data_access.importer.plan import Context, Plan, Problem
from data_access.logs import get_logger
from data_access.permissions import Action, may
from data_access.viewer import Viewer

log = get_logger("import")  # the operators' log (text or JSON), like every other part
DATABASE_ERROR = ("De database weigerde het importeren; er is niets opgeslagen. Probeer het opnieuw; blijft dit "
                  "gebeuren, neem dan contact op met de beheerder van de server.")


def _context(today: dt.date | None) -> Context:
    from data_access.settings import load_settings

    settings = load_settings()
    return Context(today or clock.today(settings), settings.gesprek_date_margin_days)


def _only_beheerder(engine: Engine, viewer: Viewer, kind: str) -> None:
    if not may(viewer, Action.BEHEER):
        refuse(engine, viewer.user_id, f"import {kind}", None, "Alleen de beheerder mag importeren.")


def plan_import(engine: Engine, viewer: Viewer, kind: str, frame: pd.DataFrame, today: dt.date | None = None) -> Plan:
    """What importing `frame` as `kind` would do; nothing is imported (one audit row says who
    looked at which kind of file)."""
    _only_beheerder(engine, viewer, kind)
    plan = Plan(kind)
    try:
        with Session(engine) as session:
            KINDS[kind].plan(session, plan, frame, _context(today))
    except SQLAlchemyError:
        log.exception("proefimport mislukt", extra={"soort": kind})
        plan.problems.append(Problem(0, "", DATABASE_ERROR))
        return plan
    return _shown(engine, viewer, plan)


def _shown(engine: Engine, viewer: Viewer, plan: Plan) -> Plan:
    """A plan that is shown without being carried out (a dry run, a refused or an unchanged
    import) shows personal data from the database beside the file's: audited like an export."""
    record_export(engine, viewer.user_id, f"proefimport {plan.kind}", details={"rijen": plan.rows})
    return plan


def run_import(engine: Engine, viewer: Viewer, kind: str, frame: pd.DataFrame, filename: str,
               today: dt.date | None = None, progress: Callable[[float], None] | None = None) -> Plan:
    """Plan and, only when the plan has no problems, carry it out in one transaction with one
    audit row. A plan with problems or nothing to change writes nothing but the audit row of a
    shown plan (_shown).
    `progress(share)` is called with 0..1 while writing."""
    _only_beheerder(engine, viewer, kind)
    plan = Plan(kind)
    try:
        with write_session(engine) as session, session.begin():
            KINDS[kind].plan(session, plan, frame, _context(today))
            writes = plan.writes
            if plan.problems or not writes:
                session.rollback()
                return _shown(engine, viewer, plan)
            done = 0

            def tick(n: int) -> None:
                nonlocal done
                done += n
                if progress:
                    progress(min(done / len(writes), 1.0) * 0.95)
            KINDS[kind].write(session, writes, tick)
            record_write(session, viewer.user_id, action="geïmporteerd", entity=kind, entity_id=None,
                         after={"bestand": filename} | plan.counts)
    except SQLAlchemyError:
        log.exception("import mislukt", extra={"soort": kind})
        plan.problems.append(Problem(0, "", DATABASE_ERROR))
        return plan
    if progress:
        progress(1.0)
    return plan
