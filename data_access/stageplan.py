"""The stageplan written by the aios ("de aios in the lead", seed 003), approved by the begeleider.

The aios writes leerdoelen holding what a good leerdoel holds (seed 000 #4: what, why, concrete
steps, a realistic target date; a CanMEDS role), then offers the plan for approval ("ter
goedkeuring aanbieden"). A begeleider or opleider of the stage approves it or sends it back with
a remark; the startgesprek approves it the same way (`approve_plan`, called when a startgesprek
is vastgesteld). A leerdoel's row holds the version that counts: a change after approval is the
next version, kept in `draft` and in the history, and counts only once approved.

The plan's state is derived, never stored twice: aangeboden (offered_at is set), teruggestuurd
(a remark and not offered again), goedgekeurd (approved and nothing waiting), else concept.

Leerdoel status: the aios proposes bezig / behaald / bijgesteld; a begeleider or opleider sets it
or confirms the proposal. Praktijkopdrachten: the aios and the begeleider move them through
gepland / bezig / afgerond; only a begeleider or opleider says beoordeeld.

Each write is one transaction with an audit row; refusals are audited; a double submit writes once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, and_, case, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.audit import record_write, refuse
from data_access.db import write_session
from data_access.errors import ValidationError
from data_access.frames import enum_values, read_frame
from data_access.gesprekken import REFUSED, Limits, _Errors, _text, _visible_stage
from data_access.models import (
    Aios,
    CanMedsRole,
    Leerdoel,
    LeerdoelHistory,
    LeerdoelStatus,
    OpdrachtStatus,
    Praktijkopdracht,
    Role,
    Stage,
    Stageplaats,
    Stageplan,
    UserAccount,
)
from data_access.permissions import Action, may
from data_access.scope import individual_stage_condition, individual_stage_ids
from data_access.viewer import Viewer

# Who may say a leerdoel is behaald, confirm a proposal, approve a plan (seed 003: the begeleider).
# A leerdoel's content: the fields a version holds (the row, a draft, a history row).
CONTENT = ("text", "why", "steps", "canmeds_role", "target_date")
CONTENT_LABELS = {"text": "wat", "why": "waarom", "steps": "stappen", "canmeds_role": "CanMEDS-rol",
                  "target_date": "streefdatum"}


class PlanState:
    CONCEPT = "concept"
    AANGEBODEN = "aangeboden"
    GOEDGEKEURD = "goedgekeurd"
    TERUGGESTUURD = "teruggestuurd"


@dataclass(frozen=True)
class LeerdoelInput:
    """What the aios types for one leerdoel (seed 000 #4)."""

    text: str
    why: str
    steps: str
    canmeds_role: CanMedsRole | None
    target_date: dt.date | None
    submit_token: str = ""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _refuse(engine: Engine, viewer: Viewer, entity: str, entity_id: int | None) -> None:
    refuse(engine, viewer.user_id, entity, entity_id, REFUSED)


def _plan(session: Session, stage_id: int, *, lock: bool = False) -> Stageplan | None:
    stmt = select(Stageplan).where(Stageplan.stage_id == stage_id)
    return session.execute(stmt.with_for_update() if lock else stmt).scalar_one_or_none()


def _waiting(session: Session, stage_id: int) -> list[Leerdoel]:
    """Leerdoelen with something the begeleider has not approved yet: new ones, or a new version."""
    return list(session.execute(
        select(Leerdoel).where(Leerdoel.stage_id == stage_id,
                               or_(Leerdoel.awaiting_approval, Leerdoel.draft.is_not(None)))
        .order_by(Leerdoel.id)).scalars())


def _content(leerdoel: Leerdoel) -> dict:
    return {"text": leerdoel.text, "why": leerdoel.why, "steps": leerdoel.steps,
            "canmeds_role": leerdoel.canmeds_role.value, "target_date": leerdoel.target_date.isoformat()
            if leerdoel.target_date else None}


def _history(session: Session, user_id: int, leerdoel: Leerdoel, event: str, content: dict | None = None,
             version: int | None = None, now: dt.datetime | None = None) -> None:
    """One history row: the whole version as it is after the event, who and when."""
    c = content or _content(leerdoel)
    session.add(LeerdoelHistory(
        leerdoel_id=leerdoel.id, changed_at=now or _now(), changed_by=user_id, status=leerdoel.status,
        text=c["text"], why=c["why"], steps=c["steps"], canmeds_role=CanMedsRole(c["canmeds_role"]),
        target_date=dt.date.fromisoformat(c["target_date"]) if c["target_date"] else None,
        version=version or leerdoel.version, event=event))


# --- leerdoelen by the aios -------------------------------------------------------------------


def _check_leerdoel(data: LeerdoelInput, stage: Stage, limits: Limits) -> dict:
    errors = _Errors()
    content = {
        "text": _text(errors, "text", data.text, limits.text, "Beschrijf wat u wilt bereiken."),
        "why": _text(errors, "why", data.why, limits.text, "Schrijf op waarom dit leerdoel voor u belangrijk is."),
        "steps": _text(errors, "steps", data.steps, limits.text, "Noem de concrete stappen waarmee u het bereikt."),
        "canmeds_role": data.canmeds_role.value if data.canmeds_role else None,
        "target_date": data.target_date.isoformat() if data.target_date else None,
    }
    if data.canmeds_role is None:
        errors.add("canmeds_role", "Kies de CanMEDS-rol.")
    if data.target_date is None:
        errors.add("target_date", "Kies een streefdatum.")
    elif not stage.start_date <= data.target_date <= stage.end_date:
        errors.add("target_date", f"Kies een streefdatum binnen de stage ({stage.start_date:%d-%m-%Y} t/m "
                                  f"{stage.end_date:%d-%m-%Y}).")
    errors.raise_if_any()
    return content


OFFERED = "Het stageplan is aangeboden ter goedkeuring; u kunt het weer wijzigen als uw begeleider het heeft goedgekeurd of teruggestuurd."


def write_leerdoel(engine: Engine, viewer: Viewer, stage_id: int, data: LeerdoelInput,
                   limits: Limits = Limits(), *, leerdoel_id: int | None = None) -> int:
    """The aios writes a new leerdoel (`leerdoel_id` None; idempotent by its submit token) or
    changes one. Before its first approval a leerdoel is changed in place; after it, the change
    is the next version, waiting in `draft` while the approved version keeps counting. Only
    while the plan is not offered for approval. Returns the leerdoel's id."""
    if leerdoel_id is None and not data.submit_token:
        raise ValueError("submit_token is required")
    try:
        return _write_leerdoel(engine, viewer, stage_id, data, limits, leerdoel_id)
    except IntegrityError:
        # A concurrent save with the same token won the race: that one is this one.
        with Session(engine) as session:
            found = session.execute(select(Leerdoel.id).where(
                Leerdoel.submit_token == data.submit_token, Leerdoel.stage_id.in_(individual_stage_ids(viewer)))
            ).scalar_one_or_none()
        if found is None:
            raise
        return found


def _write_leerdoel(engine, viewer, stage_id, data, limits, leerdoel_id) -> int:
    with write_session(engine) as session, session.begin():
        stage = _visible_stage(session, viewer, stage_id, lock=True) if may(viewer, Action.LEERDOEL_WRITE) else None
        leerdoel = None
        if stage is not None and leerdoel_id is not None:
            leerdoel = session.execute(select(Leerdoel).where(Leerdoel.id == leerdoel_id,
                                                              Leerdoel.stage_id == stage.id)).scalar_one_or_none()
        if stage is not None and leerdoel_id is None:
            done = session.execute(select(Leerdoel.id, Leerdoel.stage_id).where(
                Leerdoel.submit_token == data.submit_token)).one_or_none()
            if done is not None:
                if done[1] == stage.id:
                    return done[0]
                stage = None  # someone else's token: not the viewer's to learn about
        if stage is not None and (leerdoel_id is None or leerdoel is not None):
            plan = _plan(session, stage.id)
            if plan is not None and plan.offered_at is not None:
                raise ValidationError({"_": OFFERED})
            content = _check_leerdoel(data, stage, limits)
            if leerdoel is None:
                leerdoel = Leerdoel(stage_id=stage.id, text=content["text"], why=content["why"],
                                    steps=content["steps"], canmeds_role=data.canmeds_role,
                                    target_date=data.target_date, status=LeerdoelStatus.GEPLAND, version=1,
                                    awaiting_approval=True, submit_token=data.submit_token)
                session.add(leerdoel)
                session.flush()
                _history(session, viewer.user_id, leerdoel, "geschreven")
                record_write(session, viewer.user_id, action="geschreven", entity="leerdoel", entity_id=leerdoel.id,
                             after={**content, "versie": 1})
                return leerdoel.id
            before = leerdoel.draft or _content(leerdoel)
            if content == before:
                return leerdoel.id  # nothing changed (or the same change sent twice)
            if leerdoel.awaiting_approval:
                leerdoel.text, leerdoel.why, leerdoel.steps = content["text"], content["why"], content["steps"]
                leerdoel.canmeds_role, leerdoel.target_date = data.canmeds_role, data.target_date
                _history(session, viewer.user_id, leerdoel, "gewijzigd")
                action, version = "gewijzigd", leerdoel.version
            elif content == _content(leerdoel):
                leerdoel.draft = None  # changed back to the approved version: nothing waits any more
                _history(session, viewer.user_id, leerdoel, "wijziging ingetrokken")
                action, version = "wijziging ingetrokken", leerdoel.version
            else:
                leerdoel.draft = content
                version = leerdoel.version + 1
                _history(session, viewer.user_id, leerdoel, "nieuwe versie", content, version)
                action = "nieuwe versie"
            record_write(session, viewer.user_id, action=action, entity="leerdoel", entity_id=leerdoel.id,
                         before=before, after={**content, "versie": version})
            return leerdoel.id
    _refuse(engine, viewer, "leerdoel" if leerdoel_id is not None else "stage",
            leerdoel_id if leerdoel_id is not None else stage_id)
    raise AssertionError("unreachable")


# --- offer, approve, send back ----------------------------------------------------------------


def offer_stageplan(engine: Engine, viewer: Viewer, stage_id: int) -> None:
    """The aios offers the stageplan for approval ("ter goedkeuring aanbieden"). Offering an
    offered plan again changes nothing (a double tap)."""
    with write_session(engine) as session, session.begin():
        stage = _visible_stage(session, viewer, stage_id, lock=True) if may(viewer, Action.PLAN_OFFER) else None
        plan = _plan(session, stage.id) if stage is not None else None
        if plan is not None:
            if plan.offered_at is not None:
                return
            count = session.execute(select(func.count()).where(Leerdoel.stage_id == stage.id)).scalar_one()
            waiting = _waiting(session, stage.id)
            if not count:
                raise ValidationError({"_": "Schrijf eerst minstens één leerdoel."})
            if not waiting and plan.approved_at is not None:
                raise ValidationError({"_": "Er is niets nieuws om aan te bieden: het stageplan is goedgekeurd."})
            plan.offered_at = _now()
            plan.return_remark = None
            record_write(session, viewer.user_id, action="aangeboden", entity="stageplan", entity_id=plan.id,
                         after={"leerdoelen": [g.id for g in waiting]})
            return
    _refuse(engine, viewer, "stage", stage_id)


def add_agreed_leerdoel(session: Session, user_id: int, stage_id: int, text: str, canmeds_role: CanMedsRole,
                        now: dt.datetime) -> Leerdoel:
    """A leerdoel agreed in a startgesprek: like one the aios writes, it waits for approval
    (which the same startgesprek may give, through `approve_plan`)."""
    leerdoel = Leerdoel(stage_id=stage_id, text=text, canmeds_role=canmeds_role, status=LeerdoelStatus.GEPLAND,
                        version=1, awaiting_approval=True)
    session.add(leerdoel)
    session.flush()
    _history(session, user_id, leerdoel, "geschreven", now=now)
    return leerdoel


def approve_plan(session: Session, user_id: int, plan: Stageplan, on: dt.date, now: dt.datetime) -> list[int]:
    """Approve a plan in the caller's transaction: new leerdoelen and new versions start to count.
    The one way a plan is approved, on its own or by a vastgesteld startgesprek. Returns the ids
    of the leerdoelen approved now."""
    approved = []
    for leerdoel in _waiting(session, plan.stage_id):
        if leerdoel.draft is not None:
            c = leerdoel.draft
            leerdoel.text, leerdoel.why, leerdoel.steps = c["text"], c["why"], c["steps"]
            leerdoel.canmeds_role = CanMedsRole(c["canmeds_role"])
            leerdoel.target_date = dt.date.fromisoformat(c["target_date"]) if c["target_date"] else None
            leerdoel.version += 1
            leerdoel.draft = None
        leerdoel.awaiting_approval = False
        _history(session, user_id, leerdoel, "goedgekeurd", now=now)
        approved.append(leerdoel.id)
    plan.approved_at, plan.approved_by = on, user_id
    plan.offered_at = plan.return_remark = None
    return approved


def _judged_plan(session: Session, viewer: Viewer, stage_id: int) -> Stageplan | None:
    if not may(viewer, Action.PLAN_APPROVE) or _visible_stage(session, viewer, stage_id, lock=True) is None:
        return None
    return _plan(session, stage_id)


NOT_OFFERED = "Het stageplan is niet aangeboden ter goedkeuring."


def approve_stageplan(engine: Engine, viewer: Viewer, stage_id: int, today: dt.date) -> None:
    """A begeleider or opleider of the stage approves the offered stageplan. Approving it again
    changes nothing (a double tap)."""
    with write_session(engine) as session, session.begin():
        plan = _judged_plan(session, viewer, stage_id)
        if plan is not None:
            if plan.offered_at is None:
                if plan.approved_at is not None and not _waiting(session, stage_id):
                    return
                raise ValidationError({"_": NOT_OFFERED})
            ids = approve_plan(session, viewer.user_id, plan, today, _now())
            record_write(session, viewer.user_id, action="goedgekeurd", entity="stageplan", entity_id=plan.id,
                         after={"leerdoelen": ids, "datum": today})
            return
    _refuse(engine, viewer, "stage", stage_id)


def return_stageplan(engine: Engine, viewer: Viewer, stage_id: int, remark: str, limits: Limits = Limits()) -> None:
    """A begeleider or opleider sends the offered stageplan back with a remark; the aios changes
    it and offers it again. Nothing the aios wrote is lost; an approved version keeps counting."""
    errors = _Errors()
    remark = _text(errors, "remark", remark, limits.text, "Schrijf erbij wat er anders moet.")
    errors.raise_if_any()
    with write_session(engine) as session, session.begin():
        plan = _judged_plan(session, viewer, stage_id)
        if plan is not None:
            if plan.offered_at is None:
                if plan.return_remark == remark:
                    return
                raise ValidationError({"_": NOT_OFFERED})
            plan.offered_at, plan.return_remark = None, remark
            record_write(session, viewer.user_id, action="teruggestuurd", entity="stageplan", entity_id=plan.id,
                         after={"opmerking": remark})
            return
    _refuse(engine, viewer, "stage", stage_id)


# --- leerdoel status ------------------------------------------------------------------------


def _visible_leerdoel(session: Session, viewer: Viewer, leerdoel_id: int) -> Leerdoel | None:
    return session.execute(
        select(Leerdoel).where(Leerdoel.id == leerdoel_id, Leerdoel.stage_id.in_(individual_stage_ids(viewer)))
    ).scalar_one_or_none()


def _enter(session: Session, viewer: Viewer, leerdoel: Leerdoel, status: LeerdoelStatus, action: str) -> None:
    """The leerdoel enters a status: history row, audit row; any pending proposal is settled."""
    before = {"status": leerdoel.status, "text": leerdoel.text}
    leerdoel.status = status
    leerdoel.proposed_status = leerdoel.proposed_by = None
    _history(session, viewer.user_id, leerdoel, f"status {status.value}")
    record_write(session, viewer.user_id, action=action, entity="leerdoel", entity_id=leerdoel.id,
                 before=before, after={"status": leerdoel.status, "text": leerdoel.text})


def apply_status(session: Session, viewer: Viewer, leerdoel: Leerdoel, status: LeerdoelStatus) -> bool:
    """One status change in the caller's transaction: an aios proposes it (the status stays until
    a begeleider or opleider confirms), a begeleider or opleider sets it. False when the viewer
    may not; nothing is written when nothing changes (a resubmit)."""
    if not may(viewer, Action.LEERDOEL_STATUS):
        return False
    if viewer.role is Role.AIOS:
        if status is LeerdoelStatus.GEPLAND:
            return False
        if status in (leerdoel.status, leerdoel.proposed_status):
            return True
        leerdoel.proposed_status, leerdoel.proposed_by = status, viewer.user_id
        record_write(session, viewer.user_id, action="voorgesteld", entity="leerdoel", entity_id=leerdoel.id,
                     before={"status": leerdoel.status}, after={"voorstel": status, "text": leerdoel.text})
        return True
    if not may(viewer, Action.LEERDOEL_CONFIRM):
        return False
    if status is not leerdoel.status or leerdoel.proposed_status is not None:
        _enter(session, viewer, leerdoel, status, "gewijzigd")
    return True


def set_leerdoel_status(engine: Engine, viewer: Viewer, leerdoel_id: int, status: LeerdoelStatus) -> None:
    """Change a leerdoel's status. The aios proposes bezig, behaald or bijgesteld (the status stays;
    `confirm_leerdoel` makes it so); a begeleider or opleider sets any status; nobody else may."""
    with write_session(engine) as session, session.begin():
        leerdoel = _visible_leerdoel(session, viewer, leerdoel_id)
        if leerdoel is not None:
            if viewer.role is Role.AIOS and status is LeerdoelStatus.BEHAALD and leerdoel.status is status:
                raise ValidationError({"status": "Dit leerdoel is al behaald."})
            if apply_status(session, viewer, leerdoel, status):
                return
    refuse(engine, viewer.user_id, "leerdoel", leerdoel_id)


def confirm_leerdoel(engine: Engine, viewer: Viewer, leerdoel_id: int) -> None:
    """A begeleider or opleider confirms the status the aios proposed."""
    with write_session(engine) as session, session.begin():
        leerdoel = _visible_leerdoel(session, viewer, leerdoel_id)
        if leerdoel is not None and may(viewer, Action.LEERDOEL_CONFIRM):
            if leerdoel.proposed_status is None:
                raise ValidationError({"status": "Er is geen voorstel van de aios om te bevestigen."})
            _enter(session, viewer, leerdoel, leerdoel.proposed_status, "bevestigd")
            return
    refuse(engine, viewer.user_id, "leerdoel", leerdoel_id)


def apply_gesprek_statuses(session: Session, viewer: Viewer, stage_id: int,
                           statuses: tuple[tuple[int, LeerdoelStatus | None], ...], errors: _Errors) -> list:
    """The leerdoel statuses chosen in an evaluatie- or eindgesprek form: checked (each leerdoel
    of this stage) and then applied in the gesprek's own transaction by `apply_status`."""
    chosen = [(lid, status) for lid, status in statuses if status is not None]
    goals = {g.id: g for g in session.execute(
        select(Leerdoel).where(Leerdoel.stage_id == stage_id, Leerdoel.id.in_([lid for lid, _ in chosen]))).scalars()}
    for lid, status in chosen:
        if lid not in goals:
            errors.add(f"leerdoel_status_{lid}", "Dit leerdoel hoort niet bij deze stage.")
        elif viewer.role is Role.AIOS and status is LeerdoelStatus.GEPLAND and goals[lid].status is not status:
            errors.add(f"leerdoel_status_{lid}", "Kies bezig, behaald of bijgesteld; uw begeleider bevestigt het.")
    return [(goals[lid], status) for lid, status in chosen if lid in goals]


# --- praktijkopdrachten ---------------------------------------------------------------------



def set_opdracht_status(engine: Engine, viewer: Viewer, opdracht_id: int, status: OpdrachtStatus) -> None:
    """The aios or a begeleider/opleider of the stage moves a praktijkopdracht on; only a begeleider
    or opleider marks it beoordeeld (or changes it once beoordeeld). The same status again writes nothing."""
    with write_session(engine) as session, session.begin():
        opdracht = session.execute(select(Praktijkopdracht).where(
            Praktijkopdracht.id == opdracht_id, Praktijkopdracht.stage_id.in_(individual_stage_ids(viewer)))
        ).scalar_one_or_none()
        if opdracht is not None and may(viewer, Action.OPDRACHT_STATUS):
            if status is opdracht.status:
                return
            if viewer.role is Role.AIOS and OpdrachtStatus.BEOORDEELD in (status, opdracht.status):
                raise ValidationError({"status": "Beoordeeld is het oordeel van uw begeleider."})
            before = {"status": opdracht.status}
            opdracht.status = status
            record_write(session, viewer.user_id, action="gewijzigd", entity="praktijkopdracht",
                         entity_id=opdracht.id, before=before, after={"status": status})
            return
    refuse(engine, viewer.user_id, "praktijkopdracht", opdracht_id)


# --- reads ------------------------------------------------------------------------------------


def _state_column(waiting):
    return case(
        (Stageplan.offered_at.is_not(None), PlanState.AANGEBODEN),
        (Stageplan.return_remark.is_not(None), PlanState.TERUGGESTUURD),
        (and_(Stageplan.approved_at.is_not(None), ~waiting), PlanState.GOEDGEKEURD),
        else_=PlanState.CONCEPT,
    )


def load_stageplans(engine: Engine, viewer: Viewer, *, today: dt.date, stage_id: int | None = None,
                    offered_only: bool = False) -> pd.DataFrame:
    """The stageplannen the viewer may see: one stage's, or the running and coming ones (or only
    those offered for approval). Columns: stage_id, plan_id, aios_name, stageplaats, start_date,
    end_date, approved_at, approved_by, offered_at, return_remark, state, leerdoelen, waiting."""
    waiting = exists().where(Leerdoel.stage_id == Stage.id, or_(Leerdoel.awaiting_approval, Leerdoel.draft.is_not(None)))
    n_goals = select(func.count()).where(Leerdoel.stage_id == Stage.id).scalar_subquery()
    n_waiting = select(func.count()).where(Leerdoel.stage_id == Stage.id, or_(
        Leerdoel.awaiting_approval, Leerdoel.draft.is_not(None))).scalar_subquery()
    aios_user = UserAccount.__table__.alias("aios_user")
    approver = UserAccount.__table__.alias("approver")
    stmt = (
        select(Stage.id.label("stage_id"), Stageplan.id.label("plan_id"), aios_user.c.display_name.label("aios_name"),
               Stageplaats.name.label("stageplaats"), Stage.start_date, Stage.end_date, Stageplan.approved_at,
               approver.c.display_name.label("approved_by"), Stageplan.offered_at, Stageplan.return_remark,
               _state_column(waiting).label("state"), n_goals.label("leerdoelen"), n_waiting.label("waiting"))
        .join(Stageplan, Stageplan.stage_id == Stage.id)
        .join(Aios, Aios.id == Stage.aios_id)
        .join(aios_user, aios_user.c.id == Aios.user_id)
        .join(Stageplaats, Stageplaats.id == Stage.stageplaats_id)
        .outerjoin(approver, approver.c.id == Stageplan.approved_by)
        .where(individual_stage_condition(viewer))
        .order_by(Stage.start_date, Stage.id)
    )
    if stage_id is not None:
        stmt = stmt.where(Stage.id == stage_id)
    else:
        stmt = stmt.where(Stage.end_date >= today)
    if offered_only:
        stmt = stmt.where(Stageplan.offered_at.is_not(None))
    return read_frame(engine, stmt)


def load_plan_leerdoelen(engine: Engine, viewer: Viewer, *, stage_id: int) -> pd.DataFrame:
    """The leerdoelen of one stage with every field of the version that counts, the waiting new
    version (draft_*: empty when none) and the aios' proposed status. Oldest first."""
    stmt = (
        select(Leerdoel.id, Leerdoel.text, Leerdoel.why, Leerdoel.steps, Leerdoel.canmeds_role, Leerdoel.target_date,
               Leerdoel.status, Leerdoel.proposed_status, Leerdoel.version, Leerdoel.awaiting_approval, Leerdoel.draft)
        .where(Leerdoel.stage_id == stage_id, Leerdoel.stage_id.in_(individual_stage_ids(viewer)))
        .order_by(Leerdoel.id)
    )
    frame = enum_values(read_frame(engine, stmt), "canmeds_role", "status", "proposed_status")
    frame["awaiting_approval"] = frame["awaiting_approval"].astype(bool)
    return frame


def load_plan_history(engine: Engine, viewer: Viewer, *, stage_id: int) -> pd.DataFrame:
    """Every version and event of the stage's leerdoelen, oldest first, with what changed against
    the leerdoel's previous row. Columns: leerdoel_id, changed_at, changed_by, event, version,
    status, text, why, steps, canmeds_role, target_date, changed (Dutch field names, or '')."""
    stmt = (
        select(LeerdoelHistory.leerdoel_id, LeerdoelHistory.changed_at, UserAccount.display_name.label("changed_by"),
               LeerdoelHistory.event, LeerdoelHistory.version, LeerdoelHistory.status, LeerdoelHistory.text,
               LeerdoelHistory.why, LeerdoelHistory.steps, LeerdoelHistory.canmeds_role, LeerdoelHistory.target_date)
        .join(Leerdoel, Leerdoel.id == LeerdoelHistory.leerdoel_id)
        .outerjoin(UserAccount, UserAccount.id == LeerdoelHistory.changed_by)
        .where(Leerdoel.stage_id == stage_id, Leerdoel.stage_id.in_(individual_stage_ids(viewer)))
        .order_by(LeerdoelHistory.leerdoel_id, LeerdoelHistory.changed_at, LeerdoelHistory.id)
    )
    frame = enum_values(read_frame(engine, stmt), "status", "canmeds_role")
    changed = []
    previous: dict[int, dict] = {}
    for row in frame.itertuples():
        now = {f: getattr(row, f) for f in CONTENT}
        before = previous.get(row.leerdoel_id)
        changed.append(", ".join(CONTENT_LABELS[f] for f in CONTENT
                                 if before is not None and not _same(before[f], now[f])))
        previous[row.leerdoel_id] = now
    frame["changed"] = changed
    return frame


def _same(a, b) -> bool:
    a_empty, b_empty = a is None or a is pd.NaT or a != a, b is None or b is pd.NaT or b != b  # NaN != NaN
    return a_empty and b_empty if a_empty or b_empty else a == b


def load_plan_opdrachten(engine: Engine, viewer: Viewer, *, stage_id: int) -> pd.DataFrame:
    """Columns: id, title, due_date, status."""
    stmt = (select(Praktijkopdracht.id, Praktijkopdracht.title, Praktijkopdracht.due_date, Praktijkopdracht.status)
            .where(Praktijkopdracht.stage_id == stage_id, Praktijkopdracht.stage_id.in_(individual_stage_ids(viewer)))
            .order_by(Praktijkopdracht.due_date, Praktijkopdracht.id))
    return enum_values(read_frame(engine, stmt), "status")
