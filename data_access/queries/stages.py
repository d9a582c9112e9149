"""What the Stages and Stageplansjablonen forms offer, scoped as the commands are: the aios and
opleidingen the viewer manages (data_access.stages.managed_aios_condition,
data_access.stageplan_templates.managed_opleiding_ids)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, and_, func, select
from sqlalchemy.orm import aliased

from data_access.frames import enum_values, read_frame
from data_access.models import (
    Aios,
    BegeleiderStageplaats,
    Cohort,
    Epa,
    Opleiding,
    Stage,
    StageBegeleider,
    Stagebegeleider,
    Stageplaats,
    StageplaatsStatus,
    Stageplan,
    StageplanTemplate,
    TemplateEpaTarget,
    TemplateOpdracht,
    UserAccount,
)
from data_access.scope import individual_stage_condition
from data_access.stageplan_templates import managed_opleiding_ids
from data_access.stages import managed_aios_condition
from data_access.viewer import Viewer


def load_managed_aios(engine: Engine, viewer: Viewer, opleiding_id: int | None = None) -> pd.DataFrame:
    """Aios whose stages the viewer may add and change. Columns: aios_id, aios_name,
    aios_number, opleiding_id, cohort."""
    stmt = (select(Aios.id.label("aios_id"), UserAccount.display_name.label("aios_name"), Aios.aios_number,
                   Aios.opleiding_id, Cohort.name.label("cohort"))
            .join(UserAccount, UserAccount.id == Aios.user_id).join(Cohort, Cohort.id == Aios.cohort_id)
            .where(managed_aios_condition(viewer)).order_by(UserAccount.display_name, Aios.aios_number))
    if opleiding_id is not None:
        stmt = stmt.where(Aios.opleiding_id == opleiding_id)
    return read_frame(engine, stmt)


def load_site_begeleiders(engine: Engine, viewer: Viewer, opleiding_id: int) -> pd.DataFrame:
    """The stageplaatsen of a managed opleiding that take stages (not stopgezet), each with the
    begeleiders linked to it (one row per link; begeleider_id empty for a site without any).
    Columns: stageplaats_id, stageplaats, code, begeleider_id, begeleider."""
    stmt = (select(Stageplaats.id.label("stageplaats_id"), Stageplaats.name.label("stageplaats"), Stageplaats.code,
                   Stagebegeleider.id.label("begeleider_id"), UserAccount.display_name.label("begeleider"))
            .outerjoin(BegeleiderStageplaats, BegeleiderStageplaats.stageplaats_id == Stageplaats.id)
            .outerjoin(Stagebegeleider, Stagebegeleider.id == BegeleiderStageplaats.begeleider_id)
            .outerjoin(UserAccount, UserAccount.id == Stagebegeleider.user_id)
            .where(Stageplaats.opleiding_id == opleiding_id, Stageplaats.opleiding_id.in_(managed_opleiding_ids(viewer)),
                   Stageplaats.status != StageplaatsStatus.STOPGEZET)
            .order_by(Stageplaats.name, UserAccount.display_name))
    frame = read_frame(engine, stmt)
    frame["begeleider_id"] = frame["begeleider_id"].astype("Int64")
    return frame


def load_managed_stages(engine: Engine, viewer: Viewer, aios_id: int) -> pd.DataFrame:
    """The stages of one managed aios, newest first, with their primary and second begeleider.
    Columns: stage_id, stageplaats_id, stageplaats, start_date, end_date, fte, status,
    begeleider_id, second_begeleider_id, verslag_handed_in."""
    primary, second = aliased(StageBegeleider), aliased(StageBegeleider)
    # The second begeleider: the first non-primary one by id (the form offers one).
    second_id = (select(func.min(second.begeleider_id))
                 .where(second.stage_id == Stage.id, second.is_primary.is_(False)).scalar_subquery())
    stmt = (select(Stage.id.label("stage_id"), Stage.stageplaats_id, Stageplaats.name.label("stageplaats"),
                   Stage.start_date, Stage.end_date, Stage.fte, Stage.status,
                   primary.begeleider_id.label("begeleider_id"), second_id.label("second_begeleider_id"),
                   Stageplan.verslag_handed_in)
            .join(Aios, Aios.id == Stage.aios_id)
            .join(Stageplaats, Stageplaats.id == Stage.stageplaats_id)
            .outerjoin(primary, and_(primary.stage_id == Stage.id, primary.is_primary.is_(True)))
            .outerjoin(Stageplan, Stageplan.stage_id == Stage.id)
            .where(Stage.aios_id == aios_id, managed_aios_condition(viewer))
            .order_by(Stage.start_date.desc()))
    frame = enum_values(read_frame(engine, stmt), "status")
    for column in ("begeleider_id", "second_begeleider_id"):
        frame[column] = frame[column].astype("Int64")
    return frame


def load_managed_opleidingen(engine: Engine, viewer: Viewer) -> pd.DataFrame:
    """Opleidingen whose template the viewer may change, with their current template version
    (empty columns when there is none yet). Columns: opleiding_id, opleiding, template_id,
    name, version, kpb_target, gesprek_interval_weeks, verslag_days_before, kpb_target_default."""
    newest = (select(StageplanTemplate.opleiding_id, func.max(StageplanTemplate.version).label("version"))
              .group_by(StageplanTemplate.opleiding_id).subquery())
    stmt = (select(Opleiding.id.label("opleiding_id"), Opleiding.name.label("opleiding"),
                   StageplanTemplate.id.label("template_id"), StageplanTemplate.name, StageplanTemplate.version,
                   StageplanTemplate.kpb_target, StageplanTemplate.gesprek_interval_weeks,
                   StageplanTemplate.verslag_days_before, Opleiding.kpb_target_default)
            .outerjoin(newest, newest.c.opleiding_id == Opleiding.id)
            .outerjoin(StageplanTemplate, and_(StageplanTemplate.opleiding_id == Opleiding.id,
                                               StageplanTemplate.version == newest.c.version))
            .where(Opleiding.id.in_(managed_opleiding_ids(viewer))).order_by(Opleiding.name))
    frame = read_frame(engine, stmt)
    for column in ("template_id", "version", "kpb_target", "gesprek_interval_weeks", "verslag_days_before"):
        frame[column] = frame[column].astype("Int64")
    return frame


def load_template_epas(engine: Engine, viewer: Viewer, opleiding_id: int) -> pd.DataFrame:
    """Every EPA of a managed opleiding with its target level in the current template (empty:
    not in it). Columns: epa_id, code, name, target_level."""
    current = (select(func.max(StageplanTemplate.id)).where(StageplanTemplate.opleiding_id == opleiding_id)
               .scalar_subquery())
    stmt = (select(Epa.id.label("epa_id"), Epa.code, Epa.name, TemplateEpaTarget.target_level)
            .outerjoin(TemplateEpaTarget, and_(TemplateEpaTarget.epa_id == Epa.id,
                                               TemplateEpaTarget.template_id == current))
            .where(Epa.opleiding_id == opleiding_id, Epa.opleiding_id.in_(managed_opleiding_ids(viewer)))
            .order_by(Epa.code))
    frame = read_frame(engine, stmt)
    frame["target_level"] = frame["target_level"].astype("Int64")
    return frame


def load_template_opdrachten(engine: Engine, viewer: Viewer, opleiding_id: int) -> pd.DataFrame:
    """The praktijkopdrachten of a managed opleiding's current template. Columns: title, due_days."""
    current = (select(func.max(StageplanTemplate.id)).where(StageplanTemplate.opleiding_id == opleiding_id)
               .scalar_subquery())
    stmt = (select(TemplateOpdracht.title, TemplateOpdracht.due_days)
            .where(TemplateOpdracht.template_id == current,
                   TemplateOpdracht.template_id.in_(select(StageplanTemplate.id).where(
                       StageplanTemplate.opleiding_id.in_(managed_opleiding_ids(viewer)))))
            .order_by(TemplateOpdracht.position))
    return read_frame(engine, stmt)


def load_template_versions(engine: Engine, viewer: Viewer, opleiding_id: int) -> pd.DataFrame:
    """Every version of a managed opleiding's template, newest first, with how many stageplannen
    came from it. Columns: version, name, created_at, created_by, kpb_target,
    gesprek_interval_weeks, verslag_days_before, stageplannen."""
    used = (select(Stageplan.template_id, func.count().label("n")).group_by(Stageplan.template_id).subquery())
    stmt = (select(StageplanTemplate.version, StageplanTemplate.name, StageplanTemplate.created_at,
                   UserAccount.display_name.label("created_by"), StageplanTemplate.kpb_target,
                   StageplanTemplate.gesprek_interval_weeks, StageplanTemplate.verslag_days_before,
                   func.coalesce(used.c.n, 0).label("stageplannen"))
            .outerjoin(UserAccount, UserAccount.id == StageplanTemplate.created_by)
            .outerjoin(used, used.c.template_id == StageplanTemplate.id)
            .where(StageplanTemplate.opleiding_id == opleiding_id,
                   StageplanTemplate.opleiding_id.in_(managed_opleiding_ids(viewer)))
            .order_by(StageplanTemplate.version.desc()))
    return read_frame(engine, stmt)


def load_stageplan_origin(engine: Engine, viewer: Viewer, stage_id: int) -> pd.DataFrame:
    """Which template version a stage's plan came from (no row: none, or not visible).
    Columns: name, version, gesprek_interval_weeks."""
    stmt = (select(StageplanTemplate.name, StageplanTemplate.version, Stageplan.gesprek_interval_weeks)
            .join(Stageplan, Stageplan.template_id == StageplanTemplate.id)
            .join(Stage, Stage.id == Stageplan.stage_id).join(Aios, Aios.id == Stage.aios_id)
            .where(Stage.id == stage_id, individual_stage_condition(viewer)))
    return read_frame(engine, stmt)
