"""Demo stageplannen in every state the app knows (data_access/stageplan.py): leerdoelen with why
and concrete steps; the newest running and coming stages with a plan in concept, offered for approval
(aangeboden), sent back (teruggestuurd) or approved; running plans with a new version of a
leerdoel waiting for approval. Runs after the generator has written everything (set-based SQL,
so it stays fast at national scale); deterministic by ids."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, bindparam, text, update

from data_access import models as m
from data_access.accounts import DEMO_USERNAMES
from data_access.models import Role

WHY = [
    "Ik merk dat ik hier nog onzeker in ben en wil het zelfstandig kunnen voor de volgende stage.",
    "In mijn vorige stage kreeg ik hier feedback op; ik wil laten zien dat ik gegroeid ben.",
    "Dit hoort bij de EPA's van deze stage en ik wil het na de stage in de praktijk gebruiken.",
]
STEPS = [
    "Eerst twee keer meekijken, dan twee keer zelf doen onder directe supervisie, daarna een KPB vragen.",
    "Wekelijks één casus voorbereiden en in het begeleidingsgesprek bespreken; halverwege evalueren.",
    "Literatuur lezen in week 1-2, oefenen in week 3-6, feedback vragen na elke keer.",
]
REMARK = "Maak de stappen concreter: wat doe je per week, en wanneer vraag je feedback?"
# The newest running and coming stages (this share, at least three) get a plan that is not (yet)
# approved, in turn: concept, aangeboden, teruggestuurd, or left approved.
NEWEST_SHARE = 3


def _cases(column: str, texts: list[str]) -> str:
    return "CASE " + " ".join(f"WHEN {column} % {len(texts)} = {i} THEN :t{i}" for i in range(len(texts) - 1)) + \
        f" ELSE :t{len(texts) - 1} END"


def add_stageplan_states(engine: Engine, today: dt.date) -> dict[str, int]:
    """Give the generated stageplannen their states; returns how many plans got each state."""
    with engine.begin() as conn:
        for column, texts in (("why", WHY), ("steps", STEPS)):
            conn.execute(text(f"UPDATE leerdoel SET {column} = {_cases('id', texts)}"),  # noqa: S608 - own constants
                         {f"t{i}": t for i, t in enumerate(texts)})
        conn.execute(text(
            "UPDATE leerdoel_history SET version = 1, event = 'status ' || status, "
            "why = (SELECT l.why FROM leerdoel l WHERE l.id = leerdoel_history.leerdoel_id), "
            "steps = (SELECT l.steps FROM leerdoel l WHERE l.id = leerdoel_history.leerdoel_id), "
            "canmeds_role = (SELECT l.canmeds_role FROM leerdoel l WHERE l.id = leerdoel_history.leerdoel_id), "
            "target_date = (SELECT l.target_date FROM leerdoel l WHERE l.id = leerdoel_history.leerdoel_id)"))
        current = conn.execute(text(
            "SELECT s.id FROM stage s JOIN aios a ON a.id = s.aios_id JOIN user_account u ON u.id = a.user_id "
            "WHERE s.end_date >= :t AND s.status <> 'afgebroken' AND u.username <> :d ORDER BY s.start_date DESC, s.id"),
            {"t": today, "d": DEMO_USERNAMES[Role.AIOS]}).scalars().all()
        new_ids = sorted(current[:max(3, len(current) // NEWEST_SHARE)])
        offered_at = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(9))
        # In turn: concept, aangeboden, teruggestuurd, approved (left as generated).
        for rest, (offered, remark) in enumerate(((None, None), (offered_at, None), (None, REMARK))):
            ids = new_ids[rest::4]
            if ids:
                conn.execute(text("UPDATE stageplan SET approved_at = NULL, approved_by = NULL, offered_at = :o, "
                                  "return_remark = :r WHERE stage_id IN :ids").bindparams(
                    bindparam("ids", expanding=True)), {"o": offered, "r": remark, "ids": ids})
        # Their leerdoelen are the aios' first versions: planned, waiting for approval.
        waiting = "SELECT p.stage_id FROM stageplan p WHERE p.approved_at IS NULL AND p.stage_id IN :ids"
        if new_ids:
            conn.execute(text(f"DELETE FROM leerdoel_history WHERE status <> 'gepland' AND leerdoel_id IN "
                              f"(SELECT l.id FROM leerdoel l WHERE l.stage_id IN ({waiting}))")
                         .bindparams(bindparam("ids", expanding=True)), {"ids": new_ids})
            conn.execute(text(f"UPDATE leerdoel SET awaiting_approval = :t, status = 'gepland', proposed_status = NULL, "
                              f"proposed_by = NULL WHERE stage_id IN ({waiting})")
                         .bindparams(bindparam("ids", expanding=True)), {"t": True, "ids": new_ids})
        conn.execute(text("UPDATE leerdoel_history SET event = 'geschreven' WHERE status = 'gepland'"))
        _new_versions(conn, today, offered_at)
        # The demo aios writes and offers their own plan in the demo: it is never waiting already.
        conn.execute(text(
            "UPDATE stageplan SET offered_at = NULL WHERE stage_id IN (SELECT s.id FROM stage s JOIN aios a "
            "ON a.id = s.aios_id JOIN user_account u ON u.id = a.user_id WHERE u.username = :u)"),
            {"u": DEMO_USERNAMES[Role.AIOS]})
        counts = conn.execute(text(
            "SELECT SUM(CASE WHEN offered_at IS NOT NULL THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN offered_at IS NULL AND return_remark IS NOT NULL THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN offered_at IS NULL AND return_remark IS NULL AND approved_at IS NULL THEN 1 ELSE 0 END) "
            "FROM stageplan")).one()
    return {"aangeboden": int(counts[0] or 0), "teruggestuurd": int(counts[1] or 0), "concept": int(counts[2] or 0)}


def _new_versions(conn, today: dt.date, offered_at: dt.datetime) -> None:
    """Running, approved plans where the aios changed a leerdoel after approval: the next version
    waits in its draft (every 7th stage); every 14th offered it for approval already, and so did
    the newest other aios of the demo begeleider (so 'Stageplan ter goedkeuring' has one)."""
    running = ("FROM leerdoel l JOIN stage s ON s.id = l.stage_id JOIN stageplan p ON p.stage_id = s.id "
               "WHERE p.approved_at IS NOT NULL AND p.offered_at IS NULL AND s.start_date <= :a AND s.end_date >= :t")
    window = {"a": today - dt.timedelta(days=21), "t": today}
    rows = conn.execute(text(f"SELECT MIN(l.id), l.stage_id {running} AND s.id % 7 = 0 GROUP BY l.stage_id"),
                        window).all()
    demo = conn.execute(text(
        f"SELECT MIN(l.id), l.stage_id {running} AND s.id IN (SELECT x.stage_id FROM stage_begeleider x "
        "JOIN stagebegeleider b ON b.id = x.begeleider_id JOIN user_account u ON u.id = b.user_id "
        "WHERE u.username = :b) AND s.aios_id NOT IN (SELECT a.id FROM aios a JOIN user_account u "
        "ON u.id = a.user_id WHERE u.username = :d) GROUP BY l.stage_id, s.start_date ORDER BY s.start_date DESC"),
        {**window, "d": DEMO_USERNAMES[Role.AIOS], "b": DEMO_USERNAMES[Role.STAGEBEGELEIDER]}).first()
    rows = [r for r in rows if demo is None or r[1] != demo[1]] + ([demo] if demo is not None else [])
    if not rows:
        return
    goals = {r.id: r for r in conn.execute(
        text("SELECT l.id, l.text, l.why, l.steps, l.canmeds_role, l.target_date, l.status, l.stage_id, s.end_date "
             "FROM leerdoel l JOIN stage s ON s.id = l.stage_id WHERE l.id IN :ids").bindparams(bindparam("ids", expanding=True)), {"ids": [r[0] for r in rows]})}
    drafts = []
    for lid, goal in goals.items():
        end = goal.end_date if isinstance(goal.end_date, dt.date) else dt.date.fromisoformat(str(goal.end_date)[:10])
        target = min(end, today + dt.timedelta(days=21))  # the new version: a later, realistic date
        drafts.append({"lid": lid, "target": target, "d": {"text": goal.text.rstrip(".") + ", twee keer per week.", "why": goal.why,
                                         "steps": goal.steps, "canmeds_role": goal.canmeds_role,
                                         "target_date": target.isoformat()}})
    conn.execute(update(m.Leerdoel).where(m.Leerdoel.id == bindparam("lid")).values(draft=bindparam("d")),
                 [{"lid": d["lid"], "d": d["d"]} for d in drafts])
    conn.execute(m.LeerdoelHistory.__table__.insert(), [
        {"leerdoel_id": d["lid"], "changed_at": dt.datetime.combine(today - dt.timedelta(days=2), dt.time(20)),
         "changed_by": _aios_user(conn, goals[d["lid"]].stage_id), "status": goals[d["lid"]].status,
         "text": d["d"]["text"], "why": d["d"]["why"], "steps": d["d"]["steps"],
         "canmeds_role": d["d"]["canmeds_role"], "target_date": d["target"], "version": 2,
         "event": "nieuwe versie"} for d in drafts])
    offered = [goals[d["lid"]].stage_id for d in drafts
               if goals[d["lid"]].stage_id % 14 == 0 or (demo is not None and d["lid"] == demo[0])]
    if offered:
        conn.execute(text("UPDATE stageplan SET offered_at = :o WHERE stage_id IN :ids")
                     .bindparams(bindparam("ids", expanding=True)), {"o": offered_at, "ids": offered})


def _aios_user(conn, stage_id: int) -> int:
    return conn.execute(text("SELECT a.user_id FROM stage s JOIN aios a ON a.id = s.aios_id WHERE s.id = :s"),
                        {"s": stage_id}).scalar_one()

