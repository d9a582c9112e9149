"""Role scoping, in one place: which stages and stageplaatsen a Viewer may see.

Two kinds of visibility (DOMAIN.md, "Who uses it"):
- individual records (an aios' progress, gesprekken, scores): `individual_stage_condition`;
- aggregates (distributions, frequencies over many aios): `aggregate_stage_condition`, wider
  for the roles that compare groups, and shown only with n.
Each is a condition on Stage joined with Aios, so scoping happens in the database.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, or_, select, true

from data_access.models import (
    Aios,
    BegeleiderStageplaats,
    Cohort,
    CommissieLid,
    Instituutsopleider,
    Opleiding,
    OpleiderAios,
    OpleiderCohort,
    Role,
    Stage,
    StageBegeleider,
    Stagebegeleider,
    Stageplaats,
)
from data_access.viewer import Viewer


def _opleider_cohorts(viewer: Viewer) -> Select:
    return (
        select(OpleiderCohort.cohort_id)
        .join(Instituutsopleider, Instituutsopleider.id == OpleiderCohort.opleider_id)
        .where(Instituutsopleider.user_id == viewer.user_id)
    )


def _opleider_aios(viewer: Viewer) -> Select:
    return (
        select(OpleiderAios.aios_id)
        .join(Instituutsopleider, Instituutsopleider.id == OpleiderAios.opleider_id)
        .where(Instituutsopleider.user_id == viewer.user_id)
    )


def _begeleider_stages(viewer: Viewer) -> Select:
    return (
        select(StageBegeleider.stage_id)
        .join(Stagebegeleider, Stagebegeleider.id == StageBegeleider.begeleider_id)
        .where(Stagebegeleider.user_id == viewer.user_id)
    )


def viewer_opleiding_ids(viewer: Viewer) -> Select:
    """The programmes a viewer works for (all of them for the beheerder)."""
    match viewer.role:
        case Role.BEHEERDER:
            return select(Opleiding.id)
        case Role.INSTITUUTSOPLEIDER:
            return select(Cohort.opleiding_id).where(Cohort.id.in_(_opleider_cohorts(viewer))).union(
                select(Aios.opleiding_id).where(Aios.id.in_(_opleider_aios(viewer)))
            )
        case Role.STAGECOMMISSIE:
            return select(CommissieLid.opleiding_id).where(CommissieLid.user_id == viewer.user_id)
        case Role.STAGEBEGELEIDER:
            return select(Aios.opleiding_id).join(Stage, Stage.aios_id == Aios.id).where(
                Stage.id.in_(_begeleider_stages(viewer))
            )
        case Role.AIOS:
            return select(Aios.opleiding_id).where(Aios.user_id == viewer.user_id)
    raise AssertionError(viewer.role)


def individual_stage_condition(viewer: Viewer) -> ColumnElement[bool]:
    """Condition on Stage joined with Aios: stages whose individual records the viewer may see.

    A condition rather than `Stage.id IN (SELECT ...)`, so the planner can use the indexes of
    the query it is part of (an id list over all stages made SQLite probe it per aios).
    """
    match viewer.role:
        case Role.BEHEERDER:
            return true()
        case Role.INSTITUUTSOPLEIDER:
            return or_(
                Aios.cohort_id.in_(_opleider_cohorts(viewer)),
                Aios.id.in_(_opleider_aios(viewer)),
            )
        case Role.STAGECOMMISSIE:
            # The committee judges sites, not persons: no individual aios records.
            return false()
        case Role.STAGEBEGELEIDER:
            return Stage.id.in_(_begeleider_stages(viewer))
        case Role.AIOS:
            return Aios.user_id == viewer.user_id
    raise AssertionError(viewer.role)


def aggregate_stage_condition(viewer: Viewer) -> ColumnElement[bool]:
    """Condition on Stage joined with Aios: stages that may feed the aggregates a viewer sees.

    Opleiders and the committee compare across their whole programme; a begeleider and an aios
    see aggregates of their own stages only.
    """
    match viewer.role:
        case Role.INSTITUUTSOPLEIDER | Role.STAGECOMMISSIE:
            return Aios.opleiding_id.in_(viewer_opleiding_ids(viewer))
        case _:
            return individual_stage_condition(viewer)


def calibration_stage_condition(viewer: Viewer) -> ColumnElement[bool]:
    """Condition on Stage joined with Aios: stages whose scores may feed a rater comparison.

    A begeleider is compared with every rater of their programmes (an aggregate per rater, the
    others anonymised by the query); everyone else as in aggregate_stage_condition.
    """
    if viewer.role is Role.STAGEBEGELEIDER:
        return Aios.opleiding_id.in_(viewer_opleiding_ids(viewer))
    return aggregate_stage_condition(viewer)


def individual_stage_ids(viewer: Viewer) -> Select:
    """The ids of individual_stage_condition, for tables that hang off a stage."""
    return select(Stage.id).join(Aios, Aios.id == Stage.aios_id).where(individual_stage_condition(viewer))


def rated_stageplaats_ids(viewer: Viewer) -> Select:
    """Stageplaatsen whose rating aggregates the viewer may see (always n ≥ threshold)."""
    match viewer.role:
        case Role.BEHEERDER:
            return select(Stageplaats.id)
        case Role.INSTITUUTSOPLEIDER | Role.STAGECOMMISSIE:
            return select(Stageplaats.id).where(
                Stageplaats.opleiding_id.in_(viewer_opleiding_ids(viewer))
            )
        case Role.STAGEBEGELEIDER:
            return (
                select(BegeleiderStageplaats.stageplaats_id)
                .join(Stagebegeleider, Stagebegeleider.id == BegeleiderStageplaats.begeleider_id)
                .where(Stagebegeleider.user_id == viewer.user_id)
            )
        case Role.AIOS:
            # An aios sees only their own rating, never an aggregate of others'.
            return select(Stageplaats.id).where(false())
    raise AssertionError(viewer.role)
