"""What is due on a day, read from the database: one DueItem per user and thing.

Nothing here knows about preferences or about what was mailed before (run.py does)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data_access.flags import add_flags
from data_access.models import (
    Aios,
    FeedbackRequest,
    Gesprek,
    GesprekStatus,
    Instituutsopleider,
    OpleiderAios,
    OpleiderCohort,
    Role,
    Stage,
    StageBegeleider,
    Stagebegeleider,
    StageplaatsRating,
    Stageplan,
    StageStatus,
    UserAccount,
)
from data_access.queries.filters import StageSelection
from data_access.queries.progress import is_current_gesprek, load_stage_progress
from data_access.reminders.kinds import K, DueItem
from data_access.settings import Settings
from data_access.viewer import Viewer

# The whole database through the flag rules, for this command only (never a logged-in user).
_SYSTEM = Viewer(user_id=0, role=Role.BEHEERDER, display_name="herinneringen")


def _short_hash(text: str | None) -> str:
    return hashlib.sha256((text or "").encode()).hexdigest()[:12]


def _concept_items(session: Session, since: dt.date) -> list[DueItem]:
    """Drafts waiting for a begeleider (no remark) and drafts sent back to the aios (remark).

    A draft the aios rewrote has a new submit token and so is a new thing to confirm; a second
    remark is a new thing to rewrite."""
    rows = session.execute(
        select(Gesprek.id, Gesprek.submit_token, Gesprek.return_remark, Stage.id.label("stage_id"),
               Aios.user_id.label("aios_user"))
        .join(Stage, Stage.id == Gesprek.stage_id)
        .join(Aios, Aios.id == Stage.aios_id)
        .where(Gesprek.status == GesprekStatus.CONCEPT, is_current_gesprek(), Gesprek.date >= since)
    ).all()
    begeleiders = _begeleider_users(session, {r.stage_id for r in rows if r.return_remark is None})
    items = []
    for r in rows:
        if r.return_remark is None:
            items += [DueItem(user, K.VERSLAG_VASTSTELLEN, f"gesprek:{r.id}:{_short_hash(r.submit_token)}")
                      for user in begeleiders.get(r.stage_id, ())]
        else:
            items.append(DueItem(r.aios_user, K.VERSLAG_TERUGGESTUURD,
                                 f"gesprek:{r.id}:{_short_hash(r.return_remark)}"))
    return items


def _stageverslag_items(session: Session, today: dt.date, since: dt.date, days_before: int) -> list[DueItem]:
    rows = session.execute(
        select(Stage.id, Stageplan.verslag_due, Aios.user_id)
        .join(Stageplan, Stageplan.stage_id == Stage.id)
        .join(Aios, Aios.id == Stage.aios_id)
        .where(Stageplan.verslag_handed_in.is_(None), Stage.status != StageStatus.AFGEBROKEN,
               Stageplan.verslag_due <= today + dt.timedelta(days=days_before), Stageplan.verslag_due >= since)
    ).all()
    return [DueItem(r.user_id, K.STAGEVERSLAG, f"stage:{r.id}:{r.verslag_due.isoformat()}",
                    r.verslag_due.isoformat()) for r in rows]


def _rating_items(session: Session, today: dt.date, since: dt.date) -> list[DueItem]:
    rated = select(StageplaatsRating.stage_id).where(StageplaatsRating.stage_id == Stage.id).exists()
    rows = session.execute(
        select(Stage.id, Aios.user_id)
        .join(Aios, Aios.id == Stage.aios_id)
        .where(Stage.end_date < today, Stage.end_date >= since, Stage.status != StageStatus.AFGEBROKEN, ~rated)
    ).all()
    return [DueItem(r.user_id, K.STAGEPLAATS_BEOORDELEN, f"stage:{r.id}") for r in rows]


def _feedback_request_items(session: Session, since: dt.date) -> list[DueItem]:
    """Open feedback requests, to the begeleider they were asked of (while they still supervise
    the stage)."""
    rows = session.execute(
        select(FeedbackRequest.id, Stagebegeleider.user_id)
        .join(Stagebegeleider, Stagebegeleider.id == FeedbackRequest.begeleider_id)
        .join(StageBegeleider, (StageBegeleider.stage_id == FeedbackRequest.stage_id)
              & (StageBegeleider.begeleider_id == FeedbackRequest.begeleider_id))
        .where(FeedbackRequest.answered_on.is_(None), FeedbackRequest.declined_on.is_(None),
               FeedbackRequest.asked_on >= since)
    ).all()
    return [DueItem(r.user_id, K.FEEDBACKVRAGEN, f"feedbackvraag:{r.id}") for r in rows]


def _begeleider_users(session: Session, stage_ids: Iterable[int]) -> dict[int, list[int]]:
    ids = sorted(set(stage_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(StageBegeleider.stage_id, Stagebegeleider.user_id)
        .join(Stagebegeleider, Stagebegeleider.id == StageBegeleider.begeleider_id)
        .where(StageBegeleider.stage_id.in_(ids))
    ).all()
    out: dict[int, list[int]] = defaultdict(list)
    for r in rows:
        out[r.stage_id].append(r.user_id)
    return out


def _opleider_users(session: Session, aios_ids: Iterable[int]) -> dict[int, set[int]]:
    """Per aios the opleiders who follow them: through a cohort or individually (their scope)."""
    ids = sorted(set(aios_ids))
    if not ids:
        return {}
    by_cohort = (
        select(Aios.id.label("aios_id"), Instituutsopleider.user_id)
        .join(OpleiderCohort, OpleiderCohort.cohort_id == Aios.cohort_id)
        .join(Instituutsopleider, Instituutsopleider.id == OpleiderCohort.opleider_id)
        .where(Aios.id.in_(ids))
    )
    individual = (
        select(OpleiderAios.aios_id, Instituutsopleider.user_id)
        .join(Instituutsopleider, Instituutsopleider.id == OpleiderAios.opleider_id)
        .where(OpleiderAios.aios_id.in_(ids))
    )
    out: dict[int, set[int]] = defaultdict(set)
    for r in session.execute(by_cohort.union(individual)).all():
        out[r.aios_id].add(r.user_id)
    return out


def _anchor(row: pd.Series, flag: str) -> str:
    """What makes a recurring flag a new one: a new gap after a new gesprek or feedback moment."""
    column = {"gesprek": "last_gesprek", "feedback": "last_feedback"}.get(flag)
    if column is None:
        return ""
    value = row[column]
    return "geen" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _flag_items(engine: Engine, session: Session, today: dt.date, settings: Settings) -> list[DueItem]:
    """Overdue gesprekken (to the begeleiders) and new signals (to the opleiders), by the very
    rules and thresholds of the cohort overview (flags.add_flags with settings.flags)."""
    progress = load_stage_progress(engine, _SYSTEM, StageSelection(today=today))
    if progress.empty:
        return []
    flagged = add_flags(progress, today, settings.flags)
    flagged = flagged[flagged["flag_count"] > 0]
    begeleiders = _begeleider_users(session, flagged["stage_id"].astype(int))
    opleiders = _opleider_users(session, flagged["aios_id"].astype(int))
    items = []
    for _, row in flagged.iterrows():
        stage_id = int(row["stage_id"])
        if "gesprek" in row["flags"]:
            key = f"stage:{stage_id}:sinds:{_anchor(row, 'gesprek')}"
            items += [DueItem(user, K.GESPREK_ACHTER, key) for user in begeleiders.get(stage_id, ())]
        for flag in row["flags"]:
            key = f"stage:{stage_id}:{flag}:{_anchor(row, flag)}"
            items += [DueItem(user, K.SIGNALEN, key, flag) for user in sorted(opleiders.get(int(row["aios_id"]), ()))]
    return items


def due_items(engine: Engine, today: dt.date, settings: Settings) -> list[DueItem]:
    """Everything due on `today` for active users with an e-mail address, sorted; not yet
    filtered by preference or by what was mailed before."""
    since = today - dt.timedelta(days=settings.reminder_window_days)
    with Session(engine) as session:
        items = (
            _concept_items(session, since)
            + _stageverslag_items(session, today, since, settings.reminder_verslag_days_before)
            + _rating_items(session, today, since)
            + _feedback_request_items(session, since)
            + _flag_items(engine, session, today, settings)
        )
        reachable = set(session.execute(
            select(UserAccount.id).where(UserAccount.active.is_(True), UserAccount.email.is_not(None),
                                         UserAccount.email != "")
        ).scalars())
    return sorted({item for item in items if item.user_id in reachable}, key=DueItem.order)
