"""Demo meetings of the stagecommissie of the first programme, made through the app's own
commands (so they carry audit rows like real ones): one closed meeting about eight weeks ago
with two decisions and one site discussed without a decision, and one meeting prepared for
two weeks ahead with the agenda the page would suggest (follow-ups due, then flagged sites)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from data_access.flags import add_site_flags
from data_access.meetings import (
    AgendaEntry,
    MeetingInput,
    OutcomeInput,
    agenda_reasons,
    close_meeting,
    load_meeting,
    prepare_meeting,
    record_outcome,
    start_meeting,
)
from data_access.models import AgendaReason, Decision
from data_access.queries.ratings import load_stageplaats_rating_trend
from data_access.queries.stageplaatsen import load_stageplaats_overview
from data_access.settings import load_settings
from data_access.viewer import viewer_for


def add_demo_meetings(engine: Engine, username: str, opleiding_id: int, today: dt.date) -> int:
    """The two demo meetings, by the committee member `username`; returns how many were made."""
    settings = load_settings()
    viewer = viewer_for(engine, username)
    overview = load_stageplaats_overview(engine, viewer, threshold=settings.anonymity_threshold, today=today,
                                         opleiding_id=opleiding_id)
    trend = load_stageplaats_rating_trend(engine, viewer, threshold=settings.anonymity_threshold)
    overview = add_site_flags(overview, trend, settings.site_min_mean)
    attendees = f"{viewer.display_name}\nSecretaris stagecommissie\nAfgevaardigde aios"

    held_on = today - dt.timedelta(days=56)
    past = [int(s) for s in overview.sort_values(["n", "stageplaats"], ascending=[False, True])["stageplaats_id"][:3]]
    closed = prepare_meeting(engine, viewer, MeetingInput(
        opleiding_id=opleiding_id, date=held_on, chair=viewer.display_name, attendees=attendees,
        agenda=tuple(AgendaEntry(s, r) for s, r in zip(past, (AgendaReason.SIGNAAL, AgendaReason.HANDMATIG,
                                                                AgendaReason.HANDMATIG), strict=False)),
        submit_token="demo-vergadering-1"))
    start_meeting(engine, viewer, closed)
    items = load_meeting(engine, viewer, meeting_id=closed).items[["id", "stageplaats_id"]].values.tolist()
    outcomes = [
        (Decision.GESPREK, False, "Begeleiding scoort laag; gesprek met de praktijkopleider.",
         held_on + dt.timedelta(days=90), "Opleider plant het gesprek.", "demo-uitkomst-1"),
        (Decision.GEEN_ACTIE, False, "Beoordelingen goed en stabiel.", None, "", "demo-uitkomst-2"),
        (None, True, "", None, "Terug op de agenda als er nieuwe beoordelingen zijn.", "demo-uitkomst-3"),
    ]
    for (item, site), outcome in zip(items, outcomes, strict=False):
        record_outcome(engine, viewer, int(item), OutcomeInput(closed, int(site), *outcome), held_on)
    close_meeting(engine, viewer, closed, "Volgende vergadering: de verlopen opvolgingen eerst.",
                  now=dt.datetime.combine(held_on, dt.time(17)))

    reasons = agenda_reasons(overview, today)
    agenda = tuple(AgendaEntry(s, r) for s, r in list(reasons.items())[:6]) or tuple(
        AgendaEntry(s, AgendaReason.HANDMATIG) for s in past[:2])
    prepare_meeting(engine, viewer, MeetingInput(
        opleiding_id=opleiding_id, date=today + dt.timedelta(days=14), chair=viewer.display_name,
        attendees=attendees, agenda=agenda, submit_token="demo-vergadering-2"))
    return 2
