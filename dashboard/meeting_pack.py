"""What a meeting adds to its pack: the meeting itself (cover and outcomes in the PDF), the
response rate per site, and an agenda sheet beside the Excel's site and decision sheets."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine

from data_access.meetings import MeetingView, load_meeting
from data_access.queries.response import load_response_rate
from data_access.viewer import Viewer


def agenda_sheet(meeting: MeetingView) -> pd.DataFrame:
    items = meeting.items
    return pd.DataFrame({
        "Punt": items["position"],
        "Stageplaats": items["stageplaats"],
        "Reden op de agenda": items["reason"],
        "Uitkomst": items["status"].map({"besluit": "besluit", "besproken": "besproken zonder besluit",
                                         "te bespreken": "niet besproken"}),
        "Besluit": items["decision"],
        "Motivering": items["rationale"],
        "Opvolgen op": items["follow_up_date"],
        "Aantekening": items["notes"],
    })


def meeting_extras(engine: Engine, viewer: Viewer, meeting_id: int | None, today: dt.date, threshold: int,
                   opleiding_id: int | None) -> tuple[dict, dict[str, pd.DataFrame]]:
    """Keyword arguments for reports.meeting_pack_pdf and extra Excel sheets, for a meeting
    (none without one)."""
    if meeting_id is None:
        return {}, {}
    meeting = load_meeting(engine, viewer, meeting_id=meeting_id)
    if meeting is None:
        return {}, {}
    rates = load_response_rate(engine, viewer, by="stageplaats", today=today, threshold=threshold,
                               opleiding_id=opleiding_id)
    return {"meeting": meeting, "rates": rates}, {"Agenda": agenda_sheet(meeting)}
