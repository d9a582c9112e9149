"""Demo feedback requests (seed 003: "Vraag waar de aios feedback op wil"): on running and
recently ended stages, some answered with a KPB or a feedback moment (linked, as the app links
them), some declined with a reason, some open and some open beyond the expiry setting.

Runs after the generator's own rows, with a random generator of its own (so the rest of the
demo data stays as it was), and writes explicit ids after the highest ones in the tables.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import Engine, func, insert, select, text

from data_access.accounts import DEMO_USERNAMES
from data_access.models import (
    Aios,
    Epa,
    FeedbackKind,
    FeedbackMoment,
    FeedbackRequest,
    FeedbackRequestKind,
    GesprekStatus,
    Kpb,
    KpbInitiator,
    Role,
    Stage,
    StageBegeleider,
    Stagebegeleider,
    StageStatus,
)
from sample_data import vocab

TOPICS = ["slecht-nieuwsgesprek", "overdracht aan de avonddienst", "telefonische triage", "presentatie in de "
          "refereerbijeenkomst", "samenwerking met de wijkverpleging", "rapportage in het dossier",
          "motiverende gespreksvoering", "omgaan met een boze patiënt"]
REASONS = ["Ik ben die week afwezig; vraag het mijn collega.", "Die activiteit doe je nog niet zelfstandig; "
           "eerst samen oefenen.", "Dit past beter in het evaluatiegesprek; we bespreken het daar."]
RECENT_DAYS = 180  # stages that ended longer ago get no requests


def add_feedback_requests(engine: Engine, seed: int, today: dt.date, expiry_days: int = 14) -> int:
    """Add the demo's requests; returns how many."""
    rng = random.Random(f"feedbackvragen-{seed}")
    with engine.begin() as conn:
        stages = conn.execute(
            select(Stage.id, Stage.start_date, Stage.end_date, Aios.user_id.label("aios_user"), Aios.opleiding_id,
                   StageBegeleider.begeleider_id, Stagebegeleider.user_id.label("begeleider_user"))
            .join(Aios, Aios.id == Stage.aios_id)
            .join(StageBegeleider, StageBegeleider.stage_id == Stage.id)
            .join(Stagebegeleider, Stagebegeleider.id == StageBegeleider.begeleider_id)
            .where(Stage.start_date <= today - dt.timedelta(days=7), Stage.status != StageStatus.AFGEBROKEN.value,
                   Stage.end_date >= today - dt.timedelta(days=RECENT_DAYS), StageBegeleider.is_primary.is_(True))
            .order_by(Stage.id)
        ).all()
        epas: dict[int, list[tuple[int, str]]] = {}
        for epa_id, opleiding_id, code in conn.execute(select(Epa.id, Epa.opleiding_id, Epa.code).order_by(Epa.id)):
            epas.setdefault(opleiding_id, []).append((epa_id, code))
        next_id = {model: (conn.execute(select(func.coalesce(func.max(model.id), 0))).scalar_one() + 1)
                   for model in (Kpb, FeedbackMoment, FeedbackRequest)}
        requests, kpbs, moments = [], [], []
        for s in stages:
            last = min(s.end_date, today)
            for _ in range(rng.choice((0, 1, 2, 2, 3, 3))):
                asked = s.start_date + dt.timedelta(days=rng.randint(0, (last - s.start_date).days))
                kind = FeedbackRequestKind.KPB if rng.random() < 0.55 else FeedbackRequestKind.FEEDBACK
                epa_id, code = rng.choice(epas[s.opleiding_id])
                on_epa = kind is FeedbackRequestKind.KPB or rng.random() < 0.4
                topic = rng.choice(TOPICS) if kind is FeedbackRequestKind.FEEDBACK or rng.random() < 0.5 else None
                row = {"id": next_id[FeedbackRequest], "stage_id": s.id, "begeleider_id": s.begeleider_id,
                       "asked_by": s.aios_user, "kind": kind.value, "epa_id": epa_id if on_epa else None,
                       "topic": topic, "asked_on": asked, "submit_token": None,
                       "wished_date": asked + dt.timedelta(days=rng.randint(3, 14)) if rng.random() < 0.4 else None,
                       "answered_on": None, "kpb_id": None, "feedback_moment_id": None, "declined_on": None,
                       "decline_reason": None}
                next_id[FeedbackRequest] += 1
                requests.append(row)
                fate = rng.random()
                # Most are answered within days; some only after the expiry; some declined; the rest open.
                answer_days = rng.randint(0, 9) if fate < 0.62 else rng.randint(expiry_days + 1, expiry_days + 20)
                answered = asked + dt.timedelta(days=answer_days)
                if fate < 0.75 and answered <= last:
                    row["answered_on"] = answered
                    moment = {"id": next_id[FeedbackMoment], "stage_id": s.id, "date": answered,
                              "giver_id": s.begeleider_user, "asked_by_aios": True, "submit_token": None}
                    next_id[FeedbackMoment] += 1
                    if kind is FeedbackRequestKind.KPB:
                        kpbs.append({"id": next_id[Kpb], "stage_id": s.id, "epa_id": epa_id, "date": answered,
                                     "observer_id": s.begeleider_user, "initiated_by": KpbInitiator.AIOS.value,
                                     "supervision_level": rng.choice((2, 2, 3, 3, 4)),
                                     "feedback": rng.choice(vocab.KPB_FEEDBACK), "status": GesprekStatus.VASTGESTELD.value,
                                     "entered_by": s.begeleider_user, "confirmed_by": s.begeleider_user})
                        row["kpb_id"] = next_id[Kpb]
                        next_id[Kpb] += 1
                        moments.append(moment | {"kind": FeedbackKind.KPB.value, "topic": code})
                    else:
                        row["feedback_moment_id"] = moment["id"]
                        moments.append(moment | {"kind": FeedbackKind.INFORMEEL.value, "topic": topic or code})
                elif 0.75 <= fate < 0.85:
                    declined = asked + dt.timedelta(days=rng.randint(0, 4))
                    if declined <= last:
                        row["declined_on"], row["decline_reason"] = declined, rng.choice(REASONS)
        for model, rows in ((Kpb, kpbs), (FeedbackMoment, moments), (FeedbackRequest, requests)):
            if rows:
                conn.execute(insert(model.__table__), rows)
    ensure_demo_pair(engine, today)
    return len(requests)


def ensure_demo_pair(engine: Engine, today: dt.date) -> None:
    """The demo aios has one or two open requests to the demo begeleider (both logins show one, and
    the aios can still ask another)."""
    with engine.begin() as conn:
        row = conn.execute(text(
            "SELECT s.id AS stage_id, x.begeleider_id, a.user_id FROM stage s JOIN aios a ON a.id = s.aios_id "
            "JOIN user_account u ON u.id = a.user_id JOIN stage_begeleider x ON x.stage_id = s.id "
            "JOIN stagebegeleider sb ON sb.id = x.begeleider_id JOIN user_account bu ON bu.id = sb.user_id "
            "WHERE u.username = :a AND bu.username = :b AND s.start_date <= :t AND s.end_date >= :t "
            "ORDER BY s.id LIMIT 1"),
            {"t": today, "a": DEMO_USERNAMES[Role.AIOS], "b": DEMO_USERNAMES[Role.STAGEBEGELEIDER]}).one_or_none()
        if row is None:
            return
        # The demo aios can always ask once more: at most 2 open requests hold a place with the demo
        # begeleider (the limit is 3, feedback_requests._over_limits); older ones were declined.
        still_open = conn.execute(text(
            "SELECT id FROM feedback_request WHERE stage_id = :s AND begeleider_id = :b AND answered_on IS NULL "
            "AND declined_on IS NULL ORDER BY asked_on DESC, id DESC"), {"s": row.stage_id, "b": row.begeleider_id}
        ).scalars().all()
        for old in still_open[2:]:
            conn.execute(text("UPDATE feedback_request SET declined_on = :t, decline_reason = :r WHERE id = :i"),
                         {"t": today, "r": "Besproken in het begeleidingsgesprek.", "i": old})
        if still_open:
            return
        new_id = conn.execute(select(func.coalesce(func.max(FeedbackRequest.id), 0))).scalar_one() + 1
        conn.execute(insert(FeedbackRequest.__table__), [{
            "id": new_id, "stage_id": row.stage_id, "begeleider_id": row.begeleider_id, "asked_by": row.user_id,
            "kind": FeedbackRequestKind.FEEDBACK.value, "epa_id": None, "topic": TOPICS[0],
            "asked_on": today - dt.timedelta(days=2), "wished_date": None, "submit_token": None}])
