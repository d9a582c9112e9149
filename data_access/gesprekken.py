"""Logging gesprekken, KPB's and feedback moments: the product's main write path.

Each save is one transaction with an audit row and a data-version bump, validated first with a
Dutch message per field, and idempotent by its submit token (a double click or a resubmit saves
once). Workflow: the aios drafts a verslag (concept); a begeleider or opleider confirms it
(vastgesteld) or sends it back with a remark; what they log themselves is vastgesteld at once.
A vastgesteld verslag is never edited: a correction is a new version that supersedes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.audit import record_write, refuse
from data_access.cycle import before_end_text, days_early
from data_access.db import write_session
from data_access.errors import ValidationError
from data_access.feedback_requests import NotAddressed, link_answer
from data_access.models import (
    Aios,
    Beoordeling,
    CanMedsRole,
    Epa,
    FeedbackKind,
    FeedbackMoment,
    Gesprek,
    GesprekStatus,
    GesprekType,
    Kpb,
    KpbInitiator,
    LeerdoelStatus,
    Moment,
    OpSchema,
    RaterKind,
    Role,
    Rubric,
    RubricCriterion,
    RubricScore,
    Stage,
    Stageplan,
)
from data_access.permissions import Action, may
from data_access.queries.progress import is_current_gesprek
from data_access.scope import individual_stage_condition
from data_access.settings import Settings
from data_access.viewer import Viewer

# A kennismaking is "ideally before the start": it may lie this far before the stage.
KENNISMAKING_DAYS_BEFORE = 90
MOMENT_OF = {GesprekType.EVALUATIEGESPREK: Moment.TUSSENTIJDS, GesprekType.EINDGESPREK: Moment.EIND}


@dataclass(frozen=True)
class NewLeerdoel:
    text: str
    canmeds_role: CanMedsRole


@dataclass(frozen=True)
class GesprekInput:
    """What a form sends. Which fields count depends on the type (see `_check`)."""

    stage_id: int
    type: GesprekType
    date: dt.date | None
    submit_token: str
    verslag: str = ""
    afspraken: str = ""
    op_schema: OpSchema | None = None
    wat_gaat_goed: str = ""
    wat_kan_beter: str = ""
    stageplan_approved: bool | None = None
    leerdoelen: tuple[NewLeerdoel, ...] = ()
    # criterion id → level; formative (evaluatiegesprek) optional, summative (eindgesprek) all.
    scores: tuple[tuple[int, int | None], ...] = ()
    signed: bool = False
    # Evaluatie- and eindgesprek: (leerdoel id, status) chosen in the form, saved with the gesprek.
    leerdoel_statuses: tuple[tuple[int, LeerdoelStatus | None], ...] = ()
    # An eindgesprek earlier than the stage's last week closes the cycle early: saved only when
    # the form confirmed it (the command asks first, field "early_confirmed").
    early_confirmed: bool = False


@dataclass(frozen=True)
class Limits:
    text: int = Settings.text_limit
    date_margin_days: int = Settings.gesprek_date_margin_days


@dataclass
class _Errors:
    fields: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationError(self.fields)


def _text(errors: _Errors, name: str, value: str, limit: int, required: str | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.add(name, required)
    elif len(value) > limit:
        errors.add(name, f"Deze tekst is te lang: maximaal {limit} tekens (nu {len(value)}).")
    return value


def allowed_dates(start: dt.date, end: dt.date, today: dt.date, margin_days: int,
                  before: int | None = None) -> tuple[dt.date, dt.date]:
    """The first and last date a record of a stage may carry: the stage with `margin_days` on
    either side (`before` days before it instead, for a kennismaking), and not after today."""
    earliest = start - dt.timedelta(days=before if before is not None else margin_days)
    return earliest, min(today, end + dt.timedelta(days=margin_days))


def _check_date(errors: _Errors, name: str, date: dt.date | None, stage: Stage, today: dt.date,
                limits: Limits, before: int | None = None) -> None:
    if date is None:
        errors.add(name, "Vul de datum in.")
        return
    if date > today:
        errors.add(name, "De datum ligt in de toekomst.")
        return
    earliest, latest = allowed_dates(stage.start_date, stage.end_date, today, limits.date_margin_days, before)
    if not earliest <= date <= latest:
        # Say which dates do count: a stage that ended weeks ago (a feedback request answered
        # late) puts today's date, the form's default, outside it.
        choice = f": kies een datum van {earliest:%d-%m-%Y} t/m {latest:%d-%m-%Y}" if earliest <= latest else ""
        errors.add(name, f"De datum valt buiten de stage ({stage.start_date:%d-%m-%Y} t/m {stage.end_date:%d-%m-%Y}, "
                         f"met {limits.date_margin_days} dagen marge){choice}.")


def _check_early(errors: _Errors, data: GesprekInput, stage: Stage, replacing: Gesprek | None) -> None:
    """An eindgesprek before the stage's last week closes the cycle early (cycle.cycle_day: no
    gesprek is expected after it), so it is saved only when confirmed. A correction that keeps
    the date of the eindgesprek it corrects was confirmed when that one was saved."""
    if data.date is None or "date" in errors.fields or data.early_confirmed:
        return
    if replacing is not None and replacing.type is GesprekType.EINDGESPREK and replacing.date == data.date:
        return
    early = days_early(data.date, stage.end_date)
    if early is not None:
        errors.add("early_confirmed",
                   f"Het eindgesprek valt {before_end_text(early)} voor het einde van de stage "
                   f"(laatste dag {stage.end_date:%d-%m-%Y}); toch vastleggen? Na het eindgesprek verwacht de "
                   "stage geen gesprekken meer. Vink het vakje hieronder aan en sla opnieuw op.")


def _visible_stage(session: Session, viewer: Viewer, stage_id: int, *, lock: bool = False) -> Stage | None:
    stmt = (select(Stage).join(Aios, Aios.id == Stage.aios_id)
            .where(Stage.id == stage_id, individual_stage_condition(viewer)))
    # Lock the stage row on PostgreSQL, so two saves of one stage check "one eindgesprek" in turn.
    return session.execute(stmt.with_for_update() if lock else stmt).scalar_one_or_none()


REFUSED = "U heeft geen toegang tot deze aios of dit gesprek."


def _refuse(engine: Engine, viewer: Viewer, entity: str, entity_id: int) -> None:
    refuse(engine, viewer.user_id, entity, entity_id, REFUSED)


def _rubric_for(session: Session, stage: Stage, date: dt.date) -> Rubric | None:
    """The rubric version of the stage's programme that was valid on the date."""
    return session.execute(
        select(Rubric).join(Aios, Aios.opleiding_id == Rubric.opleiding_id)
        .where(Aios.id == stage.aios_id, Rubric.valid_from <= date)
        .order_by(Rubric.valid_from.desc(), Rubric.version.desc())
    ).scalars().first()


def _check(session: Session, viewer: Viewer, data: GesprekInput, stage: Stage, today: dt.date,
           limits: Limits, replacing: Gesprek | None) -> tuple[_Errors, dict, list[int] | None]:
    """All field errors of one gesprek, the cleaned texts and the rubric's criterion ids."""
    errors = _Errors()
    before = KENNISMAKING_DAYS_BEFORE if data.type is GesprekType.KENNISMAKING else None
    _check_date(errors, "date", data.date, stage, today, limits, before)
    t = data.type
    needs_verslag = {
        GesprekType.KENNISMAKING: "Schrijf kort wat er besproken is.",
        GesprekType.BEGELEIDINGSGESPREK: "Noteer de besproken onderwerpen.",
    }.get(t)
    texts = {
        "verslag": _text(errors, "verslag", data.verslag, limits.text, needs_verslag),
        "afspraken": _text(errors, "afspraken", data.afspraken, limits.text),
        "wat_gaat_goed": _text(errors, "wat_gaat_goed", data.wat_gaat_goed, limits.text,
                               "Vul in wat goed gaat." if t in MOMENT_OF else None),
        "wat_kan_beter": _text(errors, "wat_kan_beter", data.wat_kan_beter, limits.text,
                               "Vul in wat beter kan." if t in MOMENT_OF else None),
    }
    if t is GesprekType.EVALUATIEGESPREK and data.op_schema is None:
        errors.add("op_schema", "Kies of de aios op schema ligt.")
    if t is GesprekType.STARTGESPREK:
        if data.stageplan_approved is None:
            errors.add("stageplan_approved", "Geef aan of het stageplan is goedgekeurd.")
        for i, goal in enumerate(data.leerdoelen):
            _text(errors, f"leerdoel_{i}", goal.text, limits.text, "Vul de tekst van het leerdoel in.")
    if t is GesprekType.EINDGESPREK:
        if viewer.role is Role.AIOS:
            errors.add("type", "Het eindgesprek legt uw begeleider vast, met de eindbeoordeling en de ondertekening.")
        else:
            if not data.signed:
                errors.add("signed", "Onderteken het eindgesprek.")
            _check_early(errors, data, stage, replacing)
        if session.execute(
            select(Gesprek.date).where(Gesprek.stage_id == stage.id, Gesprek.type == t, is_current_gesprek(),
                                       Gesprek.id != (replacing.id if replacing else -1))
        ).first():
            errors.add("type", "Voor deze stage is al een eindgesprek vastgelegd; corrigeer dat gesprek in plaats van een tweede vast te leggen.")
    criteria = None
    scored = [(c, s) for c, s in data.scores if s is not None]
    if scored and viewer.role is Role.AIOS:
        # A score in the rubric is the begeleider's judgement; an aios' verslag carries none.
        errors.add("scores", "De scores in de rubric geeft uw begeleider; uw verslag bevat geen scores.")
    if t in MOMENT_OF and (scored or t is GesprekType.EINDGESPREK) and viewer.role is not Role.AIOS:
        rubric = _rubric_for(session, stage, data.date or today)
        criteria = list(session.execute(
            select(RubricCriterion.id).where(RubricCriterion.rubric_id == (rubric.id if rubric else -1))
            .order_by(RubricCriterion.position)).scalars())
        given = dict(scored)
        if t is GesprekType.EINDGESPREK or scored:
            for cid in criteria:
                if cid not in given:
                    errors.add(f"score_{cid}", "Geef een score voor dit criterium." if t is GesprekType.EINDGESPREK
                               else "Geef een score voor elk criterium, of voor geen enkel.")
        if t is GesprekType.EINDGESPREK and replacing is None and session.execute(
            select(Beoordeling.id).where(Beoordeling.stage_id == stage.id, Beoordeling.moment == Moment.EIND,
                                         Beoordeling.rater_kind == RaterKind.BEGELEIDER)).first():
            errors.add("scores", "Voor deze stage is al een eindbeoordeling vastgelegd.")
    return errors, texts, criteria


def _existing(session: Session, viewer: Viewer, model, owner, token: str) -> tuple[int, bool] | None:
    """The record saved earlier with this submit token, and whether this viewer saved it.
    Someone else's token is never an answer: their record's id is not the viewer's to learn."""
    row = session.execute(select(model.id, owner).where(model.submit_token == token)).one_or_none()
    return None if row is None else (row[0], row[1] == viewer.user_id)


def _own_or_refuse(engine: Engine, viewer: Viewer, model, owner, token: str, stage_id: int) -> int | None:
    """After a lost race on a token: the winner's id when it was this viewer's save, else refused."""
    with Session(engine) as session:
        found = _existing(session, viewer, model, owner, token)
    if found is not None and not found[1]:
        _refuse(engine, viewer, "stage", stage_id)
    return None if found is None else found[0]


def log_gesprek(engine: Engine, viewer: Viewer, data: GesprekInput, today: dt.date,
                limits: Limits = Limits(), *, replaces: int | None = None) -> int:
    """Save a gesprek (or, with `replaces`, a correction of a vastgesteld one as a new version,
    or the aios' new draft of their own concept). Returns the gesprek's id; the same submit
    token returns the first save's id without writing again."""
    if not data.submit_token:
        raise ValueError("submit_token is required")
    try:
        return _log(engine, viewer, data, today, limits, replaces)
    except IntegrityError:
        # A concurrent save with the same token won the race: that one is this one (if it is ours).
        existing = _own_or_refuse(engine, viewer, Gesprek, Gesprek.author_id, data.submit_token, data.stage_id)
        if existing is None:
            raise
        return existing


def _log(engine: Engine, viewer: Viewer, data: GesprekInput, today: dt.date, limits: Limits,
         replaces: int | None) -> int:
    with write_session(engine) as session, session.begin():
        done = _existing(session, viewer, Gesprek, Gesprek.author_id, data.submit_token)
        if done is not None and done[1]:
            return done[0]
        stage = None if done is not None else _visible_stage(session, viewer, data.stage_id, lock=True)
        old = session.get(Gesprek, replaces) if replaces is not None else None
        allowed = stage is not None and may(viewer, Action.GESPREK_LOG) and (old is None or old.stage_id == stage.id)
        if allowed and old is not None and viewer.role is Role.AIOS and old.status is GesprekStatus.VASTGESTELD:
            allowed = old.author_id == viewer.user_id  # an aios corrects only their own verslag
        if allowed:
            from data_access.stageplan import apply_gesprek_statuses, apply_status  # stageplan builds on this module

            errors, texts, criteria = _check(session, viewer, data, stage, today, limits, old)
            goals = apply_gesprek_statuses(session, viewer, stage.id, data.leerdoel_statuses, errors) \
                if data.type in MOMENT_OF else []
            errors.raise_if_any()
            gesprek_id = _write(session, viewer, data, stage, texts, criteria, old)
            for leerdoel, status in goals:  # the same transaction as the gesprek
                apply_status(session, viewer, leerdoel, status)
            return gesprek_id
    _refuse(engine, viewer, "stage", data.stage_id)
    raise AssertionError("unreachable")


def _write(session: Session, viewer: Viewer, data: GesprekInput, stage: Stage, texts: dict,
           criteria: list[int] | None, old: Gesprek | None) -> int:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    by_aios = viewer.role is Role.AIOS
    gesprek = Gesprek(
        stage_id=stage.id, type=data.type, date=data.date, author_id=viewer.user_id,
        verslag=texts["verslag"] or None, afspraken=texts["afspraken"] or None, op_schema=data.op_schema,
        wat_gaat_goed=texts["wat_gaat_goed"] or None, wat_kan_beter=texts["wat_kan_beter"] or None,
        status=GesprekStatus.CONCEPT if by_aios else GesprekStatus.VASTGESTELD,
        confirmed_by=None if by_aios else viewer.user_id, confirmed_at=None if by_aios else now,
        version=1, submit_token=data.submit_token,
    )
    action = "aangemaakt"
    if old is not None and old.status is GesprekStatus.CONCEPT and by_aios:
        # The aios rewrites their own draft: same row, the begeleider's remark is answered.
        for name in ("type", "date", "verslag", "afspraken", "op_schema", "wat_gaat_goed", "wat_kan_beter", "submit_token"):
            setattr(old, name, getattr(gesprek, name))
        old.return_remark = old.stageplan_proposal = None
        gesprek, action = old, "herschreven"
    elif old is not None:
        gesprek.version, gesprek.supersedes_id, action = old.version + 1, old.id, "gecorrigeerd"
        session.add(gesprek)
    else:
        session.add(gesprek)
    session.flush()
    if data.type is GesprekType.STARTGESPREK:
        proposal = {"stageplan_approved": data.stageplan_approved,
                    "leerdoelen": [{"text": g.text.strip(), "canmeds_role": g.canmeds_role.value} for g in data.leerdoelen]}
        if gesprek.status is GesprekStatus.CONCEPT:
            gesprek.stageplan_proposal = proposal  # nothing reaches the stageplan before it is vastgesteld
        else:
            _apply_startgesprek(session, viewer.user_id, gesprek, proposal, now)
    if criteria:
        rubric = _rubric_for(session, stage, data.date)
        beoordeling = Beoordeling(stage_id=stage.id, rubric_id=rubric.id, moment=MOMENT_OF[data.type],
                                  rater_kind=RaterKind.BEGELEIDER, rater_id=viewer.user_id, date=data.date)
        session.add(beoordeling)
        session.flush()
        session.add_all([RubricScore(beoordeling_id=beoordeling.id, criterion_id=c, score=s)
                         for c, s in data.scores if s is not None])
    record_write(session, viewer.user_id, action=action, entity="gesprek", entity_id=gesprek.id,
                 before={"versie": old.version, "id": old.id} if old is not None else None,
                 after={"type": data.type, "datum": data.date, "status": gesprek.status, "versie": gesprek.version},
                 also=("beoordeling",) if criteria else ())
    return gesprek.id


def _apply_startgesprek(session: Session, user_id: int, gesprek: Gesprek, proposal: dict, now: dt.datetime) -> None:
    """The vastgesteld startgesprek settles the stageplan: the leerdoelen agreed are added and, when
    the plan is approved, approved with the rest of it, exactly as the begeleider approves an
    offered plan on its own (stageplan.approve_plan). "Not approved" changes nothing: the plan
    keeps its state (an earlier approval stands). `user_id` is whoever made it vastgesteld (a
    begeleider or opleider), never the aios."""
    from data_access.stageplan import add_agreed_leerdoel, approve_plan  # stageplan builds on this module

    for goal in proposal.get("leerdoelen", []):
        add_agreed_leerdoel(session, user_id, gesprek.stage_id, goal["text"], CanMedsRole(goal["canmeds_role"]), now)
    plan = session.execute(select(Stageplan).where(Stageplan.stage_id == gesprek.stage_id)).scalar_one_or_none()
    if plan is not None and proposal.get("stageplan_approved"):
        approve_plan(session, user_id, plan, gesprek.date, now)


def _reviewable(session: Session, viewer: Viewer, gesprek_id: int) -> Gesprek | None:
    gesprek = session.get(Gesprek, gesprek_id)
    if gesprek is None or not may(viewer, Action.GESPREK_CONFIRM) or _visible_stage(session, viewer, gesprek.stage_id) is None:
        return None
    return gesprek


def confirm_gesprek(engine: Engine, viewer: Viewer, gesprek_id: int) -> None:
    """A begeleider or opleider makes an aios' draft verslag final (vastgesteld, read-only)."""
    with write_session(engine) as session, session.begin():
        gesprek = _reviewable(session, viewer, gesprek_id)
        if gesprek is not None:
            if gesprek.status is not GesprekStatus.CONCEPT:
                raise ValidationError({"_": "Dit verslag is al vastgesteld."})
            gesprek.status = GesprekStatus.VASTGESTELD
            gesprek.confirmed_by, gesprek.return_remark = viewer.user_id, None
            gesprek.confirmed_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            if gesprek.type is GesprekType.STARTGESPREK and gesprek.stageplan_proposal is not None:
                _apply_startgesprek(session, viewer.user_id, gesprek, gesprek.stageplan_proposal, gesprek.confirmed_at)
                gesprek.stageplan_proposal = None
            record_write(session, viewer.user_id, action="vastgesteld", entity="gesprek", entity_id=gesprek.id,
                         before={"status": GesprekStatus.CONCEPT}, after={"status": gesprek.status})
            return
    _refuse(engine, viewer, "gesprek", gesprek_id)


def return_gesprek(engine: Engine, viewer: Viewer, gesprek_id: int, remark: str, limits: Limits = Limits()) -> None:
    """Send a draft back to the aios with a remark; it stays a concept until they rewrite it."""
    errors = _Errors()
    remark = _text(errors, "remark", remark, limits.text, "Schrijf erbij wat er anders moet.")
    errors.raise_if_any()
    with write_session(engine) as session, session.begin():
        gesprek = _reviewable(session, viewer, gesprek_id)
        if gesprek is not None:
            if gesprek.status is not GesprekStatus.CONCEPT:
                raise ValidationError({"_": "Een vastgesteld verslag gaat niet terug; corrigeer het met een nieuwe versie."})
            gesprek.return_remark = remark
            record_write(session, viewer.user_id, action="teruggestuurd", entity="gesprek", entity_id=gesprek.id,
                         after={"opmerking": remark})
            return
    _refuse(engine, viewer, "gesprek", gesprek_id)


@dataclass(frozen=True)
class KpbInput:
    stage_id: int
    epa_id: int | None
    date: dt.date | None
    supervision_level: int | None
    feedback: str
    submit_token: str
    # The feedback request this KPB answers (feedback_requests.link_answer), if any.
    request_id: int | None = None


@dataclass(frozen=True)
class FeedbackInput:
    stage_id: int
    date: dt.date | None
    asked_by_aios: bool
    topic: str
    submit_token: str
    # The feedback request this moment answers (feedback_requests.link_answer), if any.
    request_id: int | None = None


def log_kpb(engine: Engine, viewer: Viewer, data: KpbInput, today: dt.date, limits: Limits = Limits()) -> int:
    """A KPB in a few taps: EPA, supervision level 1–5 and the narrative feedback.

    A begeleider's or opleider's KPB is vastgesteld at once and counts as a feedback moment of
    kind KPB. An aios cannot give themself a level: what they enter is a concept (a request,
    with at most a proposed level, or none) that counts nowhere until the observer confirms it
    with `confirm_kpb`."""
    by_aios = viewer.role is Role.AIOS
    errors = _Errors()
    if data.epa_id is None:
        errors.add("epa", "Kies de EPA.")
    level = data.supervision_level
    if (level is None and not by_aios) or (level is not None and not 1 <= level <= 5):
        errors.add("supervision_level", "Kies een supervisieniveau van 1 tot 5.")
    feedback = _text(errors, "feedback", data.feedback, limits.text,
                     "Schrijf op wat er is geobserveerd of waar u feedback op wilt." if by_aios
                     else "Schrijf de feedback op.")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    asked = data.request_id is not None  # an answer to the aios' request: the aios asked for it

    def rows(session: Session, stage: Stage) -> list:
        if by_aios:
            return [Kpb(stage_id=stage.id, epa_id=data.epa_id, date=data.date, observer_id=None,
                        initiated_by=KpbInitiator.AIOS, supervision_level=None, proposed_level=level,
                        feedback=feedback, status=GesprekStatus.CONCEPT, entered_by=viewer.user_id)]
        return [
            Kpb(stage_id=stage.id, epa_id=data.epa_id, date=data.date, observer_id=viewer.user_id,
                initiated_by=KpbInitiator.AIOS if asked else KpbInitiator.BEGELEIDER, supervision_level=level,
                feedback=feedback,
                status=GesprekStatus.VASTGESTELD, entered_by=viewer.user_id, confirmed_by=viewer.user_id,
                confirmed_at=now),
            FeedbackMoment(stage_id=stage.id, date=data.date, giver_id=viewer.user_id, kind=FeedbackKind.KPB,
                           asked_by_aios=asked, topic=_epa_code(session, data.epa_id)),
        ]
    return _quick(engine, viewer, data.stage_id, data.date, data.submit_token, today, limits, errors, rows, "kpb",
                  data.request_id)


def confirm_kpb(engine: Engine, viewer: Viewer, kpb_id: int, supervision_level: int | None, feedback: str,
                limits: Limits = Limits()) -> None:
    """The observer (a begeleider or opleider of the stage) confirms an aios' concept KPB with the
    level they give and their feedback; only then it counts, also as a feedback moment of kind KPB
    asked for by the aios. One transaction with an audit row; a stranger is refused and audited."""
    errors = _Errors()
    if supervision_level is None or not 1 <= supervision_level <= 5:
        errors.add("supervision_level", "Kies een supervisieniveau van 1 tot 5.")
    feedback = _text(errors, "feedback", feedback, limits.text, "Schrijf de feedback op.")
    with write_session(engine) as session, session.begin():
        kpb = session.get(Kpb, kpb_id)
        if kpb is not None and may(viewer, Action.KPB_CONFIRM) and _visible_stage(session, viewer, kpb.stage_id) is not None:
            if kpb.status is not GesprekStatus.CONCEPT:
                raise ValidationError({"_": "Deze KPB is al vastgesteld."})
            errors.raise_if_any()
            kpb.status, kpb.supervision_level, kpb.feedback = GesprekStatus.VASTGESTELD, supervision_level, feedback
            kpb.observer_id = kpb.confirmed_by = viewer.user_id
            kpb.confirmed_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            session.add(FeedbackMoment(stage_id=kpb.stage_id, date=kpb.date, giver_id=viewer.user_id,
                                       kind=FeedbackKind.KPB, asked_by_aios=True, topic=_epa_code(session, kpb.epa_id)))
            record_write(session, viewer.user_id, action="vastgesteld", entity="kpb", entity_id=kpb.id,
                         before={"status": GesprekStatus.CONCEPT, "voorgesteld niveau": kpb.proposed_level},
                         after={"status": kpb.status, "niveau": supervision_level})
            return
    _refuse(engine, viewer, "kpb", kpb_id)


def return_kpb(engine: Engine, viewer: Viewer, kpb_id: int, remark: str, limits: Limits = Limits()) -> None:
    """The begeleider or opleider sends an aios' KPB request back with a remark (not observed,
    another EPA): it stays a concept that counts nowhere, leaves their list, and the aios reads why."""
    errors = _Errors()
    remark = _text(errors, "remark", remark, limits.text, "Schrijf erbij waarom.")
    errors.raise_if_any()
    with write_session(engine) as session, session.begin():
        kpb = session.get(Kpb, kpb_id)
        if kpb is not None and may(viewer, Action.KPB_CONFIRM) and _visible_stage(session, viewer, kpb.stage_id) is not None:
            if kpb.status is not GesprekStatus.CONCEPT:
                raise ValidationError({"_": "Deze KPB is al vastgesteld."})
            kpb.return_remark = remark
            record_write(session, viewer.user_id, action="teruggestuurd", entity="kpb", entity_id=kpb.id,
                         after={"opmerking": remark})
            return
    _refuse(engine, viewer, "kpb", kpb_id)


def log_feedback(engine: Engine, viewer: Viewer, data: FeedbackInput, today: dt.date, limits: Limits = Limits()) -> int:
    """An informal feedback moment: when, whether the aios asked for it, and about what."""
    errors = _Errors()
    topic = _text(errors, "topic", data.topic, 300, "Noteer waar de feedback over ging.")
    return _quick(engine, viewer, data.stage_id, data.date, data.submit_token, today, limits, errors, lambda s, stage: [
        FeedbackMoment(stage_id=stage.id, date=data.date, giver_id=viewer.user_id, kind=FeedbackKind.INFORMEEL,
                       asked_by_aios=data.asked_by_aios or data.request_id is not None, topic=topic),
    ], "feedbackmoment", data.request_id)


def _epa_code(session: Session, epa_id: int) -> str:
    return session.execute(select(Epa.code).where(Epa.id == epa_id)).scalar_one()


def _quick(engine, viewer, stage_id, date, token, today, limits, errors, rows, entity, request_id=None) -> int:
    """Shared path of the quick entries: access, date, idempotent token, one write with audit;
    with `request_id`, the feedback request it answers is marked in the same transaction."""
    model, owner = (Kpb, Kpb.entered_by) if entity == "kpb" else (FeedbackMoment, FeedbackMoment.giver_id)
    try:
        with write_session(engine) as session, session.begin():
            done = _existing(session, viewer, model, owner, token)
            stage = _visible_stage(session, viewer, stage_id) if done is None or done[1] else None
            if stage is not None and may(viewer, Action.KPB if entity == "kpb" else Action.FEEDBACK_LOG):
                if done is not None:
                    return done[0]
                _check_date(errors, "date", date, stage, today, limits)
                errors.raise_if_any()
                written = rows(session, stage)
                written[0].submit_token = token
                session.add_all(written)
                session.flush()
                status = {"status": written[0].status} if entity == "kpb" else {}
                record_write(session, viewer.user_id, action="aangemaakt", entity=entity, entity_id=written[0].id,
                             after={"datum": date} | status)
                if request_id is not None:
                    link_answer(session, viewer, request_id, stage.id, written[0], today)
                return written[0].id
    except IntegrityError:
        existing = _own_or_refuse(engine, viewer, model, owner, token, stage_id)
        if existing is None:
            raise
        return existing
    except NotAddressed:
        refuse(engine, viewer.user_id, "feedbackvraag", request_id, REFUSED)
    _refuse(engine, viewer, "stage", stage_id)
    raise AssertionError("unreachable")
