"""Historic rubric scores: per row one criterion's score in one beoordeling (stage, moment,
rater, rubric version, date). Rows with the same beoordeling make one Beoordeling.

A score is dated from the stage's first day until the margin after its last day (the
eindgesprek may come a little later), and never in the future.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select, update

from data_access.importer.fields import dutch_date
from data_access.importer.kinds.stages import stage_references
from data_access.importer.plan import CREATE, SAME, UPDATE, Context, Plan, find_all_by_keys, find_by_keys, mentioned
from data_access.models import Beoordeling, Moment, RaterKind, Rubric, RubricCriterion, RubricScore, UserAccount

COLUMNS = ["aiosnummer*", "stageplaats*", "startdatum*", "moment*", "beoordelaar*", "soort*", "datum*",
           "rubricversie*", "criterium*", "score*"]
EXAMPLE = ["A2026001", "SP001", "05-01-2026", "eind", "jbakker", "begeleider", "05-04-2026", "1", "1", "3"]
NOTES = {"moment": "tussentijds of eind", "soort": "begeleider, zelf of peer",
         "beoordelaar": "Gebruikersnaam van wie de score gaf.",
         "datum": "Tussen de startdatum van de stage en kort na de einddatum; niet in de toekomst."}
WRITE_CHUNK = 5000


def plan_rubricscores(session, plan: Plan, frame, ctx: Context) -> None:
    rows = list(plan.read_rows(frame, COLUMNS))
    refs = stage_references(session, rows)
    raters = find_by_keys(session, select(UserAccount.username, UserAccount.id), UserAccount.username,
                          mentioned(rows, "beoordelaar"))
    programmes = {s.opleiding_id for s in refs.stages.values()}
    rubrics = {(o, v): i for i, o, v in find_all_by_keys(
        session, select(Rubric.id, Rubric.opleiding_id, Rubric.version), Rubric.opleiding_id, programmes)}
    criteria = {(r, p): i for i, r, p in find_all_by_keys(
        session, select(RubricCriterion.id, RubricCriterion.rubric_id, RubricCriterion.position),
        RubricCriterion.rubric_id, set(rubrics.values()))}
    moments = {m.value: m for m in Moment}
    kinds = {k.value: k for k in RaterKind}
    margin = dt.timedelta(days=ctx.margin_days)
    seen: dict = {}
    planned = []
    for row in rows:
        stage = refs.stage_of(row)
        moment = row.lookup("moment", moments, "Moment")
        rater = row.lookup("beoordelaar", raters, "Gebruiker")
        kind = row.lookup("soort", kinds, "Soort")
        when = row.date("datum")
        version = row.number("rubricversie", 1, 99, whole=True)
        position = row.number("criterium", 1, 99, whole=True)
        score = row.number("score", 1, 9, whole=True)
        rubric = rubrics.get((stage.opleiding_id, int(version))) if stage and version else None
        if stage and version and rubric is None:
            row.problem("rubricversie", f"Rubricversie {int(version)} bestaat niet voor deze opleiding.")
        criterion = criteria.get((rubric, int(position))) if rubric and position else None
        if rubric and position and criterion is None:
            row.problem("criterium", f"Criterium {int(position)} bestaat niet in deze rubricversie.")
        if stage and when and not stage.start <= when <= stage.end + margin:
            row.problem("datum", f"{dutch_date(when)} ligt buiten de stage: een score is van {dutch_date(stage.start)} "
                                 f"tot en met {dutch_date(stage.end + margin)}.")
        elif when and when > ctx.today:
            row.problem("datum", f"{dutch_date(when)} ligt in de toekomst.")
        if not row.ok:
            continue
        group = (stage.id, moment, rater.id, rubric, when)
        if row.first(seen, (group, criterion)):
            planned.append((row, group, kind, criterion, int(score), int(position)))
    _propose(session, plan, planned)


def _propose(session, plan: Plan, planned: list) -> None:
    """Match the file's beoordelingen to the database's (only those of the stages it names),
    then their scores (only those of the matching beoordelingen)."""
    stage_ids = {group[0] for _, group, *_ in planned}
    beoordelingen = {(b.stage_id, b.moment, b.rater_id, b.rubric_id, b.date): b.id for b in find_all_by_keys(
        session, select(Beoordeling.stage_id, Beoordeling.moment, Beoordeling.rater_id, Beoordeling.rubric_id,
                        Beoordeling.date, Beoordeling.id), Beoordeling.stage_id, stage_ids)}
    wanted = {beoordelingen[g] for _, g, *_ in planned if g in beoordelingen}
    scores = {(b, c): s for b, c, s in find_all_by_keys(
        session, select(RubricScore.beoordeling_id, RubricScore.criterion_id, RubricScore.score),
        RubricScore.beoordeling_id, wanted)}
    for row, group, kind, criterion, score, position in planned:
        key = f"{row.values['aiosnummer']} · {group[1].value} · {dutch_date(group[4])} · criterium {position}"
        beoordeling = beoordelingen.get(group)
        old = scores.get((beoordeling, criterion))
        values = {"group": group, "kind": kind, "criterion_id": criterion, "score": score, "beoordeling_id": beoordeling}
        if old is None:
            plan.add(row, key, CREATE, values)
        elif old == score:
            plan.add(row, key, SAME)
        else:
            plan.add(row, key, UPDATE, values, beoordeling, {"score": (str(old), str(score))})


def write_rubricscores(session, changes, tick) -> None:
    """New beoordelingen, then their scores, as Core inserts on the tables (see write_stages)."""
    new_groups = {}
    for c in changes:
        if c.action == CREATE and c.values["beoordeling_id"] is None:
            new_groups.setdefault(c.values["group"], c.values["kind"])
    groups = list(new_groups)
    ids: dict = {}
    for i in range(0, len(groups), WRITE_CHUNK):
        chunk = groups[i:i + WRITE_CHUNK]
        made = session.scalars(insert(Beoordeling.__table__).returning(Beoordeling.__table__.c.id,
                                                                      sort_by_parameter_order=True), [
            {"stage_id": s, "moment": m, "rater_id": r, "rubric_id": rb, "date": d, "rater_kind": new_groups[g]}
            for g in chunk for s, m, r, rb, d in [g]]).all()
        ids.update(zip(chunk, made))
    creates = [{"beoordeling_id": c.values["beoordeling_id"] or ids[c.values["group"]],
                "criterion_id": c.values["criterion_id"], "score": c.values["score"]}
               for c in changes if c.action == CREATE]
    for i in range(0, len(creates), WRITE_CHUNK):
        session.execute(insert(RubricScore.__table__), creates[i:i + WRITE_CHUNK])
        tick(len(creates[i:i + WRITE_CHUNK]))
    for c in changes:
        if c.action == UPDATE:
            session.execute(update(RubricScore).where(RubricScore.beoordeling_id == c.target_id,
                                                      RubricScore.criterion_id == c.values["criterion_id"])
                            .values(score=c.values["score"]))
            tick(1)
