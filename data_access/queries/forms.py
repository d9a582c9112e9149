"""What the logging forms offer: drafts waiting for a begeleider, the rubric with its level
descriptions, the EPA's of a stage. All scoped like the records they belong to."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import aliased

from data_access.frames import enum_values, read_frame
from data_access.models import (
    Aios,
    Epa,
    Gesprek,
    GesprekStatus,
    Kpb,
    Role,
    Rubric,
    RubricCriterion,
    RubricLevel,
    RubricLevelDescription,
    Stage,
    Stageplaats,
    UserAccount,
)
from data_access.queries.progress import is_current_gesprek
from data_access.scope import individual_stage_condition
from data_access.viewer import Viewer


def load_drafts(engine: Engine, viewer: Viewer) -> pd.DataFrame:
    """Draft verslagen (concept, current version) the viewer may see: for a begeleider those
    waiting for confirmation, for an aios their own. Oldest first. Columns: id, stage_id,
    aios_name, stageplaats, type, date, author, verslag, afspraken, op_schema, wat_gaat_goed,
    wat_kan_beter, return_remark, version."""
    student, author = aliased(UserAccount), aliased(UserAccount)
    stmt = (
        select(Gesprek.id, Gesprek.stage_id, student.display_name.label("aios_name"),
               Stageplaats.name.label("stageplaats"), Gesprek.type, Gesprek.date,
               author.display_name.label("author"), Gesprek.verslag, Gesprek.afspraken, Gesprek.op_schema,
               Gesprek.wat_gaat_goed, Gesprek.wat_kan_beter, Gesprek.return_remark, Gesprek.version)
        .join(Stage, Stage.id == Gesprek.stage_id)
        .join(Aios, Aios.id == Stage.aios_id)
        .join(student, student.id == Aios.user_id)
        .join(author, author.id == Gesprek.author_id)
        .join(Stageplaats, Stageplaats.id == Stage.stageplaats_id)
        .where(individual_stage_condition(viewer), Gesprek.status == GesprekStatus.CONCEPT, is_current_gesprek())
        .order_by(Gesprek.date, Gesprek.id)
    )
    return enum_values(read_frame(engine, stmt), "type", "op_schema")


def load_pending_kpbs(engine: Engine, viewer: Viewer) -> pd.DataFrame:
    """KPB's an aios entered that wait for the observer's confirmation (concept), scoped like the
    stage: for a begeleider or opleider those to confirm (not those they sent back), for an aios
    their own, with the remark when sent back. Oldest first. Columns: id, stage_id, aios_name,
    stageplaats, date, epa_code, epa_name, proposed_level, feedback, return_remark."""
    student = aliased(UserAccount)
    stmt = (
        select(Kpb.id, Kpb.stage_id, student.display_name.label("aios_name"), Stageplaats.name.label("stageplaats"),
               Kpb.date, Epa.code.label("epa_code"), Epa.name.label("epa_name"), Kpb.proposed_level, Kpb.feedback,
               Kpb.return_remark)
        .join(Stage, Stage.id == Kpb.stage_id)
        .join(Aios, Aios.id == Stage.aios_id)
        .join(student, student.id == Aios.user_id)
        .join(Stageplaats, Stageplaats.id == Stage.stageplaats_id)
        .join(Epa, Epa.id == Kpb.epa_id)
        .where(individual_stage_condition(viewer), Kpb.status == GesprekStatus.CONCEPT)
        .order_by(Kpb.date, Kpb.id)
    )
    if viewer.role is not Role.AIOS:
        stmt = stmt.where(Kpb.return_remark.is_(None))
    frame = read_frame(engine, stmt)
    frame["proposed_level"] = frame["proposed_level"].astype("Int64")
    return frame


def load_rubric_form(engine: Engine, viewer: Viewer, stage_id: int, date: dt.date) -> pd.DataFrame:
    """The rubric version valid on `date` for the stage's programme, one row per criterion and
    level with the level's description. Columns: rubric_id, version, criterion_id, position,
    criterion, canmeds_role, score, label, description."""
    programme = (
        select(Aios.opleiding_id).join(Stage, Stage.aios_id == Aios.id)
        .where(Stage.id == stage_id, individual_stage_condition(viewer))
        .scalar_subquery()
    )
    rubric = (
        select(Rubric.id).where(Rubric.opleiding_id == programme, Rubric.valid_from <= date)
        .order_by(Rubric.valid_from.desc(), Rubric.version.desc()).limit(1).scalar_subquery()
    )
    stmt = (
        select(Rubric.id.label("rubric_id"), Rubric.version, RubricCriterion.id.label("criterion_id"),
               RubricCriterion.position, RubricCriterion.name.label("criterion"), RubricCriterion.canmeds_role,
               RubricLevel.score, RubricLevel.label, RubricLevelDescription.description)
        .join(RubricCriterion, RubricCriterion.rubric_id == Rubric.id)
        .join(RubricLevel, RubricLevel.rubric_id == Rubric.id)
        .outerjoin(RubricLevelDescription, (RubricLevelDescription.criterion_id == RubricCriterion.id)
                   & (RubricLevelDescription.score == RubricLevel.score))
        .where(Rubric.id == rubric)
        .order_by(RubricCriterion.position, RubricLevel.score)
    )
    return enum_values(read_frame(engine, stmt), "canmeds_role")


def load_stage_epas(engine: Engine, viewer: Viewer, stage_id: int) -> pd.DataFrame:
    """The EPA's of the stage's programme. Columns: epa_id, code, name."""
    programme = (
        select(Aios.opleiding_id).join(Stage, Stage.aios_id == Aios.id)
        .where(Stage.id == stage_id, individual_stage_condition(viewer))
        .scalar_subquery()
    )
    stmt = select(Epa.id.label("epa_id"), Epa.code, Epa.name).where(Epa.opleiding_id == programme).order_by(Epa.code)
    return read_frame(engine, stmt)
