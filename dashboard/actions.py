"""The pages' writes: the commands of data_access on this app's engine, each returning the
confirmation a user reads. Validation and access are the commands' own."""

from __future__ import annotations

import datetime as dt

from dashboard.resources import get_engine, get_settings
from data_access.commands import RatingInput, record_decision, submit_rating
from data_access.models import Decision
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
