"""The stagecommissie's meetings: prepared ahead, held item by item, closed.

A meeting belongs to one programme; who may prepare, hold and read it is who may decide on that
programme's stageplaatsen today (permissions.Action.MEETING, scoped by scope.viewer_opleiding_ids and
scope.rated_stageplaats_ids). A decision taken in a meeting is an ordinary committee decision,
written by commands.write_decision in the same transaction as the agenda item's outcome.

Each command is one transaction with an audit row and a data-version bump, validated first with
a Dutch message per field. Preparing a meeting and recording an outcome carry a submit token, so
a double click or a resubmit writes once; starting and closing are idempotent by state.

An outcome names the record it acts on (meeting, agenda item, stageplaats) and is refused when
that is not an item of the meeting being held. Until the meeting closes an outcome can be
corrected: the correction names the outcome it replaces (its submit token), so a form that did not
see the outcome recorded meanwhile cannot overwrite it. The corrected decision is withdrawn (its
audit row keeps it) and the new one acts on the site's status from before the first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, case, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.audit import record_write, refuse
from data_access.commands import (
    TEXT_LIMIT,
    check_decision,
    status_after,
    withdraw_decision,
    write_decision,
)
from data_access.db import write_session
from data_access.errors import ValidationError
from data_access.frames import enum_values, read_frame
from data_access.models import (
    AgendaReason,
    CommitteeDecision,
    Decision,
    ItemStatus,
    Meeting,
    MeetingItem,
    MeetingStatus,
    Opleiding,
    Stageplaats,
    StageplaatsStatus,
    UserAccount,
)
from data_access.permissions import Action, may
from data_access.queries.stageplaatsen import due_follow_ups
from data_access.scope import rated_stageplaats_ids, viewer_opleiding_ids
from data_access.viewer import Viewer

REFUSED = "U heeft geen toegang tot deze vergadering."
CLOSED = "Deze vergadering is gesloten; wat erin is vastgelegd kan niet meer veranderen."
NOT_OPEN = "Open eerst de vergadering; daarna legt u per stageplaats de uitkomst vast."
DECIDED = "Over deze stageplaats is in deze vergadering al besloten."
RECORDED = "Voor deze stageplaats is in deze vergadering al een uitkomst vastgelegd."
CHANGED = ("De uitkomst van dit punt is intussen door iemand anders gewijzigd; er is niets opgeslagen. "
           "Bekijk de uitkomst die nu geldt en corrigeer die zo nodig opnieuw.")
OTHER_ITEM = ("Dit formulier hoort bij een ander agendapunt of een andere vergadering dan de vergadering die "
              "nu wordt gehouden; er is niets opgeslagen.")
DECIDED_SINCE = ("Na dit besluit is over deze stageplaats buiten de vergadering opnieuw besloten; het besluit van "
                 "de vergadering kan daarom niet meer worden gecorrigeerd.")
AGENDA_LIMIT = 30


@dataclass(frozen=True)
class AgendaEntry:
    stageplaats_id: int
    reason: AgendaReason


@dataclass(frozen=True)
class MeetingInput:
    """What the preparation form sends; the agenda in the order it will be discussed."""

    opleiding_id: int | None
    date: dt.date | None
    chair: str
    attendees: str
    agenda: tuple[AgendaEntry, ...]
    submit_token: str
    notes: str = ""


@dataclass(frozen=True)
class OutcomeInput:
    """The outcome of one agenda item: a decision (chosen, never preset) or "besproken zonder
    besluit" (`discussed_only`), with notes for the minutes. `meeting_id` and `stageplaats_id`
    are the meeting and site the form showed; `replaces` is the submit token of the outcome
    this one corrects (None for an item without an outcome)."""

    meeting_id: int
    stageplaats_id: int
    decision: Decision | None
    discussed_only: bool
    rationale: str
    follow_up_date: dt.date | None
    notes: str
    submit_token: str
    replaces: str | None = None


@dataclass(frozen=True)
class SavedOutcome:
    """What recording an outcome did: its decision (None without one), whether it corrected an
    earlier outcome, and the site's status before and after (equal when it did not change)."""

    decision_id: int | None
    stageplaats: str
    status_before: StageplaatsStatus
    status_after: StageplaatsStatus
    corrected: bool = False


def _text(errors: dict, name: str, value: str, required: str | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.setdefault(name, required)
    elif len(value) > TEXT_LIMIT:
        errors.setdefault(name, f"Deze tekst is te lang: maximaal {TEXT_LIMIT} tekens (nu {len(value)}).")
    return value


def _check_meeting(data: MeetingInput) -> tuple[dict[str, str], dict[str, str], tuple[AgendaEntry, ...]]:
    errors: dict[str, str] = {}
    if data.opleiding_id is None:
        errors["opleiding_id"] = "Kies de opleiding van de vergadering."
    if data.date is None:
        errors["date"] = "Kies de datum van de vergadering."
    texts = {
        "chair": _text(errors, "chair", data.chair, "Vul de voorzitter in."),
        "attendees": "\n".join(line.strip() for line in _text(
            errors, "attendees", data.attendees, "Vul de aanwezigen in, één per regel.").splitlines() if line.strip()),
        "notes": _text(errors, "notes", data.notes),
    }
    if len(texts["chair"]) > 200:
        errors["chair"] = f"De naam is te lang: maximaal 200 tekens (nu {len(texts['chair'])})."
    agenda = tuple({e.stageplaats_id: e for e in data.agenda}.values())  # a site once, first place kept
    agenda = tuple(sorted(agenda, key=lambda e: [x.stageplaats_id for x in data.agenda].index(e.stageplaats_id)))
    if not agenda:
        errors["agenda"] = "Zet minstens één stageplaats op de agenda."
    elif len(agenda) > AGENDA_LIMIT:
        errors["agenda"] = f"Zet hoogstens {AGENDA_LIMIT} stageplaatsen op de agenda (nu {len(agenda)})."
    return errors, texts, agenda


def _may_use_opleiding(session: Session, viewer: Viewer, opleiding_id: int | None) -> bool:
    return may(viewer, Action.MEETING) and opleiding_id is not None and session.execute(
        select(Opleiding.id).where(Opleiding.id == opleiding_id, Opleiding.id.in_(viewer_opleiding_ids(viewer)))
    ).first() is not None


def _sites_allowed(session: Session, viewer: Viewer, opleiding_id: int, agenda: tuple[AgendaEntry, ...]) -> bool:
    wanted = {e.stageplaats_id for e in agenda}
    found = set(session.execute(
        select(Stageplaats.id).where(Stageplaats.id.in_(wanted), Stageplaats.opleiding_id == opleiding_id,
                                     Stageplaats.id.in_(rated_stageplaats_ids(viewer)))).scalars())
    return found == wanted


def _visible_meeting(session: Session, viewer: Viewer, meeting_id: int, *, lock: bool = False) -> Meeting | None:
    if not may(viewer, Action.MEETING):
        return None
    stmt = select(Meeting).where(Meeting.id == meeting_id, Meeting.opleiding_id.in_(viewer_opleiding_ids(viewer)))
    return session.execute(stmt.with_for_update() if lock else stmt).scalar_one_or_none()


def _add_items(session: Session, meeting_id: int, agenda: tuple[AgendaEntry, ...]) -> None:
    session.add_all([MeetingItem(meeting_id=meeting_id, stageplaats_id=e.stageplaats_id, position=i,
                                 reason=e.reason, status=ItemStatus.TE_BESPREKEN)
                     for i, e in enumerate(agenda, 1)])


def _audit_after(meeting: Meeting, agenda: tuple[AgendaEntry, ...]) -> dict:
    return {"datum": meeting.date, "status": meeting.status,
            "agenda": [[e.stageplaats_id, e.reason.value] for e in agenda]}


def prepare_meeting(engine: Engine, viewer: Viewer, data: MeetingInput) -> int:
    """A new meeting in preparation, with its agenda in order; the same submit token again
    returns the meeting made the first time."""
    if not data.submit_token:
        raise ValueError("submit_token is required")
    errors, texts, agenda = _check_meeting(data)
    try:
        with write_session(engine) as session, session.begin():
            done = session.execute(select(Meeting.id, Meeting.created_by)
                                   .where(Meeting.submit_token == data.submit_token)).one_or_none()
            if done is not None:
                if done[1] == viewer.user_id:
                    return done[0]
            elif may(viewer, Action.MEETING) and data.opleiding_id is None:
                raise ValidationError(errors)
            elif _may_use_opleiding(session, viewer, data.opleiding_id):
                if errors:
                    raise ValidationError(errors)
                if _sites_allowed(session, viewer, data.opleiding_id, agenda):
                    meeting = Meeting(opleiding_id=data.opleiding_id, date=data.date, chair=texts["chair"],
                                      attendees=texts["attendees"], notes=texts["notes"] or None,
                                      status=MeetingStatus.VOORBEREID, created_by=viewer.user_id,
                                      submit_token=data.submit_token)
                    session.add(meeting)
                    session.flush()
                    _add_items(session, meeting.id, agenda)
                    record_write(session, viewer.user_id, action="voorbereid", entity="vergadering",
                                 entity_id=meeting.id, after=_audit_after(meeting, agenda))
                    return meeting.id
    except IntegrityError:
        # The same token committed by a concurrent submit of this form: that meeting it is.
        with Session(engine) as session:
            done = session.execute(select(Meeting.id, Meeting.created_by)
                                   .where(Meeting.submit_token == data.submit_token)).one_or_none()
        if done is None or done[1] != viewer.user_id:
            raise
        return done[0]
    refuse(engine, viewer.user_id, "vergadering", None, REFUSED)


def change_meeting(engine: Engine, viewer: Viewer, meeting_id: int, data: MeetingInput) -> None:
    """Change a meeting that is still in preparation: date, chair, attendees, notes, agenda.
    The programme stays; once the meeting is held its agenda is what was discussed."""
    errors, texts, agenda = _check_meeting(data)
    errors.pop("opleiding_id", None)
    with write_session(engine) as session, session.begin():
        meeting = _visible_meeting(session, viewer, meeting_id, lock=True)
        if meeting is not None and _sites_allowed(session, viewer, meeting.opleiding_id, agenda):
            if meeting.status is not MeetingStatus.VOORBEREID:
                errors["_"] = CLOSED if meeting.status is MeetingStatus.GESLOTEN else (
                    "Deze vergadering is begonnen: de agenda ligt vast.")
            if errors:
                raise ValidationError(errors)
            before = {"datum": meeting.date, "agenda": [[i.stageplaats_id, i.reason.value] for i in session.execute(
                select(MeetingItem).where(MeetingItem.meeting_id == meeting.id).order_by(MeetingItem.position)).scalars()]}
            meeting.date, meeting.chair, meeting.attendees = data.date, texts["chair"], texts["attendees"]
            meeting.notes = texts["notes"] or None
            session.execute(delete(MeetingItem).where(MeetingItem.meeting_id == meeting.id))
            session.flush()
            _add_items(session, meeting.id, agenda)
            record_write(session, viewer.user_id, action="gewijzigd", entity="vergadering", entity_id=meeting.id,
                         before=before, after=_audit_after(meeting, agenda))
            return
    refuse(engine, viewer.user_id, "vergadering", meeting_id, REFUSED)


def start_meeting(engine: Engine, viewer: Viewer, meeting_id: int) -> None:
    """The chair opens the meeting: from now on outcomes are recorded. Opening an open
    meeting again changes nothing."""
    with write_session(engine) as session, session.begin():
        meeting = _visible_meeting(session, viewer, meeting_id, lock=True)
        if meeting is not None:
            if meeting.status is MeetingStatus.GESLOTEN:
                raise ValidationError({"_": CLOSED})
            if meeting.status is MeetingStatus.VOORBEREID:
                meeting.status = MeetingStatus.BEZIG
                record_write(session, viewer.user_id, action="geopend", entity="vergadering", entity_id=meeting.id,
                             before={"status": MeetingStatus.VOORBEREID}, after={"status": meeting.status})
            return
    refuse(engine, viewer.user_id, "vergadering", meeting_id, REFUSED)


def record_outcome(engine: Engine, viewer: Viewer, item_id: int, data: OutcomeInput, today: dt.date) -> int | None:
    """The outcome of one agenda item of the open meeting (see save_outcome); returns the
    decision's id (None without a decision)."""
    return save_outcome(engine, viewer, item_id, data, today).decision_id


def save_outcome(engine: Engine, viewer: Viewer, item_id: int, data: OutcomeInput, today: dt.date) -> SavedOutcome:
    """The outcome of one agenda item of an open meeting: a committee decision (written by
    commands.write_decision, so the site's status follows it) or "besproken zonder besluit".
    The decision has no default: without one chosen nothing is saved. The item must be the
    form's (`data.meeting_id`, `data.stageplaats_id`) in the meeting being held. An item that has
    an outcome keeps it, unless this one names it in `replaces`: then it is corrected (the earlier
    decision withdrawn, the new one applied to the site's status from before it). The same
    submit again changes nothing and says what is recorded."""
    if not data.submit_token:
        raise ValueError("submit_token is required")
    errors: dict[str, str] = {}
    notes = _text(errors, "notes", data.notes)
    rationale = ""
    if not data.discussed_only:
        rationale = check_decision(data.decision, data.rationale, data.follow_up_date, today, errors)
    elif errors:
        raise ValidationError(errors)
    try:
        with write_session(engine) as session, session.begin():
            item = session.get(MeetingItem, item_id, with_for_update=True)
            meeting = _visible_meeting(session, viewer, item.meeting_id) if item is not None else None
            site = None if meeting is None else session.execute(select(Stageplaats).where(
                Stageplaats.id == item.stageplaats_id, Stageplaats.id.in_(rated_stageplaats_ids(viewer)))
            ).scalar_one_or_none()
            if site is not None:
                if item.submit_token == data.submit_token:
                    return SavedOutcome(item.decision_id, site.name, site.status, site.status)
                if (item.meeting_id, item.stageplaats_id) != (data.meeting_id, data.stageplaats_id):
                    raise ValidationError({"_": OTHER_ITEM})
                if meeting.status is not MeetingStatus.BEZIG:
                    raise ValidationError({"_": CLOSED if meeting.status is MeetingStatus.GESLOTEN else NOT_OPEN})
                if item.submit_token != data.replaces:
                    raise ValidationError({"_": CHANGED if data.replaces is not None else
                                           DECIDED if item.status is ItemStatus.BESLUIT else RECORDED})
                return _write_outcome(session, viewer, meeting, item, site, data, rationale, notes, today)
    except IntegrityError:
        # The same token committed by a concurrent submit of this form: that outcome it is.
        with Session(engine) as session:
            done = session.execute(select(MeetingItem.id, MeetingItem.decision_id, Stageplaats.name, Stageplaats.status)
                                   .join(Stageplaats, Stageplaats.id == MeetingItem.stageplaats_id)
                                   .where(MeetingItem.submit_token == data.submit_token)).one_or_none()
        if done is None or done[0] != item_id:
            raise
        return SavedOutcome(done[1], done[2], done[3], done[3])
    refuse(engine, viewer.user_id, "vergaderpunt", item_id, REFUSED)


def _write_outcome(session: Session, viewer: Viewer, meeting: Meeting, item: MeetingItem, site: Stageplaats,
                   data: OutcomeInput, rationale: str, notes: str, today: dt.date) -> SavedOutcome:
    corrected = item.status is not ItemStatus.TE_BESPREKEN
    now = site.status
    # What the outcome acts on: the site's status before the item's decision, or now. An item
    # decided before migration 0017 has no stored status: the status its decision left.
    base = item.site_status_before if item.decision_id is not None and item.site_status_before is not None else now
    before = {"status": item.status, "besluit_id": item.decision_id}
    if item.decision_id is not None:
        if session.execute(select(CommitteeDecision.id).where(
                CommitteeDecision.stageplaats_id == site.id, CommitteeDecision.id > item.decision_id)).first():
            raise ValidationError({"_": DECIDED_SINCE})
        withdrawn, item.decision_id = item.decision_id, None
        session.flush()  # the item lets go of the decision before it is withdrawn
        withdraw_decision(session, viewer, withdrawn, base)
    item.site_status_before = None
    if not data.discussed_only:
        item.site_status_before = base
        item.decision_id = write_decision(session, viewer, site.id, data.decision, rationale, data.follow_up_date,
                                          today, status_before=base)
    item.status = ItemStatus.BESPROKEN if data.discussed_only else ItemStatus.BESLUIT
    item.notes, item.submit_token = notes or None, data.submit_token
    record_write(session, viewer.user_id, action="gecorrigeerd" if corrected else "besproken", entity="vergaderpunt",
                 entity_id=item.id, before=before, after={"status": item.status, "besluit_id": item.decision_id,
                                                          "vergadering": meeting.id})
    return SavedOutcome(item.decision_id, site.name, now, status_after(data.decision, base), corrected)


def close_meeting(engine: Engine, viewer: Viewer, meeting_id: int, notes: str, now: dt.datetime | None = None) -> None:
    """Close the meeting with its notes: it stays readable, and nothing in it changes again.
    Items not discussed stay "te bespreken" (the minutes say so). Closing twice is once."""
    errors: dict[str, str] = {}
    notes = _text(errors, "notes", notes)
    with write_session(engine) as session, session.begin():
        meeting = _visible_meeting(session, viewer, meeting_id, lock=True)
        if meeting is not None:
            if meeting.status is MeetingStatus.GESLOTEN:
                return
            if errors:
                raise ValidationError(errors)
            before = {"status": meeting.status}
            meeting.status = MeetingStatus.GESLOTEN
            meeting.notes = notes or None
            meeting.closed_at = now or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
            record_write(session, viewer.user_id, action="gesloten", entity="vergadering", entity_id=meeting.id,
                         before=before, after={"status": meeting.status})
            return
    refuse(engine, viewer.user_id, "vergadering", meeting_id, REFUSED)


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingView:
    """One meeting as its page and its pack show it. `items`: id, position, stageplaats_id,
    stageplaats, reason, status, notes, decision_id, decision, rationale, follow_up_date,
    decided_by, site_status (now), site_status_before (before the item's decision),
    status_base (what a new outcome acts on), outcome_token (the recorded outcome's submit
    token, which a correction names)."""

    id: int
    opleiding_id: int
    opleiding: str
    date: dt.date
    chair: str
    attendees: tuple[str, ...]
    notes: str
    status: str
    closed_at: dt.datetime | None
    items: pd.DataFrame


def load_meetings(engine: Engine, viewer: Viewer, *, opleiding_id: int | None = None) -> pd.DataFrame:
    """The meetings the viewer may hold or read, newest first. Columns: id, opleiding_id, date,
    chair, status, items (on the agenda), decided (with a decision), discussed (without)."""
    if not may(viewer, Action.MEETING):
        return pd.DataFrame(columns=["id", "opleiding_id", "date", "chair", "status", "items", "decided", "discussed"])
    def count(status: ItemStatus):
        return func.coalesce(func.sum(case((MeetingItem.status == status, 1), else_=0)), 0)

    stmt = (
        select(Meeting.id, Meeting.opleiding_id, Meeting.date, Meeting.chair, Meeting.status,
               func.count(MeetingItem.id).label("items"),
               count(ItemStatus.BESLUIT).label("decided"), count(ItemStatus.BESPROKEN).label("discussed"))
        .outerjoin(MeetingItem, MeetingItem.meeting_id == Meeting.id)
        .where(Meeting.opleiding_id.in_(viewer_opleiding_ids(viewer)))
        .group_by(Meeting.id, Meeting.opleiding_id, Meeting.date, Meeting.chair, Meeting.status)
        .order_by(Meeting.date.desc(), Meeting.id.desc())
    )
    if opleiding_id is not None:
        stmt = stmt.where(Meeting.opleiding_id == opleiding_id)
    frame = enum_values(read_frame(engine, stmt), "status")
    frame[["items", "decided", "discussed"]] = frame[["items", "decided", "discussed"]].astype(int)
    return frame


def load_meeting(engine: Engine, viewer: Viewer, *, meeting_id: int) -> MeetingView | None:
    """One meeting with its agenda in order; None when the viewer may not see it."""
    if not may(viewer, Action.MEETING):
        return None
    with Session(engine) as session:
        head = session.execute(
            select(Meeting, Opleiding.name.label("opleiding")).join(Opleiding, Opleiding.id == Meeting.opleiding_id)
            .where(Meeting.id == meeting_id, Meeting.opleiding_id.in_(viewer_opleiding_ids(viewer)))
        ).one_or_none()
        session.expunge_all()
    if head is None:
        return None
    stmt = (
        select(MeetingItem.id, MeetingItem.position, MeetingItem.stageplaats_id,
               Stageplaats.name.label("stageplaats"), MeetingItem.reason, MeetingItem.status, MeetingItem.notes,
               MeetingItem.decision_id, CommitteeDecision.decision, CommitteeDecision.rationale,
               CommitteeDecision.follow_up_date, UserAccount.display_name.label("decided_by"),
               Stageplaats.status.label("site_status"), MeetingItem.site_status_before,
               MeetingItem.submit_token.label("outcome_token"))
        .join(Stageplaats, Stageplaats.id == MeetingItem.stageplaats_id)
        .outerjoin(CommitteeDecision, CommitteeDecision.id == MeetingItem.decision_id)
        .outerjoin(UserAccount, UserAccount.id == CommitteeDecision.decided_by)
        .where(MeetingItem.meeting_id == meeting_id)
        .order_by(MeetingItem.position)
    )
    items = enum_values(read_frame(engine, stmt), "reason", "status", "decision", "site_status", "site_status_before")
    # Texts and dates of items without a decision are None, never NaN.
    for col in ("notes", "decision_id", "decision", "rationale", "follow_up_date", "decided_by", "site_status_before",
                "outcome_token"):
        items[col] = items[col].astype(object).where(items[col].notna(), None)
    # The status an outcome of the item acts on: the site's before the item's decision, or now.
    items["status_base"] = [b if d is not None and b is not None else s for s, b, d in zip(
        items["site_status"], items["site_status_before"], items["decision_id"], strict=True)]
    meeting = head[0]
    return MeetingView(
        id=meeting.id, opleiding_id=meeting.opleiding_id, opleiding=head.opleiding, date=meeting.date,
        chair=meeting.chair, attendees=tuple(meeting.attendees.splitlines()), notes=meeting.notes or "",
        status=meeting.status.value, closed_at=meeting.closed_at, items=items)


def open_meeting_id(engine: Engine, viewer: Viewer) -> int | None:
    """The meeting being held now (the newest open one), where the committee lands."""
    if not may(viewer, Action.MEETING):
        return None
    with engine.connect() as conn:
        return conn.execute(
            select(Meeting.id).where(Meeting.status == MeetingStatus.BEZIG,
                                     Meeting.opleiding_id.in_(viewer_opleiding_ids(viewer)))
            .order_by(Meeting.date.desc(), Meeting.id.desc()).limit(1)
        ).scalar_one_or_none()


def agenda_reasons(overview: pd.DataFrame, today: dt.date) -> dict[int, AgendaReason]:
    """The next meeting's suggested agenda, in order: every site whose follow-up is due, then
    every flagged site (rows of the flagged stageplaats overview, worst first)."""
    reasons = {int(s): AgendaReason.OPVOLGING for s in due_follow_ups(overview, today)["stageplaats_id"]}
    for site in overview.loc[overview["flag_count"] > 0, "stageplaats_id"]:
        reasons.setdefault(int(site), AgendaReason.SIGNAAL)
    return reasons
