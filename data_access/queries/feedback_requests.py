"""Feedback requests one by one: the aios' own (Mijn stage), the begeleider's open ones (Mijn
aios), an opleider's in their scope. Individual records: individual scope, and a begeleider
sees only the requests addressed to them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import aliased

from data_access.frames import enum_values, read_frame
from data_access.models import (
    Aios,
    Epa,
    FeedbackRequest,
    Role,
    Stage,
    StageBegeleider,
    Stagebegeleider,
    Stageplaats,
    UserAccount,
)
from data_access.scope import individual_stage_condition
from data_access.viewer import Viewer

OPEN, ANSWERED, DECLINED = "open", "beantwoord", "afgewezen"
COLUMNS = ["id", "stage_id", "aios_id", "aios_name", "stageplaats", "begeleider_id", "begeleider_name", "kind",
           "epa_id", "epa_code", "epa_name", "topic", "wished_date", "asked_on", "answered_on", "kpb_id",
           "feedback_moment_id", "declined_on", "decline_reason", "status", "expired", "days_open"]


def request_status(answered_on, declined_on) -> str:
    if answered_on is not None and pd.notna(answered_on):
        return ANSWERED
    if declined_on is not None and pd.notna(declined_on):
        return DECLINED
    return OPEN


def load_feedback_requests(engine: Engine, viewer: Viewer, *, today: dt.date, expiry_days: int,
                           stage_id: int | None = None, open_only: bool = False) -> pd.DataFrame:
    """Requests the viewer may see one by one, newest first. A request is "verlopen" (expired)
    while it is open more than `expiry_days` after it was asked. Columns: COLUMNS."""
    aios_user, begeleider_user = aliased(UserAccount), aliased(UserAccount)
    stmt = (
        select(FeedbackRequest.id, FeedbackRequest.stage_id, Aios.id.label("aios_id"),
               aios_user.display_name.label("aios_name"), Stageplaats.name.label("stageplaats"),
               FeedbackRequest.begeleider_id, begeleider_user.display_name.label("begeleider_name"),
               FeedbackRequest.kind, FeedbackRequest.epa_id, Epa.code.label("epa_code"), Epa.name.label("epa_name"),
               FeedbackRequest.topic, FeedbackRequest.wished_date, FeedbackRequest.asked_on,
               FeedbackRequest.answered_on, FeedbackRequest.kpb_id, FeedbackRequest.feedback_moment_id,
               FeedbackRequest.declined_on, FeedbackRequest.decline_reason)
        .join(Stage, Stage.id == FeedbackRequest.stage_id)
        .join(Aios, Aios.id == Stage.aios_id)
        .join(aios_user, aios_user.id == Aios.user_id)
        .join(Stageplaats, Stageplaats.id == Stage.stageplaats_id)
        .join(Stagebegeleider, Stagebegeleider.id == FeedbackRequest.begeleider_id)
        .join(begeleider_user, begeleider_user.id == Stagebegeleider.user_id)
        .outerjoin(Epa, Epa.id == FeedbackRequest.epa_id)
        .where(individual_stage_condition(viewer), FeedbackRequest.asked_on <= today)
        .order_by(FeedbackRequest.asked_on.desc(), FeedbackRequest.id.desc())
    )
    if viewer.role is Role.STAGEBEGELEIDER:
        stmt = stmt.where(Stagebegeleider.user_id == viewer.user_id)
    if stage_id is not None:
        stmt = stmt.where(FeedbackRequest.stage_id == stage_id)
    if open_only:
        stmt = stmt.where(FeedbackRequest.answered_on.is_(None), FeedbackRequest.declined_on.is_(None))
    frame = enum_values(read_frame(engine, stmt), "kind")
    frame["status"] = [request_status(a, d) for a, d in zip(frame["answered_on"], frame["declined_on"], strict=True)]
    frame["days_open"] = [(today - asked).days for asked in frame["asked_on"]]
    frame["expired"] = (frame["status"] == OPEN) & (frame["days_open"] > expiry_days)
    return frame.reindex(columns=COLUMNS)


def load_stage_begeleiders(engine: Engine, viewer: Viewer, stage_id: int) -> pd.DataFrame:
    """The begeleiders of a stage the viewer may see (whom an aios can ask), primary first.
    Columns: begeleider_id, name."""
    stmt = (
        select(StageBegeleider.begeleider_id, UserAccount.display_name.label("name"))
        .join(Stagebegeleider, Stagebegeleider.id == StageBegeleider.begeleider_id)
        .join(UserAccount, UserAccount.id == Stagebegeleider.user_id)
        .join(Stage, Stage.id == StageBegeleider.stage_id)
        .join(Aios, Aios.id == Stage.aios_id)
        .where(StageBegeleider.stage_id == stage_id, individual_stage_condition(viewer))
        .order_by(StageBegeleider.is_primary.desc(), UserAccount.display_name)
    )
    return read_frame(engine, stmt)
