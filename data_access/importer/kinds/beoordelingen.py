"""Beoordelingen van stageplaatsen: an aios' rating of the site after a stage, one per stage.

The stage is found by aiosnummer, stageplaats and startdatum. A file adds new ratings only: a
stage that has one says "bestaat al", whatever the file holds (data_access.disclosure). A rating is dated from the stage's
last day on and never in the future: rating the site comes after the stage (DOMAIN.md, step 7).
"""

from __future__ import annotations

from sqlalchemy import select

from data_access.importer.fields import dutch_date
from data_access.importer.kinds.stages import stage_references
from data_access.importer.plan import CREATE, EXISTS, Context, Plan, find_all_by_keys, insert_and_update
from data_access.models import StageplaatsRating
from data_access.releases import release_full_batches
from data_access.disclosure import installation_threshold

COLUMNS = ["aiosnummer*", "stageplaats*", "startdatum*", "leermogelijkheden*", "leerklimaat*", "begeleiding*",
           "opmerking", "datum*"]
EXAMPLE = ["A2026001", "SP001", "05-01-2026", "4", "4", "3", "Veel geleerd.", "10-04-2026"]
NOTES = {"startdatum": "De startdatum van de stage die beoordeeld wordt.",
         "datum": "Niet vóór de laatste dag van de stage en niet in de toekomst."}
DIMENSIONS = ("leermogelijkheden", "leerklimaat", "begeleiding")
FIELDS = {"leermogelijkheden": "leermogelijkheden", "leerklimaat": "leerklimaat", "begeleiding": "begeleiding",
          "opmerking": "comment", "datum": "submitted_at"}


def plan_ratings(session, plan: Plan, frame, ctx: Context) -> None:
    rows = list(plan.read_rows(frame, COLUMNS))
    refs = stage_references(session, rows)
    # Which stages have a rating: their ids only, never a rating's content (see below).
    existing = {stage_id for (stage_id,) in find_all_by_keys(
        session, select(StageplaatsRating.stage_id), StageplaatsRating.stage_id, {s.id for s in refs.stages.values()})}
    seen: dict = {}
    for row in rows:
        stage = refs.stage_of(row)
        new = {d: row.number(d, 1, 5, whole=True) for d in DIMENSIONS}
        new["opmerking"] = row.text("opmerking", required=False, limit=4000) or None
        new["datum"] = when = row.date("datum")
        if stage and when and when < stage.end:
            row.problem("datum", f"Een stageplaats wordt na de stage beoordeeld: de stage eindigt op {dutch_date(stage.end)}, "
                                 f"deze datum is {dutch_date(when)}.")
        elif when and when > ctx.today:
            row.problem("datum", f"{dutch_date(when)} ligt in de toekomst.")
        if not row.ok or not row.first(seen, stage.id):
            continue
        new |= {d: int(new[d]) for d in DIMENSIONS}
        values = {FIELDS[k]: v for k, v in new.items()} | {"stage_id": stage.id}
        key = f"{row.values['aiosnummer']} · {row.values['stageplaats']} · {dutch_date(stage.start)}"
        if stage.id in existing:
            # A stored rating is never shown, compared or changed here, pending or released: an
            # import adds new ratings only (a plan that said "ongewijzigd" for a right guess
            # would read a rating out in a few dry runs).
            plan.add(row, key, EXISTS)
            continue
        plan.add(row, key, CREATE, values)


def write_ratings(session, writes, tick) -> None:
    insert_and_update(StageplaatsRating, session, writes, tick)
    # Imported ratings are pending like typed ones; full batches are released in this transaction.
    release_full_batches(session, installation_threshold(session))
