"""Role scoping, in one place: which stages and stageplaatsen a Viewer may see.

Two kinds of visibility (DOMAIN.md, "Who uses it"):
- individual records (an aios' progress, gesprekken, scores): `individual_stage_ids`;
- aggregates (distributions, frequencies over many aios): `aggregate_stage_ids`, wider for the
  roles that compare groups, and shown only with n.
Each returns a SELECT of ids to use as `column.in_(...)`, so scoping happens in the database.
"""

from __future__ import annotations

from sqlalchemy import Select, false, or_, select

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


def _own_stages(viewer: Viewer) -> Select:
    return select(Stage.id).join(Aios, Aios.id == Stage.aios_id).where(Aios.user_id == viewer.user_id)


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


def individual_stage_ids(viewer: Viewer) -> Select:
    """Stages whose individual records (progress, verslagen, scores) the viewer may see."""
    match viewer.role:
        case Role.BEHEERDER:
            return select(Stage.id)
        case Role.INSTITUUTSOPLEIDER:
            return select(Stage.id).where(
                or_(
                    Stage.aios_id.in_(select(Aios.id).where(Aios.cohort_id.in_(_opleider_cohorts(viewer)))),
                    Stage.aios_id.in_(_opleider_aios(viewer)),
                )
            )
        case Role.STAGECOMMISSIE:
            # The committee judges sites, not persons: no individual aios records.
            return select(Stage.id).where(false())
        case Role.STAGEBEGELEIDER:
            return _begeleider_stages(viewer)
        case Role.AIOS:
            return _own_stages(viewer)
    raise AssertionError(viewer.role)


def aggregate_stage_ids(viewer: Viewer) -> Select:
    """Stages that may feed the aggregates (counts, distributions) a viewer sees.

    Opleiders and the committee compare across their whole programme; a begeleider and an aios
    see aggregates of their own stages only.
    """
    match viewer.role:
        case Role.INSTITUUTSOPLEIDER | Role.STAGECOMMISSIE:
            return select(Stage.id).join(Aios, Aios.id == Stage.aios_id).where(
                Aios.opleiding_id.in_(viewer_opleiding_ids(viewer))
            )
        case _:
            return individual_stage_ids(viewer)


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
