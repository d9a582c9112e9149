"""Stage toevoegen en wijzigen: one aios at one stageplaats with a primary (and optionally a
second) begeleider, for a period and an fte.

The checks are the importer's (data_access.importer.kinds.stages), in its words: the end after
the start, a begeleider linked to the stageplaats, fte 0,1 to 1, overlapping stages of one aios
together at most 1 fte; and, because the importer would take it for the same stage, no second
stage of the aios at the same stageplaats in an overlapping period. A new stage gets its
stageplan from the opleiding's current template (data_access.stageplan_templates) in the same
transaction: KPB target, EPA targets, praktijkopdrachten, gesprek rhythm and verslag due date.

Who: the beheerder, and an instituutsopleider for the aios of their cohorts. Every save is one
transaction with an audit row; a refusal is audited; "toevoegen" is idempotent by its submit
token, "wijzigen" by what it changes (the same change twice writes once).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Engine, delete, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.audit import record_write, refuse
from data_access.db import write_session
from data_access.errors import ValidationError
from data_access.importer.fields import dutch_date
from data_access.importer.kinds.stages import (
    Period,
    fte_problem,
    fte_range_problem,
    period_problem,
    status_on,
    unlinked_problem,
)
from data_access.models import (
    Aios,
    BegeleiderStageplaats,
    EpaTarget,
    Instituutsopleider,
    OpdrachtStatus,
    OpleiderCohort,
    Opleiding,
    Praktijkopdracht,
    Role,
    Stage,
    StageBegeleider,
    Stagebegeleider,
    Stageplaats,
    StageplaatsStatus,
    Stageplan,
    StageplanTemplate,
    StageStatus,
    TemplateEpaTarget,
    TemplateOpdracht,
    UserAccount,
)
from data_access.permissions import Action, may
from data_access.stageplan_templates import current_template, verslag_due
from data_access.viewer import Viewer

REFUSED = "U mag geen stages vastleggen of wijzigen voor deze aios."


@dataclass(frozen=True)
class StageInput:
    """What the "Stage toevoegen" form sends."""

    aios_id: int | None
    stageplaats_id: int | None
    begeleider_id: int | None
    second_begeleider_id: int | None
    start_date: dt.date | None
    end_date: dt.date | None
    fte: float | None
    submit_token: str = ""


@dataclass(frozen=True)
class StageChange:
    """What the "Stage wijzigen" form sends: the aios and the stageplaats stay."""

    begeleider_id: int | None
    second_begeleider_id: int | None
    start_date: dt.date | None
    end_date: dt.date | None
    fte: float | None


def managed_aios_condition(viewer: Viewer) -> ColumnElement[bool]:
    """Condition on Aios: whose stages the viewer may add and change (the beheerder: all; an
    instituutsopleider: the aios of their cohorts, not those they only follow one by one)."""
    match viewer.role:
        case Role.BEHEERDER:
            return true()
        case Role.INSTITUUTSOPLEIDER:
            return Aios.cohort_id.in_(
                select(OpleiderCohort.cohort_id)
                .join(Instituutsopleider, Instituutsopleider.id == OpleiderCohort.opleider_id)
                .where(Instituutsopleider.user_id == viewer.user_id))
    return Aios.id.is_(None)  # nobody else: never true for a row


def _begeleiders(session: Session, ids: list[int]) -> dict[int, tuple[str, set[int]]]:
    """Begeleider id → (username, ids of the stageplaatsen they are linked to)."""
    out: dict[int, tuple[str, set[int]]] = {}
    rows = session.execute(
        select(Stagebegeleider.id, UserAccount.username, BegeleiderStageplaats.stageplaats_id)
        .join(UserAccount, UserAccount.id == Stagebegeleider.user_id)
        .outerjoin(BegeleiderStageplaats, BegeleiderStageplaats.begeleider_id == Stagebegeleider.id)
        .where(Stagebegeleider.id.in_(ids)))
    for bid, username, site in rows:
        out.setdefault(bid, (username, set()))[1].add(site)
    return out


def _check(session: Session, errors: dict[str, str], site: Stageplaats, aios_id: int, begeleider_id, second_id,
           start, end, fte, stage_id: int | None) -> None:
    """The checks a stage gets on both forms, added to `errors` per field."""
    wanted = [b for b in (begeleider_id, second_id) if b is not None]
    known = _begeleiders(session, wanted)
    if begeleider_id is None:
        errors["begeleider_id"] = "Kies een begeleider."
    if second_id is not None and second_id == begeleider_id:
        errors["second_begeleider_id"] = "De tweede begeleider is dezelfde als de eerste; kies een ander of niemand."
    for field, bid in (("begeleider_id", begeleider_id), ("second_begeleider_id", second_id)):
        if bid is None or field in errors:
            continue
        if bid not in known:
            errors[field] = "Deze begeleider bestaat niet."
        elif site.id not in known[bid][1]:
            errors[field] = unlinked_problem(known[bid][0], site.code)
    if start is None:
        errors["start_date"] = "Vul de startdatum in."
    if end is None:
        errors["end_date"] = "Vul de einddatum in."
    elif start is not None and (message := period_problem(start, end)):
        errors["end_date"] = message
    if fte is None:
        errors["fte"] = "Vul de fte in."
    elif message := fte_range_problem(fte):
        errors["fte"] = message
    if errors.keys() & {"start_date", "end_date", "fte"}:
        return
    others = session.execute(
        select(Stage.id, Stage.stageplaats_id, Stageplaats.code, Stage.start_date, Stage.end_date, Stage.fte)
        .join(Stageplaats, Stageplaats.id == Stage.stageplaats_id)
        .where(Stage.aios_id == aios_id, Stage.id != (stage_id or -1))).all()
    this = Period(stage_id, None, site.code, start, end, round(fte, 2))
    periods = [Period(o.id, None, o.code, o.start_date, o.end_date, o.fte) for o in others]
    same_site = [p for p, o in zip(periods, others) if o.stageplaats_id == site.id and p.overlaps(this)]
    if same_site:
        p = same_site[0]
        errors["start_date"] = (f"Deze aios heeft al een stage op {site.code} van {dutch_date(p.start)} tot en met "
                                f"{dutch_date(p.end)}, die met deze periode overlapt. Wijzig die stage in plaats van "
                                "een tweede toe te voegen.")
    elif message := fte_problem(this, [this, *periods]):
        errors["fte"] = message


def add_stage(engine: Engine, viewer: Viewer, data: StageInput, today: dt.date) -> int:
    """Add a stage with its stageplan from the opleiding's current template. Returns the stage's
    id; the same submit token returns the first save's id without writing again."""
    if not data.submit_token:
        raise ValueError("submit_token is required")
    try:
        return _add(engine, viewer, data, today)
    except IntegrityError:
        with Session(engine) as session:
            done = _done(session, viewer, data.submit_token)
        if done is None:
            raise
        return done


def _done(session: Session, viewer: Viewer, token: str) -> int | None:
    """The stage an earlier submit with this token made, if the viewer manages its aios."""
    return session.execute(
        select(Stage.id).join(Stageplan, Stageplan.stage_id == Stage.id).join(Aios, Aios.id == Stage.aios_id)
        .where(Stageplan.submit_token == token, managed_aios_condition(viewer))).scalar_one_or_none()


def _add(engine: Engine, viewer: Viewer, data: StageInput, today: dt.date) -> int:
    with write_session(engine) as session, session.begin():
        done = _done(session, viewer, data.submit_token)
        if done is not None:
            return done
        errors: dict[str, str] = {}
        aios = None
        if data.aios_id is None:
            errors["aios_id"] = "Kies een aios."
        else:
            aios = session.execute(select(Aios).where(Aios.id == data.aios_id, managed_aios_condition(viewer))
                                   ).scalar_one_or_none()
        if may(viewer, Action.STAGE_EDIT) and (aios is not None or data.aios_id is None):
            site = session.get(Stageplaats, data.stageplaats_id) if data.stageplaats_id is not None else None
            if site is None:
                errors["stageplaats_id"] = "Kies een stageplaats."
            elif aios is not None and site.opleiding_id != aios.opleiding_id:
                errors["stageplaats_id"] = "Deze stageplaats hoort niet bij de opleiding van de aios."
            elif site.status is StageplaatsStatus.STOPGEZET:
                errors["stageplaats_id"] = "Deze stageplaats is stopgezet; kies een andere."
            if aios is not None and site is not None and "stageplaats_id" not in errors:
                _check(session, errors, site, aios.id, data.begeleider_id, data.second_begeleider_id,
                       data.start_date, data.end_date, data.fte, None)
            if errors:
                raise ValidationError(errors)
            return _write_new(session, viewer, data, aios, site, today)
    refuse(engine, viewer.user_id, "stage", None, REFUSED)


def _write_new(session: Session, viewer: Viewer, data: StageInput, aios: Aios, site: Stageplaats,
               today: dt.date) -> int:
    start, end, fte = data.start_date, data.end_date, round(data.fte, 2)
    stage = Stage(aios_id=aios.id, stageplaats_id=site.id, start_date=start, end_date=end, fte=fte,
                  status=status_on(start, end, today))
    session.add(stage)
    session.flush()
    begeleiders = [b for b in (data.begeleider_id, data.second_begeleider_id) if b is not None]
    session.add_all([StageBegeleider(stage_id=stage.id, begeleider_id=b, is_primary=i == 0)
                     for i, b in enumerate(begeleiders)])
    template = current_template(session, aios.opleiding_id)
    if template is None:
        # No template yet: the plan the importer makes (the opleiding's KPB default, weekly).
        kpb = session.execute(select(Opleiding.kpb_target_default).where(Opleiding.id == aios.opleiding_id)).scalar_one()
        plan = Stageplan(stage_id=stage.id, kpb_target=kpb, verslag_due=verslag_due(end, None),
                         gesprek_interval_weeks=1, submit_token=data.submit_token)
    else:
        plan = Stageplan(stage_id=stage.id, kpb_target=template.kpb_target,
                         verslag_due=verslag_due(end, template.verslag_days_before),
                         gesprek_interval_weeks=template.gesprek_interval_weeks, template_id=template.id,
                         submit_token=data.submit_token)
        for epa_id, level in session.execute(select(TemplateEpaTarget.epa_id, TemplateEpaTarget.target_level)
                                             .where(TemplateEpaTarget.template_id == template.id)):
            session.add(EpaTarget(stage_id=stage.id, epa_id=epa_id, target_level=level))
        for title, days in session.execute(select(TemplateOpdracht.title, TemplateOpdracht.due_days)
                                           .where(TemplateOpdracht.template_id == template.id)
                                           .order_by(TemplateOpdracht.position)):
            session.add(Praktijkopdracht(stage_id=stage.id, title=title, status=OpdrachtStatus.GEPLAND,
                                         due_date=min(start + dt.timedelta(days=days), end)))
    session.add(plan)
    session.flush()
    record_write(session, viewer.user_id, action="aangemaakt", entity="stage", entity_id=stage.id, after={
        "aios": aios.id, "stageplaats": site.id, "begeleiders": begeleiders, "start": start, "einde": end,
        "fte": fte, "sjabloon": template.id if template else None,
        "sjabloonversie": template.version if template else None})
    return stage.id


def change_stage(engine: Engine, viewer: Viewer, stage_id: int, data: StageChange, today: dt.date) -> int:
    """Change a stage's period, begeleiders or fte. The stageverslag's due date follows a new end
    date while the verslag is not handed in. A change to what the stage already is writes nothing."""
    with write_session(engine) as session, session.begin():
        stage = None
        if may(viewer, Action.STAGE_EDIT):
            stage = session.execute(
                select(Stage).join(Aios, Aios.id == Stage.aios_id)
                .where(Stage.id == stage_id, managed_aios_condition(viewer)).with_for_update()
            ).scalar_one_or_none()
        if stage is not None:
            site = session.get(Stageplaats, stage.stageplaats_id)
            errors: dict[str, str] = {}
            _check(session, errors, site, stage.aios_id, data.begeleider_id, data.second_begeleider_id,
                   data.start_date, data.end_date, data.fte, stage.id)
            if errors:
                raise ValidationError(errors)
            _write_change(session, viewer, stage, data, today)
            return stage.id
    refuse(engine, viewer.user_id, "stage", stage_id, REFUSED)


def _write_change(session: Session, viewer: Viewer, stage: Stage, data: StageChange, today: dt.date) -> None:
    current = session.execute(select(StageBegeleider.begeleider_id).where(StageBegeleider.stage_id == stage.id)
                              .order_by(StageBegeleider.is_primary.desc(), StageBegeleider.begeleider_id)).scalars().all()
    wanted = [b for b in (data.begeleider_id, data.second_begeleider_id) if b is not None]
    old = {"start": stage.start_date, "einde": stage.end_date, "fte": float(stage.fte), "begeleiders": list(current)}
    new = {"start": data.start_date, "einde": data.end_date, "fte": round(data.fte, 2), "begeleiders": wanted}
    changed = [k for k in new if new[k] != old[k]]
    if not changed:
        return
    stage.start_date, stage.end_date, stage.fte = data.start_date, data.end_date, new["fte"]
    if stage.status is not StageStatus.AFGEBROKEN:
        stage.status = status_on(data.start_date, data.end_date, today)
    if "begeleiders" in changed:
        session.execute(delete(StageBegeleider).where(StageBegeleider.stage_id == stage.id))
        session.flush()
        session.add_all([StageBegeleider(stage_id=stage.id, begeleider_id=b, is_primary=i == 0)
                         for i, b in enumerate(wanted)])
    before = {k: old[k] for k in changed}
    after = {k: new[k] for k in changed}
    plan = session.execute(select(Stageplan).where(Stageplan.stage_id == stage.id)).scalar_one_or_none()
    if "einde" in changed and plan is not None and plan.verslag_handed_in is None:
        days = session.execute(select(StageplanTemplate.verslag_days_before)
                               .where(StageplanTemplate.id == plan.template_id)).scalar_one_or_none()
        due = verslag_due(data.end_date, days)
        if due != plan.verslag_due:
            before["stageverslag_uiterlijk"], after["stageverslag_uiterlijk"] = plan.verslag_due, due
            plan.verslag_due = due
    record_write(session, viewer.user_id, action="gewijzigd", entity="stage", entity_id=stage.id,
                 before=before, after=after)
