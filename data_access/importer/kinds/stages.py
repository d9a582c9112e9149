"""Stages: one aios at one stageplaats with a primary begeleider, for a period.

What identifies a stage in a file: its `stagecode` (the office's own key) when that column is
there and filled in; otherwise one aios at one stageplaats with an overlapping period (start and
end date both count as stage days) is the same stage. A stagecode the database does not know yet
is attached to the overlapping stage without a code. A changed begeleider, fte, start or end
date (and, under a stagecode, stageplaats) is an update, shown as old → new.

Refused, with row and column: an unknown aios, stageplaats or begeleider; a begeleider not
linked to the stageplaats (a link gives the begeleider access to the site's aios, so it is made
on purpose, in the Begeleiders import or on the Gebruikers page, never as a side effect); a
period that matches two stages; two rows for one stage; overlapping stages of one aios whose fte
adds up to more than 1, counting what is already in the database.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, delete, insert, select, update

from data_access.importer.fields import dutch_date, dutch_number
from data_access.importer.plan import (
    CREATE,
    SAME,
    UPDATE,
    Context,
    Plan,
    Row,
    diff,
    find_all_by_keys,
    find_by_keys,
    mentioned,
)
from data_access.models import (
    Aios,
    BegeleiderStageplaats,
    Opleiding,
    Stage,
    StageBegeleider,
    Stagebegeleider,
    Stageplaats,
    Stageplan,
    StageStatus,
    UserAccount,
)

COLUMNS = ["stagecode", "aiosnummer*", "stageplaats*", "begeleider*", "startdatum*", "einddatum*", "fte"]
EXAMPLE = ["MG-2026-001", "A2026001", "SP001", "jbakker", "05-01-2026", "05-04-2026", "1,0"]
NOTES = {
    "stagecode": "Optioneel: uw eigen code van de stage. Zonder code is dezelfde aios op dezelfde stageplaats "
                 "in een overlappende periode dezelfde stage; een gewijzigde begeleider, fte, start- of "
                 "einddatum wordt dan bijgewerkt.",
    "begeleider": "Gebruikersnaam van de begeleider; die moet aan de stageplaats gekoppeld zijn.",
    "fte": "0,1 tot en met 1 (leeg: 1). Overlappende stages van één aios samen hooguit 1 fte.",
}
WRITE_CHUNK = 2000
FOLDED = ("stageplaats", "begeleider", "stagecode")


@dataclass(slots=True)
class Period:
    """A stage as it will be after the import, for the overlap check."""

    stage_id: int | None
    line: int | None  # the file row that sets it; None: only in the database
    site_code: str
    start: dt.date
    end: dt.date
    fte: float

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def describe(self) -> str:
        where = f"rij {self.line}" if self.line else "al in de database"
        return (f"de stage op {self.site_code} van {dutch_date(self.start)} tot en met {dutch_date(self.end)} "
                f"({dutch_number(self.fte)} fte, {where})")


def status_on(start: dt.date, end: dt.date, today: dt.date) -> StageStatus:
    return StageStatus.AFGEROND if end < today else (StageStatus.LOPEND if start <= today else StageStatus.GEPLAND)


def _existing(session, aios_ids: set[int], codes: set[str]) -> dict[int, dict]:
    """The stages of the aios the file mentions (and those with a stagecode it mentions), each
    with its primary begeleider's username."""
    stmt = (select(Stage.id, Stage.aios_id, Stage.stageplaats_id, Stageplaats.code.label("site_code"), Stage.start_date,
                   Stage.end_date, Stage.fte, Stage.status, Stage.code, StageBegeleider.begeleider_id,
                   UserAccount.username)
            .join(Stageplaats, Stageplaats.id == Stage.stageplaats_id)
            .outerjoin(StageBegeleider, and_(StageBegeleider.stage_id == Stage.id, StageBegeleider.is_primary.is_(True)))
            .outerjoin(Stagebegeleider, Stagebegeleider.id == StageBegeleider.begeleider_id)
            .outerjoin(UserAccount, UserAccount.id == Stagebegeleider.user_id))
    rows = find_all_by_keys(session, stmt, Stage.aios_id, aios_ids)
    rows += find_all_by_keys(session, stmt, Stage.code, codes)
    out: dict[int, dict] = {}
    for r in rows:
        out.setdefault(r.id, dict(r._mapping))
    return out


def plan_stages(session, plan: Plan, frame, ctx: Context) -> None:
    rows = list(plan.read_rows(frame, COLUMNS))
    aios = find_by_keys(session, select(Aios.aios_number, Aios.id, Opleiding.kpb_target_default)
                        .join(Opleiding, Opleiding.id == Aios.opleiding_id), Aios.aios_number, mentioned(rows, "aiosnummer"))
    sites = find_by_keys(session, select(Stageplaats.code, Stageplaats.id), Stageplaats.code, mentioned(rows, "stageplaats"))
    begeleiders = find_by_keys(session, select(UserAccount.username, Stagebegeleider.id)
                               .join(Stagebegeleider, Stagebegeleider.user_id == UserAccount.id),
                               UserAccount.username, mentioned(rows, "begeleider"))
    links = set(map(tuple, find_all_by_keys(
        session, select(BegeleiderStageplaats.begeleider_id, BegeleiderStageplaats.stageplaats_id),
        BegeleiderStageplaats.begeleider_id, {b.id for b in begeleiders.values()})))
    existing = _existing(session, {a.id for a in aios.values()}, mentioned(rows, "stagecode"))
    by_code = {s["code"].lower(): s for s in existing.values() if s["code"]}
    by_place: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for s in existing.values():
        by_place[s["aios_id"], s["stageplaats_id"]].append(s)
    periods: dict[int, dict] = defaultdict(dict)  # aios id → stage id or ("rij", n) → Period
    for s in existing.values():
        periods[s["aios_id"]][s["id"]] = Period(s["id"], None, s["site_code"], s["start_date"], s["end_date"], s["fte"])
    seen: dict = {}
    proposals = []
    for row in rows:
        code = row.text("stagecode", required=False, limit=64)
        a, site = row.lookup("aiosnummer", aios, "Aios"), row.lookup("stageplaats", sites, "Stageplaats")
        begeleider = row.lookup("begeleider", begeleiders, "Begeleider")
        start, end = row.date("startdatum"), row.date("einddatum")
        fte = round(row.number("fte", FTE_MIN, FTE_MAX, required=False) or 1.0, 2)  # the column holds 2 decimals
        if start and end and (message := period_problem(start, end)):
            row.problem("einddatum", message)
        if begeleider and site and (begeleider.id, site.id) not in links:
            row.problem("begeleider", unlinked_problem(begeleider.username, site.code))
        if not row.ok:
            continue
        current = _identify(row, code, start, end, by_code, by_place[a.id, site.id], a.id)
        if current is None and row.ok:
            _check_new_stage(row, seen.setdefault(("nieuw", a.id, site.id), []), start, end, code)
        same_stage = ("stage", current["id"]) if current else ("code", code.lower()) if code else ("rij", row.line)
        if not row.ok or not row.first(seen, same_stage, "Deze rij beschrijft dezelfde stage als rij {rij}."):
            continue
        period = Period(current["id"] if current else None, row.line, site.code, start, end, fte)
        periods[a.id][current["id"] if current else ("rij", row.line)] = period
        proposals.append((row, a, site, begeleider, code, current, period))
    for row, a, *_, period in proposals:
        _check_fte(row, period, periods[a.id].values())
    for row, a, site, begeleider, code, current, period in proposals:
        if row.ok:
            _propose(plan, row, a, site, begeleider, code, current, period, ctx)


def _identify(row: Row, code: str, start, end, by_code, here: list[dict], aios_id: int) -> dict | None:
    """The existing stage this row describes: by stagecode, else the one stage of this aios at
    this stageplaats (`here`) whose period overlaps."""
    if code and code.lower() in by_code:
        current = by_code[code.lower()]
        if current["aios_id"] != aios_id:
            row.problem("stagecode", f"Stagecode '{code}' hoort bij een stage van een andere aios.")
            return None
        return current
    matches = [s for s in here if s["start_date"] <= end and start <= s["end_date"] and not (code and s["code"])]
    if len(matches) > 1:
        listed = ", ".join(f"{dutch_date(s['start_date'])} tot en met {dutch_date(s['end_date'])}" for s in matches)
        row.problem("startdatum", f"Deze periode overlapt met {len(matches)} stages van deze aios op deze stageplaats "
                                  f"({listed}). Geef een stagecode of verbeter de data.")
        return None
    return matches[0] if matches else None


def _check_new_stage(row: Row, earlier: list[tuple], start, end, code: str) -> None:
    """A new stage must not be one an earlier row already describes: the same aios and
    stageplaats in an overlapping period (unless both rows carry different stagecodes).
    `earlier`: (start, end, row, code) of the earlier new stages of this aios at this place."""
    for other_start, other_end, other_row, other_code in earlier:
        if other_start <= end and start <= other_end and not (code and other_code and code.lower() != other_code):
            row.problem("", f"Deze rij beschrijft dezelfde stage als rij {other_row} (dezelfde aios en stageplaats in "
                            "een overlappende periode).")
            break
    earlier.append((start, end, row.line, code.lower()))


def _check_fte(row: Row, period: Period, all_periods) -> None:
    message = fte_problem(period, all_periods)
    if message:
        row.problem("fte", message)


# The checks a stage gets wherever it is made (this import, the Stages page): one wording each.
FTE_MIN, FTE_MAX = 0.1, 1.0


def period_problem(start: dt.date, end: dt.date) -> str | None:
    return "De einddatum moet na de startdatum liggen." if end <= start else None


def unlinked_problem(username: str, site_code: str) -> str:
    return (f"Begeleider '{username}' is niet gekoppeld aan stageplaats '{site_code}'. Koppel die eerst "
            "(import Begeleiders of de pagina Gebruikers).")


def fte_range_problem(fte: float) -> str | None:
    if not FTE_MIN <= fte <= FTE_MAX:
        return (f"Moet een getal van {dutch_number(FTE_MIN)} tot en met {dutch_number(FTE_MAX)} zijn "
                f"(nu {dutch_number(fte)}).")
    return None


def fte_problem(period: Period, all_periods) -> str | None:
    """Overlapping stages of one aios may not add up to more than 1 fte at any moment."""
    others = [p for p in all_periods if p is not period and p.overlaps(period)]
    # The most fte at once during this stage: at some stage's first day, or this one's.
    moments = [period.start] + [p.start for p in others if p.start > period.start]
    total = max(sum(p.fte for p in [period, *others] if p.start <= t <= p.end) for t in moments)
    if total > 1.0 + 1e-9:
        return (f"Overlapt met {', '.join(p.describe() for p in others)}; samen "
                f"{dutch_number(round(total, 2))} fte, meer dan 1.")
    return None


def _propose(plan: Plan, row: Row, a, site, begeleider, code: str, current: dict | None, period: Period,
             ctx: Context) -> None:
    key = f"{a.aios_number} · {site.code} · {dutch_date(period.start)}"
    stage = {"aios_id": a.id, "stageplaats_id": site.id, "start_date": period.start, "end_date": period.end,
             "fte": period.fte, "code": code or None}
    if current is None:
        plan.add(row, key, CREATE, {"stage": stage | {"status": status_on(period.start, period.end, ctx.today)},
                                    "begeleider_id": begeleider.id, "kpb_target": a.kpb_target_default})
        return
    old = {"stagecode": current["code"], "stageplaats": current["site_code"], "begeleider": current["username"],
           "startdatum": current["start_date"], "einddatum": current["end_date"], "fte": current["fte"]}
    kept = current["code"] and (not code or code.lower() == current["code"].lower())
    new = {"stagecode": current["code"] if kept else code, "stageplaats": site.code, "begeleider": begeleider.username,
           "startdatum": period.start, "einddatum": period.end, "fte": period.fte}
    changed = diff(old, new, FOLDED)
    if not changed:
        plan.add(row, key, SAME, target_id=current["id"])
        return
    stage["code"] = new["stagecode"]
    if current["status"] is not StageStatus.AFGEBROKEN:
        stage["status"] = status_on(period.start, period.end, ctx.today)
    plan.add(row, key, UPDATE, {"stage": stage, "begeleider_id": begeleider.id if "begeleider" in changed else None,
                                "end_changed": "einddatum" in changed}, current["id"], changed)


def write_stages(session, changes, tick) -> None:
    creates = [c for c in changes if c.action == CREATE]
    for i in range(0, len(creates), WRITE_CHUNK):
        chunk = creates[i:i + WRITE_CHUNK]
        # Core inserts on the tables: the ORM's bulk path costs more than the SQL at this size.
        ids = session.scalars(insert(Stage.__table__).returning(Stage.__table__.c.id, sort_by_parameter_order=True),
                              [c.values["stage"] for c in chunk]).all()
        session.execute(insert(StageBegeleider.__table__), [
            {"stage_id": sid, "begeleider_id": c.values["begeleider_id"], "is_primary": True} for sid, c in zip(ids, chunk)])
        session.execute(insert(Stageplan.__table__), [
            {"stage_id": sid, "kpb_target": c.values["kpb_target"],
             "verslag_due": c.values["stage"]["end_date"] - dt.timedelta(days=7)} for sid, c in zip(ids, chunk)])
        tick(len(chunk))
    for c in changes:
        if c.action != UPDATE:
            continue
        session.execute(update(Stage).where(Stage.id == c.target_id).values(**c.values["stage"]))
        if c.values["begeleider_id"]:
            session.execute(delete(StageBegeleider).where(
                StageBegeleider.stage_id == c.target_id,
                (StageBegeleider.is_primary.is_(True)) | (StageBegeleider.begeleider_id == c.values["begeleider_id"])))
            session.execute(insert(StageBegeleider).values(stage_id=c.target_id, begeleider_id=c.values["begeleider_id"],
                                                           is_primary=True))
        if c.values["end_changed"]:
            session.execute(update(Stageplan).where(Stageplan.stage_id == c.target_id, Stageplan.verslag_handed_in.is_(None))
                            .values(verslag_due=c.values["stage"]["end_date"] - dt.timedelta(days=7)))
        tick(1)


@dataclass(frozen=True)
class StageRef:
    id: int
    start: dt.date
    end: dt.date
    opleiding_id: int


def stage_references(session, rows: list[Row]) -> StageReferences:
    """The stages of the aios the file mentions, by (aios id, stageplaats id, start date), with
    the aios and stageplaatsen it mentions."""
    aios = find_by_keys(session, select(Aios.aios_number, Aios.id), Aios.aios_number, mentioned(rows, "aiosnummer"))
    sites = find_by_keys(session, select(Stageplaats.code, Stageplaats.id), Stageplaats.code, mentioned(rows, "stageplaats"))
    stmt = (select(Stage.aios_id, Stage.id, Stage.stageplaats_id, Stage.start_date, Stage.end_date, Aios.opleiding_id)
            .join(Aios, Aios.id == Stage.aios_id))
    stages = {(r.aios_id, r.stageplaats_id, r.start_date): StageRef(r.id, r.start_date, r.end_date, r.opleiding_id)
              for r in find_all_by_keys(session, stmt, Stage.aios_id, {a.id for a in aios.values()})}
    return StageReferences(aios, sites, stages)


@dataclass(frozen=True)
class StageReferences:
    aios: dict
    sites: dict
    stages: dict

    def stage_of(self, row: Row) -> StageRef | None:
        """The stage a rating or score row refers to by aiosnummer, stageplaats and startdatum."""
        a = row.lookup("aiosnummer", self.aios, "Aios")
        site = row.lookup("stageplaats", self.sites, "Stageplaats")
        start = row.date("startdatum")
        stage = self.stages.get((a.id, site.id, start)) if a and site and start else None
        if a and site and start and stage is None:
            row.problem("startdatum", "Er is geen stage van deze aios op deze stageplaats met deze startdatum.")
        return stage
