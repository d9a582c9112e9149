"""Feedback requests (seed 003: "Vraag waar de aios feedback op wil", "Creëer veel feedbackmomenten").

The aios asks one begeleider of their running stage for feedback or for a KPB, on an EPA of
their programme or on a topic ("Waar wil je feedback op?"), optionally with a wished-for date.
The begeleider answers from the request: the KPB or feedback moment saved with `request_id`
(gesprekken.log_kpb / log_feedback) is linked to it in the same transaction by `link_answer`;
or declines it with a reason the aios reads. Every write is one transaction with an audit row;
refusals are audited; a double submit saves once.

Each request mails the begeleider, so asking is limited (settings feedback_request_open_limit and
feedback_request_day_limit): a few open requests per begeleider in a stage, a few more per day.
The counts are taken in the transaction that saves, after locking the aios' row, so two submits
at once (two tabs, two clicks with different forms) cannot both pass the last free place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.audit import record_write, refuse
from data_access.db import write_session
from data_access.errors import ValidationError
from data_access.models import (
    Aios,
    Epa,
    FeedbackMoment,
    FeedbackRequest,
    FeedbackRequestKind,
    Kpb,
    Stage,
    StageBegeleider,
    Stagebegeleider,
    StageStatus,
)
from data_access.permissions import Action, may
from data_access.scope import individual_stage_condition
from data_access.settings import Settings
from data_access.viewer import Viewer

ENTITY = "feedbackvraag"
REFUSED = "U heeft geen toegang tot deze stage of deze feedbackvraag."
TOPIC_LIMIT = 300  # as a feedback moment's topic, which an answer copies


@dataclass(frozen=True)
class RequestInput:
    """What the aios' form sends; `begeleider_id` is a stagebegeleider id of the stage."""

    stage_id: int | None
    begeleider_id: int | None
    kind: FeedbackRequestKind | None
    epa_id: int | None
    topic: str
    wished_date: dt.date | None
    submit_token: str


class NotAddressed(Exception):
    """An answer names a request that is not this viewer's to answer (refused and audited)."""


def _check(data: RequestInput, today: dt.date) -> tuple[dict[str, str], str]:
    errors: dict[str, str] = {}
    topic = (data.topic or "").strip()
    if data.kind is None:
        errors["kind"] = "Kies of u feedback of een KPB vraagt."
    if data.begeleider_id is None:
        errors["begeleider"] = "Kies de begeleider aan wie u het vraagt."
    if len(topic) > TOPIC_LIMIT:
        errors["topic"] = f"Deze tekst is te lang: maximaal {TOPIC_LIMIT} tekens (nu {len(topic)})."
    elif data.kind is FeedbackRequestKind.KPB and data.epa_id is None:
        errors["epa"] = "Kies de EPA waarop u een KPB vraagt."
    elif data.kind is FeedbackRequestKind.FEEDBACK and data.epa_id is None and not topic:
        errors["topic"] = "Schrijf waar u feedback op wilt, of kies een EPA."
    if data.wished_date is not None and data.wished_date < today:
        errors["wished_date"] = "De gewenste datum ligt in het verleden."
    return errors, topic


def _over_limits(session: Session, viewer: Viewer, stage: Stage, begeleider_id: int | None, today: dt.date,
                 open_limit: int, day_limit: int, expiry_days: int) -> dict[str, str]:
    """Field errors for a request one too many: counted in the database, in the caller's
    transaction (which holds the aios' row, so a concurrent ask waits for this one to finish)."""
    errors: dict[str, str] = {}
    if begeleider_id is not None:
        still_open = session.execute(
            select(func.count()).select_from(FeedbackRequest)
            .where(FeedbackRequest.stage_id == stage.id, FeedbackRequest.begeleider_id == begeleider_id,
                   FeedbackRequest.answered_on.is_(None), FeedbackRequest.declined_on.is_(None),
                   # An expired request (verlopen) no longer holds a place: a begeleider who never
                   # answers does not block the aios for good.
                   FeedbackRequest.asked_on > today - dt.timedelta(days=expiry_days))
        ).scalar_one()
        if still_open >= open_limit:
            errors["begeleider"] = (
                f"U heeft al {open_limit} {'open vraag' if open_limit == 1 else 'open vragen'} bij deze "
                f"begeleider. Een nieuwe vraag kan zodra de begeleider er een heeft beantwoord of afgewezen, "
                f"of zodra een vraag na {expiry_days} dagen is verlopen.")
    asked_today = session.execute(
        select(func.count()).select_from(FeedbackRequest)
        .where(FeedbackRequest.asked_by == viewer.user_id, FeedbackRequest.asked_on == today)
    ).scalar_one()
    if asked_today >= day_limit:
        errors["_"] = (f"U heeft vandaag al {day_limit} {'feedbackvraag' if day_limit == 1 else 'feedbackvragen'} "
                       f"gesteld, het maximum per dag. Morgen kunt u weer feedback vragen.")
    return errors


def ask_feedback(engine: Engine, viewer: Viewer, data: RequestInput, today: dt.date, *,
                 open_limit: int = Settings.feedback_request_open_limit,
                 day_limit: int = Settings.feedback_request_day_limit,
                 expiry_days: int = Settings.feedback_request_expiry_days) -> int:
    """The aios asks a begeleider of their own running stage. Returns the request's id; the same
    submit token returns the first save's id without writing again. Asking for another aios'
    stage, or a begeleider who is not of the stage, is refused and audited.

    At most `open_limit` open requests (neither answered nor declined) with one begeleider in
    the stage, and at most `day_limit` requests by the aios on `today`: one more is refused with
    a field error (at "begeleider", or "_" for the day) and nothing is written; like any field
    error it is not an audit event."""
    if not data.submit_token:
        raise ValueError("submit_token is required")
    errors, topic = _check(data, today)
    try:
        with write_session(engine) as session, session.begin():
            done = session.execute(select(FeedbackRequest.id, FeedbackRequest.asked_by)
                                   .where(FeedbackRequest.submit_token == data.submit_token)).one_or_none()
            if done is not None and done.asked_by == viewer.user_id:
                return done.id
            # The aios' row is locked (FOR NO KEY UPDATE on PostgreSQL; SQLite's write transaction
            # holds the database) until this save commits: the limits below count what a concurrent
            # ask of the same aios saved, never a snapshot from before it.
            stage = None if done is not None or not may(viewer, Action.FEEDBACK_ASK) else session.execute(
                select(Stage).join(Aios, Aios.id == Stage.aios_id)
                .where(Stage.id == data.stage_id, Aios.user_id == viewer.user_id)
                .with_for_update(of=Aios, key_share=True)
            ).scalar_one_or_none()
            on_stage = stage is not None and (data.begeleider_id is None or session.execute(
                select(StageBegeleider.stage_id).where(StageBegeleider.stage_id == stage.id,
                                                       StageBegeleider.begeleider_id == data.begeleider_id)
            ).first() is not None)
            if on_stage:
                if not stage.start_date <= today <= stage.end_date or stage.status is StageStatus.AFGEBROKEN:
                    errors.setdefault("stage", "U kunt feedback vragen tijdens een lopende stage.")
                if data.epa_id is not None and session.execute(
                        select(Epa.id).join(Aios, Aios.opleiding_id == Epa.opleiding_id)
                        .where(Epa.id == data.epa_id, Aios.id == stage.aios_id)).first() is None:
                    errors.setdefault("epa", "Deze EPA hoort niet bij uw opleiding.")
                if data.wished_date is not None and data.wished_date > stage.end_date:
                    errors.setdefault("wished_date", f"De gewenste datum valt na het einde van de stage "
                                                     f"({stage.end_date:%d-%m-%Y}).")
                for field, message in _over_limits(session, viewer, stage, data.begeleider_id, today,
                                                   open_limit, day_limit, expiry_days).items():
                    errors.setdefault(field, message)
                if errors:
                    raise ValidationError(errors)
                row = FeedbackRequest(stage_id=stage.id, begeleider_id=data.begeleider_id, asked_by=viewer.user_id,
                                      kind=data.kind, epa_id=data.epa_id, topic=topic or None,
                                      wished_date=data.wished_date, asked_on=today, submit_token=data.submit_token)
                session.add(row)
                session.flush()
                record_write(session, viewer.user_id, action="gevraagd", entity=ENTITY, entity_id=row.id,
                             after={"soort": data.kind, "begeleider": data.begeleider_id, "epa": data.epa_id,
                                    "gewenste datum": data.wished_date})
                return row.id
    except IntegrityError:
        # A concurrent save with the same token won the race: that one is this one (if it is ours).
        with Session(engine) as session:
            owner = session.execute(select(FeedbackRequest.id, FeedbackRequest.asked_by)
                                    .where(FeedbackRequest.submit_token == data.submit_token)).one_or_none()
        if owner is None:
            raise
        if owner.asked_by == viewer.user_id:
            return owner.id
    refuse(engine, viewer.user_id, "stage", data.stage_id, REFUSED)


def _addressed(session: Session, viewer: Viewer, request_id: int) -> FeedbackRequest | None:
    """The request if it is addressed to this viewer (a begeleider) and its stage is still theirs."""
    if not may(viewer, Action.FEEDBACK_ANSWER):
        return None
    return session.execute(
        select(FeedbackRequest)
        .join(Stagebegeleider, Stagebegeleider.id == FeedbackRequest.begeleider_id)
        .join(Stage, Stage.id == FeedbackRequest.stage_id)
        .join(Aios, Aios.id == Stage.aios_id)
        .where(FeedbackRequest.id == request_id, Stagebegeleider.user_id == viewer.user_id,
               individual_stage_condition(viewer))
        .with_for_update(of=FeedbackRequest)
    ).scalar_one_or_none()


def _still_open(request: FeedbackRequest) -> None:
    if request.answered_on is not None:
        raise ValidationError({"_": "Deze feedbackvraag is al beantwoord."})
    if request.declined_on is not None:
        raise ValidationError({"_": "Deze feedbackvraag is al afgewezen."})


def decline_request(engine: Engine, viewer: Viewer, request_id: int, reason: str, today: dt.date,
                    *, text_limit: int = Settings.text_limit) -> None:
    """The addressed begeleider declines an open request with a reason (the aios reads it).
    Declining again with the same reason (a double submit) changes nothing."""
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = "Schrijf erbij waarom u de vraag afwijst."
    elif len(reason) > text_limit:
        errors["reason"] = f"Deze tekst is te lang: maximaal {text_limit} tekens (nu {len(reason)})."
    with write_session(engine) as session, session.begin():
        request = _addressed(session, viewer, request_id)
        if request is not None:
            if request.declined_on is not None and request.decline_reason == reason:
                return
            _still_open(request)
            if errors:
                raise ValidationError(errors)
            request.declined_on, request.decline_reason = today, reason
            record_write(session, viewer.user_id, action="afgewezen", entity=ENTITY, entity_id=request.id,
                         before={"status": "open"}, after={"status": "afgewezen", "reden": reason})
            return
    refuse(engine, viewer.user_id, ENTITY, request_id, REFUSED)


def link_answer(session: Session, viewer: Viewer, request_id: int, stage_id: int, answer: Kpb | FeedbackMoment,
                today: dt.date) -> None:
    """Inside the transaction that saves a KPB or feedback moment: mark the request it answers
    (answered today, the answer's id) with an audit row. A request that is not the viewer's
    (or of another stage) raises NotAddressed: the caller rolls back, refuses and audits."""
    request = _addressed(session, viewer, request_id)
    if request is None or request.stage_id != stage_id:
        raise NotAddressed(request_id)
    _still_open(request)
    request.answered_on = today
    if isinstance(answer, Kpb):
        request.kpb_id = answer.id
    else:
        request.feedback_moment_id = answer.id
    record_write(session, viewer.user_id, action="beantwoord", entity=ENTITY, entity_id=request.id,
                 before={"status": "open"},
                 after={"status": "beantwoord", "kpb" if isinstance(answer, Kpb) else "feedbackmoment": answer.id})
