"""The opleider's follow-up of an aios: notes in the file and "bespreken in voortgangsoverleg".

Only an opleider who follows the aios (their cohort, or the aios by name) and the beheerder may
read or write these; everyone else is refused and the attempt audited. A note is for opleiders:
the aios, their begeleiders and the stagecommissie never read it. A mark puts the aios on the
follow-up list for a date until it is cleared as discussed; an aios has at most one open mark.
Each write is one transaction with an audit row, idempotent by its submit token.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import ColumnElement, Engine, false, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from data_access.audit import record_write, refuse
from data_access.db import write_session
from data_access.errors import ValidationError
from data_access.frames import read_frame
from data_access.models import (
    Aios,
    Cohort,
    DossierNote,
    FollowUpMark,
    Stage,
    StageBegeleider,
    Stagebegeleider,
    UserAccount,
)
from data_access.permissions import Action, may
from data_access.scope import individual_stage_condition
from data_access.settings import Settings
from data_access.viewer import Viewer

REFUSED = "U heeft geen toegang tot het dossier van deze aios."
# How far ahead a voortgangsoverleg may be planned.
MAX_DAYS_AHEAD = 366


def followed_aios_condition(viewer: Viewer) -> ColumnElement[bool]:
    """Condition on Aios: the aios whose follow-up this viewer may read and write. For the
    opleider and the beheerder the stage scope depends on Aios alone, so it applies as it is."""
    if not may(viewer, Action.DOSSIER_NOTE):
        return false()
    return individual_stage_condition(viewer)


def _followed(session: Session, viewer: Viewer, aios_id: int, *, lock: bool = False) -> Aios | None:
    stmt = select(Aios).where(Aios.id == aios_id, followed_aios_condition(viewer))
    # On PostgreSQL the aios row is locked, so two marks of one aios check "one open mark" in turn.
    return session.execute(stmt.with_for_update() if lock else stmt).scalar_one_or_none()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _too_long(value: str, limit: int) -> str | None:
    return f"Deze tekst is te lang: maximaal {limit} tekens (nu {len(value)})." if len(value) > limit else None


def _earlier(session: Session, viewer: Viewer, model, owner, token: str) -> int | None:
    """The record saved earlier with this token when it was this viewer's; refused when it was
    someone else's (their record's id is not this viewer's to learn)."""
    row = session.execute(select(model.id, owner).where(model.submit_token == token)).one_or_none()
    if row is None:
        return None
    if row[1] != viewer.user_id:
        raise PermissionError
    return row[0]


def _once(engine: Engine, viewer: Viewer, model, owner, token: str, aios_id: int, write) -> int:
    """Run `write(session)` once per submit token: a double submit returns the first id."""
    if not token:
        raise ValueError("submit_token is required")
    try:
        with write_session(engine) as session, session.begin():
            earlier = _earlier(session, viewer, model, owner, token)
            if earlier is not None:
                return earlier
            return write(session)
    except PermissionError:
        refuse(engine, viewer.user_id, "aios", aios_id, REFUSED)
    except IntegrityError:
        # A concurrent save with the same token won the race: that one is this one, if it is ours.
        with Session(engine) as session:
            try:
                earlier = _earlier(session, viewer, model, owner, token)
            except PermissionError:
                refuse(engine, viewer.user_id, "aios", aios_id, REFUSED)
        if earlier is None:
            raise
        return earlier


def add_note(engine: Engine, viewer: Viewer, aios_id: int, text: str, submit_token: str,
             limit: int = Settings.text_limit) -> int:
    """A note in the file of an aios, for opleiders only. Returns its id."""
    cleaned = (text or "").strip()

    def write(session: Session) -> int:
        if _followed(session, viewer, aios_id) is None:
            raise PermissionError
        if not cleaned:
            raise ValidationError({"text": "Schrijf de notitie."})
        message = _too_long(cleaned, limit)
        if message:
            raise ValidationError({"text": message})
        note = DossierNote(aios_id=aios_id, author_id=viewer.user_id, written_at=_now(), text=cleaned,
                           submit_token=submit_token)
        session.add(note)
        session.flush()
        record_write(session, viewer.user_id, action="aangemaakt", entity="dossiernotitie", entity_id=note.id,
                     after={"aios_id": aios_id, "tekens": len(cleaned)})
        return note.id

    return _once(engine, viewer, DossierNote, DossierNote.author_id, submit_token, aios_id, write)


def mark_for_follow_up(engine: Engine, viewer: Viewer, aios_id: int, discuss_on: dt.date | None, reason: str,
                       submit_token: str, today: dt.date, limit: int = Settings.text_limit) -> int:
    """Put the aios on the follow-up list for the voortgangsoverleg of `discuss_on`. Returns the
    mark's id. An aios with an open mark cannot be marked again until it is cleared."""
    cleaned = (reason or "").strip()

    def write(session: Session) -> int:
        if _followed(session, viewer, aios_id, lock=True) is None:
            raise PermissionError
        errors: dict[str, str] = {}
        if discuss_on is None:
            errors["discuss_on"] = "Kies de datum van het voortgangsoverleg."
        elif discuss_on < today:
            errors["discuss_on"] = "Deze datum ligt in het verleden; kies de datum van een komend voortgangsoverleg."
        elif discuss_on > today + dt.timedelta(days=MAX_DAYS_AHEAD):
            errors["discuss_on"] = "Deze datum ligt meer dan een jaar vooruit."
        message = _too_long(cleaned, limit)
        if message:
            errors["reason"] = message
        open_on = session.execute(select(FollowUpMark.discuss_on).where(
            FollowUpMark.aios_id == aios_id, FollowUpMark.cleared_at.is_(None))).scalar_one_or_none()
        if open_on is not None:
            errors.setdefault("discuss_on", f"Deze aios staat al op de lijst voor het voortgangsoverleg van "
                                            f"{open_on:%d-%m-%Y}.")
        if errors:
            raise ValidationError(errors)
        mark = FollowUpMark(aios_id=aios_id, discuss_on=discuss_on, reason=cleaned or None, marked_by=viewer.user_id,
                            marked_at=_now(), submit_token=submit_token)
        session.add(mark)
        session.flush()
        record_write(session, viewer.user_id, action="aangemaakt", entity="voortgangsoverleg", entity_id=mark.id,
                     after={"aios_id": aios_id, "bespreken_op": discuss_on})
        return mark.id

    return _once(engine, viewer, FollowUpMark, FollowUpMark.marked_by, submit_token, aios_id, write)


def clear_follow_up(engine: Engine, viewer: Viewer, mark_id: int) -> None:
    """Take the aios off the follow-up list: discussed. Clearing a cleared mark writes nothing."""
    with write_session(engine) as session, session.begin():
        mark = session.execute(
            select(FollowUpMark).join(Aios, Aios.id == FollowUpMark.aios_id)
            .where(FollowUpMark.id == mark_id, followed_aios_condition(viewer))
        ).scalar_one_or_none()
        if mark is not None:
            if mark.cleared_at is None:
                mark.cleared_at, mark.cleared_by = _now(), viewer.user_id
                record_write(session, viewer.user_id, action="besproken", entity="voortgangsoverleg",
                             entity_id=mark.id, before={"bespreken_op": mark.discuss_on},
                             after={"besproken": True})
            return
    refuse(engine, viewer.user_id, "voortgangsoverleg", mark_id, REFUSED)


# --- reads --------------------------------------------------------------------------------------


def load_notes(engine: Engine, viewer: Viewer, aios_id: int) -> pd.DataFrame:
    """The notes in the file of one aios, newest first; empty for anyone who may not read them.
    Columns: id, written_at, author, text."""
    stmt = (
        select(DossierNote.id, DossierNote.written_at, UserAccount.display_name.label("author"), DossierNote.text)
        .join(Aios, Aios.id == DossierNote.aios_id)
        .join(UserAccount, UserAccount.id == DossierNote.author_id)
        .where(DossierNote.aios_id == aios_id, followed_aios_condition(viewer))
        .order_by(DossierNote.written_at.desc(), DossierNote.id.desc())
    )
    return read_frame(engine, stmt)


def load_follow_up_list(engine: Engine, viewer: Viewer, aios_id: int | None = None) -> pd.DataFrame:
    """The open marks (the list for the voortgangsoverleg) of the aios this viewer follows, by
    date; one aios' only with `aios_id`. Columns: mark_id, aios_id, aios_name, cohort,
    discuss_on, reason, marked_by, marked_at."""
    person, marker = aliased(UserAccount), aliased(UserAccount)
    stmt = (
        select(FollowUpMark.id.label("mark_id"), Aios.id.label("aios_id"), person.display_name.label("aios_name"),
               Cohort.name.label("cohort"), FollowUpMark.discuss_on, FollowUpMark.reason,
               marker.display_name.label("marked_by"), FollowUpMark.marked_at)
        .join(Aios, Aios.id == FollowUpMark.aios_id)
        .join(person, person.id == Aios.user_id)
        .join(Cohort, Cohort.id == Aios.cohort_id)
        .join(marker, marker.id == FollowUpMark.marked_by)
        .where(FollowUpMark.cleared_at.is_(None), followed_aios_condition(viewer))
        .order_by(FollowUpMark.discuss_on, person.display_name, FollowUpMark.id)
    )
    if aios_id is not None:
        stmt = stmt.where(Aios.id == aios_id)
    return read_frame(engine, stmt)


def load_begeleider_contacts(engine: Engine, viewer: Viewer, stage_id: int) -> pd.DataFrame:
    """The begeleiders of one stage with their e-mail address (primary first), for a message
    from the opleider. Columns: name, email."""
    stmt = (
        select(UserAccount.display_name.label("name"), UserAccount.email)
        .select_from(StageBegeleider)
        .join(Stagebegeleider, Stagebegeleider.id == StageBegeleider.begeleider_id)
        .join(UserAccount, UserAccount.id == Stagebegeleider.user_id)
        .join(Stage, Stage.id == StageBegeleider.stage_id)
        .join(Aios, Aios.id == Stage.aios_id)
        .where(StageBegeleider.stage_id == stage_id, followed_aios_condition(viewer))
        .order_by(StageBegeleider.is_primary.desc(), UserAccount.display_name)
    )
    return read_frame(engine, stmt)
