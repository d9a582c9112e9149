"""Stageplan templates per opleiding: what a new stage's plan starts with.

A template holds the KPB target per stage, EPA's with a target supervision level, the
praktijkopdrachten (due some days after the start), the rhythm of the begeleidingsgesprekken
(weekly, the seeds' default, or every two weeks) and when the stageverslag is due (days before
the end). The schema knows no stage type, so there is one template per opleiding.

Saving a changed template adds a version; only new stages take it (data_access.stages). An
existing stageplan keeps its targets and its template_id says which version it came from.
Who: the beheerder for every opleiding, an instituutsopleider for the opleidingen of their
cohorts. Same style as data_access.gesprekken: a Dutch message per field, one transaction, an
audit row, refusals audited, idempotent by submit token.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.audit import record_write, refuse
from data_access.db import write_session
from data_access.errors import ValidationError
from data_access.models import (
    Cohort,
    Epa,
    Instituutsopleider,
    OpleiderCohort,
    Opleiding,
    Role,
    StageplanTemplate,
    TemplateEpaTarget,
    TemplateOpdracht,
)
from data_access.permissions import Action, may
from data_access.viewer import Viewer

INTERVALS = (1, 2)  # weeks between begeleidingsgesprekken
DEFAULT_VERSLAG_DAYS = 7  # as the importer has always set verslag_due: a week before the end
REFUSED = "U mag het stageplansjabloon van deze opleiding niet wijzigen."


@dataclass(frozen=True)
class TemplateInput:
    """What the form sends: epa_targets (epa id, level 1–5), opdrachten (title, days after start)."""

    opleiding_id: int
    name: str
    kpb_target: int | None
    gesprek_interval_weeks: int
    verslag_days_before: int | None
    epa_targets: tuple[tuple[int, int], ...] = ()
    opdrachten: tuple[tuple[str, int | None], ...] = ()
    submit_token: str = ""


def managed_opleiding_ids(viewer: Viewer) -> Select:
    """The opleidingen whose templates and stages a viewer manages: all for the beheerder, those
    of their cohorts for an instituutsopleider (not of aios they follow one by one), none else."""
    match viewer.role:
        case Role.BEHEERDER:
            return select(Opleiding.id)
        case Role.INSTITUUTSOPLEIDER:
            return (select(Cohort.opleiding_id)
                    .join(OpleiderCohort, OpleiderCohort.cohort_id == Cohort.id)
                    .join(Instituutsopleider, Instituutsopleider.id == OpleiderCohort.opleider_id)
                    .where(Instituutsopleider.user_id == viewer.user_id))
    return select(Opleiding.id).where(False)


def current_template(session: Session, opleiding_id: int) -> StageplanTemplate | None:
    """The newest version of the opleiding's template (what a new stage takes)."""
    return session.execute(
        select(StageplanTemplate).where(StageplanTemplate.opleiding_id == opleiding_id)
        .order_by(StageplanTemplate.version.desc()).limit(1)
    ).scalar_one_or_none()


def template_content(session: Session, template: StageplanTemplate) -> dict:
    """A version's content in one comparable shape (also what the audit row shows)."""
    epas = session.execute(select(TemplateEpaTarget.epa_id, TemplateEpaTarget.target_level)
                           .where(TemplateEpaTarget.template_id == template.id)
                           .order_by(TemplateEpaTarget.epa_id)).all()
    opdrachten = session.execute(select(TemplateOpdracht.title, TemplateOpdracht.due_days)
                                 .where(TemplateOpdracht.template_id == template.id)
                                 .order_by(TemplateOpdracht.position)).all()
    return {"naam": template.name, "kpb_doel": template.kpb_target,
            "gespreksritme_weken": template.gesprek_interval_weeks,
            "verslag_dagen_voor_einde": template.verslag_days_before,
            "epas": [[e, lvl] for e, lvl in epas], "praktijkopdrachten": [[t, d] for t, d in opdrachten]}


def _check(session: Session, data: TemplateInput) -> dict:
    errors: dict[str, str] = {}
    name = (data.name or "").strip()
    if not name:
        errors["name"] = "Geef het sjabloon een naam."
    elif len(name) > 200:
        errors["name"] = f"De naam is te lang: maximaal 200 tekens (nu {len(name)})."
    if data.kpb_target is None or not 0 <= data.kpb_target <= 100:
        errors["kpb_target"] = "Vul het aantal KPB's per stage in: een geheel getal van 0 tot en met 100."
    if data.gesprek_interval_weeks not in INTERVALS:
        errors["gesprek_interval_weeks"] = "Kies wekelijks of om de 2 weken."
    if data.verslag_days_before is None or not 0 <= data.verslag_days_before <= 90:
        errors["verslag_days_before"] = "Vul in hoeveel dagen voor het einde het stageverslag binnen moet zijn: 0 tot en met 90."
    known = set(session.execute(select(Epa.id).where(Epa.opleiding_id == data.opleiding_id)).scalars())
    seen: set[int] = set()
    for epa_id, level in data.epa_targets:
        if epa_id not in known:
            errors.setdefault("epa_targets", "Deze EPA hoort niet bij de opleiding.")
        elif epa_id in seen:
            errors.setdefault("epa_targets", "Elke EPA mag maar één keer in het sjabloon staan.")
        elif level is None or not 1 <= level <= 5:
            errors.setdefault("epa_targets", "Het beoogde supervisieniveau is 1 tot en met 5.")
        seen.add(epa_id)
    opdrachten = []
    for i, (title, days) in enumerate(data.opdrachten):
        title = (title or "").strip()
        if not title and days is None:
            continue  # an empty row of the form
        if not title:
            errors.setdefault(f"opdracht_{i}", "Vul de titel van de praktijkopdracht in.")
        elif len(title) > 200:
            errors.setdefault(f"opdracht_{i}", f"De titel is te lang: maximaal 200 tekens (nu {len(title)}).")
        elif days is None or not 0 <= days <= 730:
            errors.setdefault(f"opdracht_{i}", "Vul in na hoeveel dagen na de start de opdracht af moet zijn: 0 tot en met 730.")
        opdrachten.append([title, days])
    if errors:
        raise ValidationError(errors)
    return {"naam": name, "kpb_doel": data.kpb_target, "gespreksritme_weken": data.gesprek_interval_weeks,
            "verslag_dagen_voor_einde": data.verslag_days_before,
            "epas": sorted([e, lvl] for e, lvl in data.epa_targets), "praktijkopdrachten": opdrachten}


def save_template(engine: Engine, viewer: Viewer, data: TemplateInput) -> int:
    """Save the opleiding's template: a new version when anything changed, else the current one
    (nothing written). Returns the template version's id; the same submit token returns the
    first save's id."""
    if not data.submit_token:
        raise ValueError("submit_token is required")
    try:
        return _save(engine, viewer, data)
    except IntegrityError:
        # A concurrent save (same token, or the same next version number) won the race.
        with Session(engine) as session:
            done = session.execute(select(StageplanTemplate.id).where(
                StageplanTemplate.submit_token == data.submit_token,
                StageplanTemplate.created_by == viewer.user_id)).scalar_one_or_none()
        if done is None:
            raise
        return done


def _save(engine: Engine, viewer: Viewer, data: TemplateInput) -> int:
    with write_session(engine) as session, session.begin():
        allowed = may(viewer, Action.TEMPLATE_SAVE) and session.execute(select(Opleiding.id).where(
            Opleiding.id == data.opleiding_id, Opleiding.id.in_(managed_opleiding_ids(viewer)))).first()
        if allowed:
            done = session.execute(select(StageplanTemplate.id).where(
                StageplanTemplate.submit_token == data.submit_token,
                StageplanTemplate.created_by == viewer.user_id)).scalar_one_or_none()
            if done is not None:
                return done
            new = _check(session, data)
            old = current_template(session, data.opleiding_id)
            before = template_content(session, old) if old is not None else None
            if before == new:
                return old.id
            template = StageplanTemplate(
                opleiding_id=data.opleiding_id, name=new["naam"], version=(old.version + 1) if old else 1,
                kpb_target=data.kpb_target, gesprek_interval_weeks=data.gesprek_interval_weeks,
                verslag_days_before=data.verslag_days_before,
                created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None), created_by=viewer.user_id,
                submit_token=data.submit_token)
            session.add(template)
            session.flush()
            session.add_all([TemplateEpaTarget(template_id=template.id, epa_id=e, target_level=lvl)
                             for e, lvl in new["epas"]])
            session.add_all([TemplateOpdracht(template_id=template.id, position=i, title=t, due_days=d)
                             for i, (t, d) in enumerate(new["praktijkopdrachten"], 1)])
            record_write(session, viewer.user_id, action="nieuwe versie" if old else "aangemaakt",
                         entity="stageplansjabloon", entity_id=template.id,
                         before=None if old is None else {"versie": old.version} | before,
                         after={"opleiding": data.opleiding_id, "versie": template.version} | new)
            return template.id
    refuse(engine, viewer.user_id, "stageplansjabloon", data.opleiding_id, REFUSED)


def verslag_due(end: dt.date, days_before: int | None) -> dt.date:
    """When the stageverslag is due: `days_before` the stage's last day (a week without template)."""
    return end - dt.timedelta(days=DEFAULT_VERSLAG_DAYS if days_before is None else days_before)

