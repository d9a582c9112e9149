"""The pages' writes: the commands of data_access on this app's engine, each returning the
confirmation a user reads. Validation and access are the commands' own."""

from __future__ import annotations

import datetime as dt

from dashboard.resources import get_engine, get_settings
from data_access.commands import RatingInput, record_decision, submit_rating
from data_access.gesprekken import (
    FeedbackInput,
    GesprekInput,
    KpbInput,
    Limits,
    confirm_gesprek,
    log_feedback,
    log_gesprek,
    log_kpb,
    return_gesprek,
)
from data_access.models import Decision, Role
from data_access.viewer import Viewer


def _engine():
    return get_engine(get_settings().db_url)


def decide(viewer: Viewer, stageplaats_id: int, name: str, decision: Decision, rationale: str,
           follow_up: dt.date | None, today: dt.date) -> str:
    record_decision(_engine(), viewer, stageplaats_id, decision, rationale, follow_up, today)
    later = f", opvolgen op {follow_up:%d-%m-%Y}" if follow_up else ""
    return f"Besluit vastgelegd voor {name}: {decision.value}{later}."


def rate(viewer: Viewer, stage_id: int, name: str, rating: RatingInput, today: dt.date) -> str:
    submit_rating(_engine(), viewer, stage_id, rating, today)
    return f"Uw beoordeling van {name} is opgeslagen. Andere aios en uw begeleiders zien alleen gemiddelden van minstens {get_settings().anonymity_threshold} beoordelingen."


def _limits() -> Limits:
    s = get_settings()
    return Limits(text=s.text_limit, date_margin_days=s.gesprek_date_margin_days)


def save_gesprek(viewer: Viewer, data: GesprekInput, today: dt.date, replaces: int | None = None) -> str:
    log_gesprek(_engine(), viewer, data, today, _limits(), replaces=replaces)
    state = ("als concept opgeslagen; uw begeleider stelt het vast" if viewer.role is Role.AIOS
             else "vastgelegd en vastgesteld")
    return f"{data.type.value.capitalize()} van {data.date:%d-%m-%Y} is {state}."


def confirm(viewer: Viewer, gesprek_id: int, what: str) -> str:
    confirm_gesprek(_engine(), viewer, gesprek_id)
    return f"Vastgesteld: {what}."


def send_back(viewer: Viewer, gesprek_id: int, remark: str, what: str) -> str:
    return_gesprek(_engine(), viewer, gesprek_id, remark, _limits())
    return f"Teruggestuurd naar de aios: {what}."


def save_kpb(viewer: Viewer, data: KpbInput, today: dt.date) -> str:
    log_kpb(_engine(), viewer, data, today, _limits())
    return f"KPB van {data.date:%d-%m-%Y} vastgelegd (supervisieniveau {data.supervision_level})."


def save_feedback(viewer: Viewer, data: FeedbackInput, today: dt.date) -> str:
    log_feedback(_engine(), viewer, data, today, _limits())
    return f"Feedbackmoment van {data.date:%d-%m-%Y} vastgelegd."
