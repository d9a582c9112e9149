"""Stageplaatsen: a site of one programme, by its code (the natural key)."""

from __future__ import annotations

from functools import partial

from sqlalchemy import select

from data_access.importer.plan import (
    CREATE,
    SAME,
    UPDATE,
    Context,
    Plan,
    diff,
    find_by_keys,
    insert_and_update,
    mentioned,
)
from data_access.models import Opleiding, Stageplaats, StageplaatsStatus

COLUMNS = ["code*", "naam*", "organisatie*", "opleiding*", "type*", "regio*"]
EXAMPLE = ["SP001", "GGD Noord", "GGD Groningen", "MG", "GGD", "Groningen"]
NOTES = {"code": "Uw eigen code van de stageplaats; zo wordt ze bij een volgende import herkend."}
FIELDS = {"naam": "name", "organisatie": "organisation", "type": "discipline", "regio": "region"}


def plan_stageplaatsen(session, plan: Plan, frame, ctx: Context) -> None:
    rows = list(plan.read_rows(frame, COLUMNS))
    programmes = find_by_keys(session, select(Opleiding.code, Opleiding.id), Opleiding.code, mentioned(rows, "opleiding"))
    existing = find_by_keys(session, select(Stageplaats.code, Stageplaats.id, Stageplaats.name, Stageplaats.organisation,
                                            Stageplaats.discipline, Stageplaats.region, Opleiding.code.label("opleiding"))
                            .join(Opleiding, Opleiding.id == Stageplaats.opleiding_id), Stageplaats.code,
                            mentioned(rows, "code"))
    seen: dict = {}
    for row in rows:
        code = row.text("code", limit=32)
        new = {"naam": row.text("naam"), "organisatie": row.text("organisatie"), "type": row.text("type", limit=100),
               "regio": row.text("regio", limit=100)}
        programme = row.lookup("opleiding", programmes, "Opleiding")
        if not row.ok or not row.first(seen, code.lower()):
            continue
        values = {FIELDS[k]: v for k, v in new.items()} | {"opleiding_id": programme.id}
        current = existing.get(code.lower())
        if current is None:
            plan.add(row, code, CREATE, values | {"code": code, "status": StageplaatsStatus.ACTIEF})
            continue
        old = {k: getattr(current, f) for k, f in FIELDS.items()} | {"opleiding": current.opleiding}
        changed = diff(old, new | {"opleiding": programme.code}, ("opleiding",))
        plan.add(row, current.code, UPDATE if changed else SAME, values, current.id, changed)


write_stageplaatsen = partial(insert_and_update, Stageplaats)
