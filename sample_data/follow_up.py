"""Demo follow-up by the demo opleider: a few notes in aios' files and a few aios marked for the
voortgangsoverleg, so the list on Cohorten and the notes in the dossier are not empty."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, insert, select

from data_access.accounts import DEMO_USERNAMES
from data_access.models import Aios, DossierNote, FollowUpMark, Instituutsopleider, OpleiderCohort, Role, Stage, UserAccount

NOTES = (
    "Gebeld met de begeleider: de achterstand in gesprekken komt door ziekte op de afdeling; loopt nu weer.",
    "Aios geeft aan weinig KPB's te kunnen doen; in het volgende gesprek concrete afspraken maken.",
    "Stageplan besproken met aios en begeleider; leerdoelen worden deze week aangescherpt.",
)
REASONS = ("Gesprekken lopen al weken achter.", "Stageverslag te laat; afspraken nodig.", None)


def add_follow_up(engine: Engine, today: dt.date) -> dict[str, int]:
    """Notes and open marks for the first aios (by id) with a running stage in the demo opleider's
    cohorts. Returns rows inserted per table."""
    morning = dt.datetime.combine(today, dt.time(9, 0))
    with engine.begin() as conn:
        opleider = conn.execute(select(UserAccount.id).where(
            UserAccount.username == DEMO_USERNAMES[Role.INSTITUUTSOPLEIDER])).scalar_one()
        aios = conn.execute(
            select(Aios.id).distinct()
            .join(OpleiderCohort, OpleiderCohort.cohort_id == Aios.cohort_id)
            .join(Instituutsopleider, Instituutsopleider.id == OpleiderCohort.opleider_id)
            .join(Stage, Stage.aios_id == Aios.id)
            .where(Instituutsopleider.user_id == opleider, Stage.start_date <= today, Stage.end_date >= today)
            .order_by(Aios.id).limit(len(NOTES))
        ).scalars().all()
        notes = [{"aios_id": a, "author_id": opleider, "written_at": morning - dt.timedelta(days=3 + 4 * i),
                  "text": NOTES[i], "submit_token": f"demo-notitie-{i + 1}"} for i, a in enumerate(aios)]
        marks = [{"aios_id": a, "discuss_on": today + dt.timedelta(days=7 * (1 + i // 2)), "reason": REASONS[i],
                  "marked_by": opleider, "marked_at": morning - dt.timedelta(days=1 + i),
                  "submit_token": f"demo-markering-{i + 1}"} for i, a in enumerate(aios)]
        if notes:
            conn.execute(insert(DossierNote), notes)
            conn.execute(insert(FollowUpMark), marks)
    return {DossierNote.__tablename__: len(notes), FollowUpMark.__tablename__: len(marks)}
