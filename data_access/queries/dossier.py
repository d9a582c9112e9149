"""The aiosdossier: one aios' stages and, per stage, everything recorded in it.

Everything here is an individual record, so each query is scoped by
`individual_stage_condition`: an opleider sees the aios they follow, a stagebegeleider only the
stages placed with them (current or past), an aios only themself, the committee nobody.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, Select, func, select
from sqlalchemy.orm import aliased

from data_access.cycle import gesprek_slots
from data_access.frames import enum_values, read_frame
from data_access.models import (
    Aios,
    Beoordeling,
    Cohort,
    Epa,
    EpaTarget,
    FeedbackMoment,
    Gesprek,
    GesprekStatus,
    Kpb,
    Leerdoel,
    LeerdoelHistory,
    Opleiding,
    Praktijkopdracht,
    Rubric,
    RubricCriterion,
    RubricLevel,
    RubricScore,
    Stage,
    StageBegeleider,
    Stagebegeleider,
    Stageplaats,
    UserAccount,
)
from data_access.queries.filters import StageSelection
from data_access.queries.progress import is_current_gesprek, load_stage_progress
from data_access.scope import individual_stage_condition
from data_access.viewer import Viewer


def _visible_stage(viewer: Viewer, stage_id: int) -> Select:
    return (
        select(Stage.id)
        .join(Aios, Aios.id == Stage.aios_id)
        .where(Stage.id == stage_id, individual_stage_condition(viewer))
    )


def load_dossier_aios(
    engine: Engine, viewer: Viewer, opleiding_id: int | None = None, cohort_ids: tuple[int, ...] = ()
) -> pd.DataFrame:
    """The aios whose dossier the viewer may open. Columns: aios_id, aios_name, aios_number, cohort."""
    visible = select(Stage.aios_id).join(Aios, Aios.id == Stage.aios_id).where(individual_stage_condition(viewer))
    stmt = (
        select(Aios.id.label("aios_id"), UserAccount.display_name.label("aios_name"), Aios.aios_number,
               Cohort.name.label("cohort"))
        .join(UserAccount, UserAccount.id == Aios.user_id)
        .join(Cohort, Cohort.id == Aios.cohort_id)
        .where(Aios.id.in_(visible))
        .order_by(UserAccount.display_name, Aios.aios_number)
    )
    if opleiding_id is not None:
        stmt = stmt.where(Aios.opleiding_id == opleiding_id)
    if cohort_ids:
        stmt = stmt.where(Aios.cohort_id.in_(cohort_ids))
    return read_frame(engine, stmt)


def load_aios_stages(engine: Engine, viewer: Viewer, aios_id: int) -> pd.DataFrame:
    """The stages of one aios the viewer may see, newest first, with the dossier's header.

    Columns: stage_id, aios_name, aios_number, opleiding, cohort, stageplaats, start_date,
    end_date, status, begeleiders (names, comma-separated).
    """
    stmt = (
        select(
            Stage.id.label("stage_id"),
            UserAccount.display_name.label("aios_name"),
            Aios.aios_number,
            Opleiding.name.label("opleiding"),
            Cohort.name.label("cohort"),
            Stageplaats.name.label("stageplaats"),
            Stage.start_date,
            Stage.end_date,
            Stage.status,
        )
        .join(Aios, Aios.id == Stage.aios_id)
        .join(UserAccount, UserAccount.id == Aios.user_id)
        .join(Opleiding, Opleiding.id == Aios.opleiding_id)
        .join(Cohort, Cohort.id == Aios.cohort_id)
        .join(Stageplaats, Stageplaats.id == Stage.stageplaats_id)
        .where(Stage.aios_id == aios_id, individual_stage_condition(viewer))
        .order_by(Stage.start_date.desc())
    )
    stages = enum_values(read_frame(engine, stmt), "status")
    begeleiders = read_frame(
        engine,
        select(StageBegeleider.stage_id, UserAccount.display_name)
        .join(Stagebegeleider, Stagebegeleider.id == StageBegeleider.begeleider_id)
        .join(UserAccount, UserAccount.id == Stagebegeleider.user_id)
        .where(StageBegeleider.stage_id.in_(stages["stage_id"].tolist()))
        .order_by(StageBegeleider.is_primary.desc(), UserAccount.display_name),
    )
    names = begeleiders.groupby("stage_id")["display_name"].agg(", ".join)
    stages["begeleiders"] = stages["stage_id"].map(names).fillna("")
    return stages


@dataclass(frozen=True)
class StageDossier:
    """Everything recorded in one stage, as frames (picklable, so a page can cache it).

    progress: the stage's row of load_stage_progress (one row);
    slots: gesprek_slots of the stage (expected vs held, with status);
    gesprekken: every version of every gesprek, newest first (current: not replaced by a
        correction; original_id: its first version, shared by all its versions);
    kpbs, feedback: the moments, oldest first;
    leerdoelen, leerdoel_history, epa_targets, opdrachten: the stageplan and its progress;
    scores: rubric scores per beoordeling and criterion, oldest first.
    """

    progress: pd.DataFrame
    slots: pd.DataFrame
    gesprekken: pd.DataFrame
    kpbs: pd.DataFrame
    feedback: pd.DataFrame
    leerdoelen: pd.DataFrame
    leerdoel_history: pd.DataFrame
    epa_targets: pd.DataFrame
    opdrachten: pd.DataFrame
    scores: pd.DataFrame


def load_stage_dossier(engine: Engine, viewer: Viewer, stage_id: int, today: dt.date) -> StageDossier | None:
    """The dossier of one stage, or None when the viewer may not see it (or it does not exist)."""
    progress = load_stage_progress(engine, viewer, StageSelection(today, running_only=False, stage_ids=(stage_id,)))
    if progress.empty:
        return None
    visible = _visible_stage(viewer, stage_id)
    gesprekken = _load_gesprekken(engine, visible)
    current = gesprekken[gesprekken["current"]]
    slots = gesprek_slots(progress[["stage_id", "start_date", "end_date", "gesprek_interval_weeks"]], current, today)
    return StageDossier(
        progress=progress,
        slots=slots.drop(columns="stage_id"),
        gesprekken=gesprekken,
        kpbs=_load_kpbs(engine, visible),
        feedback=_load_feedback(engine, visible),
        leerdoelen=_load_leerdoelen(engine, visible),
        leerdoel_history=_load_leerdoel_history(engine, visible),
        epa_targets=_load_epa_targets(engine, visible),
        opdrachten=enum_values(read_frame(engine, (
            select(Praktijkopdracht.title, Praktijkopdracht.due_date, Praktijkopdracht.status)
            .where(Praktijkopdracht.stage_id.in_(visible))
            .order_by(Praktijkopdracht.due_date, Praktijkopdracht.id)
        )), "status"),
        scores=_load_scores(engine, visible),
    )


def _load_gesprekken(engine: Engine, visible: Select) -> pd.DataFrame:
    author, confirmer = aliased(UserAccount), aliased(UserAccount)
    stmt = (
        select(
            Gesprek.id, Gesprek.stage_id, Gesprek.type, Gesprek.date, Gesprek.status, Gesprek.version,
            Gesprek.supersedes_id, is_current_gesprek().label("current"),
            author.display_name.label("author"), confirmer.display_name.label("confirmed_by"),
            Gesprek.confirmed_at, Gesprek.verslag, Gesprek.afspraken, Gesprek.op_schema,
            Gesprek.wat_gaat_goed, Gesprek.wat_kan_beter,
        )
        .join(author, author.id == Gesprek.author_id)
        .outerjoin(confirmer, confirmer.id == Gesprek.confirmed_by)
        .where(Gesprek.stage_id.in_(visible))
        .order_by(Gesprek.date.desc(), Gesprek.version.desc(), Gesprek.id.desc())
    )
    frame = enum_values(read_frame(engine, stmt), "type", "status", "op_schema")
    frame["current"] = frame["current"].astype(bool)
    frame["original_id"] = _originals(frame)
    return frame


def _originals(gesprekken: pd.DataFrame) -> list[int]:
    """The first version of each gesprek, following the chain of corrections back."""
    parent = dict(zip(gesprekken["id"], gesprekken["supersedes_id"], strict=True))

    def first(gid: int) -> int:
        while pd.notna(parent.get(gid)):
            gid = int(parent[gid])
        return gid

    return [first(gid) for gid in gesprekken["id"]]


def _load_kpbs(engine: Engine, visible: Select) -> pd.DataFrame:
    """The vastgesteld KPB's (an aios' concept has no level yet and waits for the observer).
    Columns: date, epa_code, epa_name, supervision_level, initiated_by, observer, feedback."""
    stmt = (
        select(Kpb.date, Epa.code.label("epa_code"), Epa.name.label("epa_name"), Kpb.supervision_level,
               Kpb.initiated_by, UserAccount.display_name.label("observer"), Kpb.feedback)
        .join(Epa, Epa.id == Kpb.epa_id)
        .join(UserAccount, UserAccount.id == Kpb.observer_id)
        .where(Kpb.stage_id.in_(visible), Kpb.status == GesprekStatus.VASTGESTELD)
        .order_by(Kpb.date, Kpb.id)
    )
    return enum_values(read_frame(engine, stmt), "initiated_by")


def _load_feedback(engine: Engine, visible: Select) -> pd.DataFrame:
    """Columns: date, kind, asked_by_aios, giver, topic."""
    stmt = (
        select(FeedbackMoment.date, FeedbackMoment.kind, FeedbackMoment.asked_by_aios,
               UserAccount.display_name.label("giver"), FeedbackMoment.topic)
        .join(UserAccount, UserAccount.id == FeedbackMoment.giver_id)
        .where(FeedbackMoment.stage_id.in_(visible))
        .order_by(FeedbackMoment.date, FeedbackMoment.id)
    )
    frame = enum_values(read_frame(engine, stmt), "kind")
    frame["asked_by_aios"] = frame["asked_by_aios"].astype(bool)
    return frame


def _load_leerdoelen(engine: Engine, visible: Select) -> pd.DataFrame:
    """Columns: id, text, canmeds_role, target_date, status, proposed_status (what the aios
    proposes, waiting for the begeleider; empty when nothing), changes (history rows)."""
    changes = (
        select(LeerdoelHistory.leerdoel_id, func.count().label("changes"))
        .group_by(LeerdoelHistory.leerdoel_id)
        .subquery()
    )
    stmt = (
        select(Leerdoel.id, Leerdoel.text, Leerdoel.canmeds_role, Leerdoel.target_date, Leerdoel.status,
               Leerdoel.proposed_status, func.coalesce(changes.c.changes, 0).label("changes"))
        .outerjoin(changes, changes.c.leerdoel_id == Leerdoel.id)
        .where(Leerdoel.stage_id.in_(visible))
        .order_by(Leerdoel.id)
    )
    return enum_values(read_frame(engine, stmt), "canmeds_role", "status", "proposed_status")


def _load_leerdoel_history(engine: Engine, visible: Select) -> pd.DataFrame:
    """Columns: leerdoel_id, changed_at, changed_by, status, text; oldest first."""
    stmt = (
        select(LeerdoelHistory.leerdoel_id, LeerdoelHistory.changed_at,
               UserAccount.display_name.label("changed_by"), LeerdoelHistory.status, LeerdoelHistory.text)
        .join(Leerdoel, Leerdoel.id == LeerdoelHistory.leerdoel_id)
        .outerjoin(UserAccount, UserAccount.id == LeerdoelHistory.changed_by)
        .where(Leerdoel.stage_id.in_(visible))
        .order_by(LeerdoelHistory.leerdoel_id, LeerdoelHistory.changed_at, LeerdoelHistory.id)
    )
    return enum_values(read_frame(engine, stmt), "status")


def _load_epa_targets(engine: Engine, visible: Select) -> pd.DataFrame:
    """Per EPA in the stageplan: the target level, the KPB's in this stage and the highest
    supervision level reached. Columns: epa_code, epa_name, target_level, n_kpb, max_level."""
    reached = (
        select(Kpb.epa_id, func.count().label("n_kpb"), func.max(Kpb.supervision_level).label("max_level"))
        .where(Kpb.stage_id.in_(visible), Kpb.status == GesprekStatus.VASTGESTELD)
        .group_by(Kpb.epa_id)
        .subquery()
    )
    stmt = (
        select(Epa.code.label("epa_code"), Epa.name.label("epa_name"), EpaTarget.target_level,
               func.coalesce(reached.c.n_kpb, 0).label("n_kpb"), reached.c.max_level)
        .join(Epa, Epa.id == EpaTarget.epa_id)
        .outerjoin(reached, reached.c.epa_id == EpaTarget.epa_id)
        .where(EpaTarget.stage_id.in_(visible))
        .order_by(Epa.code)
    )
    frame = read_frame(engine, stmt)
    frame["max_level"] = frame["max_level"].astype("Int64")
    return frame


def _load_scores(engine: Engine, visible: Select) -> pd.DataFrame:
    """Columns: beoordeling_id, date, moment, rater_kind, rater, version, position, criterion,
    canmeds_role, score, label."""
    stmt = (
        select(
            Beoordeling.id.label("beoordeling_id"), Beoordeling.date, Beoordeling.moment, Beoordeling.rater_kind,
            UserAccount.display_name.label("rater"), Rubric.version, RubricCriterion.position,
            RubricCriterion.name.label("criterion"), RubricCriterion.canmeds_role, RubricScore.score,
            RubricLevel.label,
        )
        .join(RubricScore, RubricScore.beoordeling_id == Beoordeling.id)
        .join(RubricCriterion, RubricCriterion.id == RubricScore.criterion_id)
        .join(Rubric, Rubric.id == Beoordeling.rubric_id)
        .join(RubricLevel, (RubricLevel.rubric_id == Beoordeling.rubric_id) & (RubricLevel.score == RubricScore.score))
        .join(UserAccount, UserAccount.id == Beoordeling.rater_id)
        .where(Beoordeling.stage_id.in_(visible))
        .order_by(Beoordeling.date, Beoordeling.id, RubricCriterion.position)
    )
    return enum_values(read_frame(engine, stmt), "moment", "rater_kind", "canmeds_role")
