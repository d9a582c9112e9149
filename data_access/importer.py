"""Import of existing spreadsheets (CSV and Excel): aios, stageplaatsen, begeleiders, stages,
stageplaats ratings and historic rubric scores.

    python -m data_access.importer FILE --kind stages [--dry-run] [--db-url URL]

Real-world files: UTF-8 with or without BOM, or Windows-1252; ',' or ';' as separator; dates as
dd-mm-jjjj, d-m-jjjj or ISO; decimal comma; trailing empty rows and columns. First a plan: per
row what would be created, updated or left alone, and every error with row, column and a Dutch
message. The import itself is all-or-nothing in one transaction, and only when there are no
errors. Rows are matched on natural keys, so importing the same file again changes nothing.
Exit code: 0 done (or a clean dry run), 1 errors in the file, 2 the file could not be read.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data_access.audit import record_write
from data_access.db import make_engine, write_session
from data_access.releases import release_full_batches
from data_access.settings import load_settings
from data_access.models import (
    Aios,
    Beoordeling,
    BegeleiderStageplaats,
    Cohort,
    Moment,
    Opleiding,
    RaterKind,
    Role,
    Rubric,
    RubricCriterion,
    RubricScore,
    Stage,
    StageBegeleider,
    Stagebegeleider,
    Stageplaats,
    StageplaatsRating,
    StageplaatsStatus,
    Stageplan,
    StageStatus,
    UserAccount,
    UserRole,
)

# Kind → its columns (Dutch, as in the template), the required ones marked with *.
KINDS: dict[str, list[str]] = {
    "aios": ["aiosnummer*", "naam*", "e-mail", "opleiding*", "cohort*"],
    "stageplaatsen": ["code*", "naam*", "organisatie*", "opleiding*", "type*", "regio*"],
    "begeleiders": ["gebruikersnaam*", "naam*", "e-mail", "functie", "stageplaatsen"],
    "stages": ["aiosnummer*", "stageplaats*", "begeleider*", "startdatum*", "einddatum*", "fte"],
    "beoordelingen": ["aiosnummer*", "stageplaats*", "startdatum*", "leermogelijkheden*", "leerklimaat*",
                      "begeleiding*", "opmerking", "datum*"],
    "rubricscores": ["aiosnummer*", "stageplaats*", "startdatum*", "moment*", "beoordelaar*", "soort*",
                     "datum*", "rubricversie*", "criterium*", "score*"],
}
EXAMPLES: dict[str, list[str]] = {
    "aios": ["A2026001", "Sanne de Vries", "sanne@voorbeeld.nl", "MG", "2026"],
    "stageplaatsen": ["SP001", "GGD Noord", "GGD Groningen", "MG", "GGD", "Groningen"],
    "begeleiders": ["jbakker", "Jan Bakker", "jan@voorbeeld.nl", "jeugdarts", "SP001; SP002"],
    "stages": ["A2026001", "SP001", "jbakker", "05-01-2026", "05-04-2026", "1,0"],
    "beoordelingen": ["A2026001", "SP001", "05-01-2026", "4", "4", "3", "Veel geleerd.", "10-04-2026"],
    "rubricscores": ["A2026001", "SP001", "05-01-2026", "eind", "jbakker", "begeleider", "05-04-2026", "1", "1", "3"],
}
CREATE, UPDATE, SAME = "nieuw", "bijgewerkt", "ongewijzigd"


def columns(kind: str) -> list[str]:
    return [c.rstrip("*") for c in KINDS[kind]]


def template(kind: str) -> pd.DataFrame:
    """The template of a kind: Dutch column names and one example row."""
    return pd.DataFrame([EXAMPLES[kind]], columns=columns(kind))


# --- reading real-world files ----------------------------------------------------------------


class UnreadableFile(ValueError):
    """The file is not a table we can read (the message is Dutch, for the user)."""


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("Het bestand is geen tekst in UTF-8 of Windows-1252.")


def read_table(raw: bytes, filename: str) -> pd.DataFrame:
    """A CSV or Excel file as a frame of stripped strings ('' for empty), header row lowered,
    fully empty rows and columns dropped (spreadsheets leave them at the end)."""
    try:
        if filename.lower().endswith((".xlsx", ".xlsm")):
            frame = pd.read_excel(io.BytesIO(raw), dtype=str, keep_default_na=False, engine="openpyxl")
        else:
            text = _decode(raw)
            sample = "\n".join(text.splitlines()[:20])
            try:
                sep = csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
            except csv.Error:
                sep = ";" if sample.count(";") > sample.count(",") else ","
            frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True)
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is "cannot read" for the user
        raise UnreadableFile(f"Het bestand kan niet gelezen worden als CSV of Excel ({type(exc).__name__}).") from exc
    frame = frame.rename(columns=lambda c: str(c).strip().lower())
    frame = frame.loc[:, [c for c in frame.columns if not c.startswith("unnamed:") or frame[c].str.strip().any()]]
    frame = frame.apply(lambda col: col.map(lambda v: str(v).strip()))
    return frame[(frame != "").any(axis=1)].reset_index(drop=True)


DATE_FORMATS = (r"(\d{1,2})-(\d{1,2})-(\d{4})", r"(\d{4})-(\d{2})-(\d{2})")


def parse_date(value: str) -> dt.date:
    """dd-mm-jjjj, d-m-jjjj (also with '/' or '.') or ISO jjjj-mm-dd; Excel's own dates too."""
    v = re.sub(r"[/.]", "-", value.split(" ")[0].split("T")[0])
    if m := re.fullmatch(DATE_FORMATS[0], v):
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    if m := re.fullmatch(DATE_FORMATS[1], v):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    raise ValueError(value)


def parse_number(value: str) -> float:
    """A decimal comma or point; thousands separators are not expected in these files."""
    return float(value.replace(",", "."))


# --- plans -----------------------------------------------------------------------------------


@dataclass
class Problem:
    row: int  # as the user sees it in a spreadsheet: the header is row 1
    column: str
    message: str


@dataclass
class Plan:
    """What an import would do: per row an action, every problem, and the writes to make."""

    kind: str
    actions: list[tuple[int, str, str]] = field(default_factory=list)  # (row, key, action)
    problems: list[Problem] = field(default_factory=list)
    writes: list[Callable] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        out = {CREATE: 0, UPDATE: 0, SAME: 0}
        for _, _, action in self.actions:
            out[action] += 1
        return out

    def report(self) -> pd.DataFrame:
        """One row per data row: its key, the action or 'fout', and its messages."""
        by_row: dict[int, list[str]] = {}
        for p in self.problems:
            by_row.setdefault(p.row, []).append(f"{p.column}: {p.message}")
        rows = [(r, key, "fout" if r in by_row else action, "; ".join(by_row.get(r, [])))
                for r, key, action in self.actions]
        seen = {r for r, _, _ in self.actions}
        rows += [(r, "", "fout", "; ".join(m)) for r, m in by_row.items() if r not in seen]
        return pd.DataFrame(sorted(rows), columns=["Rij", "Sleutel", "Actie", "Meldingen"])


class _Row:
    """One data row with checked accessors that record problems instead of raising."""

    def __init__(self, plan: Plan, line: int, values: dict[str, str]):
        self.plan, self.line, self.values, self.ok = plan, line, values, True

    def problem(self, column: str, message: str) -> None:
        self.plan.problems.append(Problem(self.line, column, message))
        self.ok = False

    def text(self, column: str, required: bool = True, limit: int = 200) -> str:
        value = self.values.get(column, "")
        if required and not value:
            self.problem(column, "Verplicht veld is leeg.")
        elif len(value) > limit:
            self.problem(column, f"Te lang: maximaal {limit} tekens.")
        return value

    def date(self, column: str) -> dt.date | None:
        value = self.text(column)
        if not value:
            return None
        try:
            return parse_date(value)
        except ValueError:
            self.problem(column, f"'{value}' is geen datum (gebruik dd-mm-jjjj).")
            return None

    def number(self, column: str, low: float, high: float, required: bool = True, whole: bool = False) -> float | None:
        value = self.text(column, required)
        if not value:
            return None
        try:
            number = parse_number(value)
        except ValueError:
            self.problem(column, f"'{value}' is geen getal.")
            return None
        if not low <= number <= high or (whole and number != int(number)):
            kind = "een geheel getal" if whole else "een getal"
            self.problem(column, f"Moet {kind} van {low:g} tot en met {high:g} zijn (nu {value}).")
            return None
        return number

    def lookup(self, column: str, table: dict, what: str):
        value = self.text(column)
        if value and value not in table:
            self.problem(column, f"{what} '{value}' bestaat niet.")
            return None
        return table.get(value)


# --- what each kind does ---------------------------------------------------------------------


def _index(session, stmt) -> dict:
    return {k: v for k, v in session.execute(stmt).all()}


def _plan_rows(frame: pd.DataFrame, plan: Plan) -> Iterator[_Row]:
    missing = [c for c in KINDS[plan.kind] if c.endswith("*") and c.rstrip("*") not in frame.columns]
    for column in missing:
        plan.problems.append(Problem(1, column.rstrip("*"), "Deze kolom ontbreekt in de kopregel."))
    if missing:
        return
    for i, values in enumerate(frame.to_dict("records")):
        yield _Row(plan, i + 2, values)


def _same(obj, values: dict) -> bool:
    return all(getattr(obj, k) == v for k, v in values.items())


def _upsert(plan: Plan, row: _Row, key: str, existing, model, values: dict, extra: Callable | None = None) -> None:
    """Plan a create (with `extra(session, obj)` after it), an update, or nothing."""
    if existing is None:
        plan.actions.append((row.line, key, CREATE))

        def create(session, values=values):
            obj = model(**values)
            session.add(obj)
            # What hangs off the new row needs its id: done after one flush of all rows.
            return (lambda s: extra(s, obj)) if extra else None
        plan.writes.append(create)
    elif _same(existing, values):
        plan.actions.append((row.line, key, SAME))
    else:
        plan.actions.append((row.line, key, UPDATE))

        def update(session, obj_id=existing.id, values=values):
            obj = session.get(model, obj_id)
            for k, v in values.items():
                setattr(obj, k, v)
        plan.writes.append(update)


def _duplicate(row: _Row, seen: set, key) -> bool:
    if key in seen:
        row.problem("", "Deze rij staat al eerder in het bestand.")
        return True
    seen.add(key)
    return False


def _plan_aios(session, frame, plan: Plan) -> None:
    programmes = _index(session, select(Opleiding.code, Opleiding.id))
    cohorts = {(o, str(y)): c for c, o, y in session.execute(select(Cohort.id, Cohort.opleiding_id, Cohort.start_year))}
    existing = {a.aios_number: a for a in session.execute(select(Aios)).scalars()}
    users = {u.id: u for u in session.execute(select(UserAccount).where(UserAccount.id.in_([a.user_id for a in existing.values()]))).scalars()}
    taken = set(session.execute(select(UserAccount.username)).scalars())
    seen: set = set()
    for row in _plan_rows(frame, plan):
        number, name = row.text("aiosnummer", limit=32), row.text("naam")
        email = row.text("e-mail", required=False, limit=254) or None
        programme = row.lookup("opleiding", programmes, "Opleiding")
        year = row.text("cohort")
        cohort = cohorts.get((programme, year))
        if programme and year and cohort is None:
            row.problem("cohort", f"Cohort {year} bestaat niet voor deze opleiding.")
        if not row.ok or _duplicate(row, seen, number):
            continue
        current = existing.get(number)
        username = number.lower()
        if current is None:
            if username in taken:
                row.problem("aiosnummer", f"De gebruikersnaam '{username}' is al in gebruik.")
                continue
            plan.actions.append((row.line, number, CREATE))

            def create(session, number=number, name=name, email=email, programme=programme, cohort=cohort, username=username):
                user = UserAccount(username=username, display_name=name, email=email)
                session.add(user)
                session.flush()
                session.add_all([UserRole(user_id=user.id, role=Role.AIOS),
                                 Aios(user_id=user.id, aios_number=number, opleiding_id=programme, cohort_id=cohort)])
            plan.writes.append(create)
        else:
            user = users[current.user_id]
            if (user.display_name, user.email, current.opleiding_id, current.cohort_id) == (name, email, programme, cohort):
                plan.actions.append((row.line, number, SAME))
                continue
            plan.actions.append((row.line, number, UPDATE))

            def update(session, aios_id=current.id, user_id=user.id, name=name, email=email, programme=programme, cohort=cohort):
                a, u = session.get(Aios, aios_id), session.get(UserAccount, user_id)
                u.display_name, u.email, a.opleiding_id, a.cohort_id = name, email, programme, cohort
            plan.writes.append(update)


def _plan_stageplaatsen(session, frame, plan: Plan) -> None:
    programmes = _index(session, select(Opleiding.code, Opleiding.id))
    existing = {s.code: s for s in session.execute(select(Stageplaats)).scalars()}
    seen: set = set()
    for row in _plan_rows(frame, plan):
        values = {"code": row.text("code", limit=32), "name": row.text("naam"), "organisation": row.text("organisatie"),
                  "opleiding_id": row.lookup("opleiding", programmes, "Opleiding"), "discipline": row.text("type", limit=100),
                  "region": row.text("regio", limit=100)}
        if row.ok and not _duplicate(row, seen, values["code"]):
            _upsert(plan, row, values["code"], existing.get(values["code"]), Stageplaats,
                    values | ({} if values["code"] in existing else {"status": StageplaatsStatus.ACTIEF}))


def _plan_begeleiders(session, frame, plan: Plan) -> None:
    sites = _index(session, select(Stageplaats.code, Stageplaats.id))
    users = {u.username: u for u in session.execute(select(UserAccount)).scalars()}
    begeleiders = {b.user_id: b for b in session.execute(select(Stagebegeleider)).scalars()}
    links = {(b, s) for b, s in session.execute(select(BegeleiderStageplaats.begeleider_id, BegeleiderStageplaats.stageplaats_id))}
    seen: set = set()
    for row in _plan_rows(frame, plan):
        username, name = row.text("gebruikersnaam", limit=64), row.text("naam")
        email, function = row.text("e-mail", False, 254) or None, row.text("functie", False, 100) or None
        codes = [c.strip() for c in re.split(r"[;,]", row.values.get("stageplaatsen", "")) if c.strip()]
        for code in codes:
            if code not in sites:
                row.problem("stageplaatsen", f"Stageplaats '{code}' bestaat niet.")
        if not row.ok or _duplicate(row, seen, username):
            continue
        user = users.get(username)
        begeleider = begeleiders.get(user.id) if user else None
        wanted = {sites[c] for c in codes}
        have = {s for b, s in links if begeleider and b == begeleider.id}
        if user and begeleider and (user.display_name, user.email, begeleider.function) == (name, email, function) and wanted <= have:
            plan.actions.append((row.line, username, SAME))
            continue
        plan.actions.append((row.line, username, UPDATE if user else CREATE))

        def write(session, username=username, name=name, email=email, function=function, wanted=wanted, have=have,
                  user_id=user.id if user else None, begeleider_id=begeleider.id if begeleider else None):
            if user_id is None:
                u = UserAccount(username=username, display_name=name, email=email)
                session.add(u)
                session.flush()
                user_id = u.id
            else:
                u = session.get(UserAccount, user_id)
                u.display_name, u.email = name, email
            if begeleider_id is None:
                session.add(UserRole(user_id=user_id, role=Role.STAGEBEGELEIDER))
                b = Stagebegeleider(user_id=user_id, function=function)
                session.add(b)
                session.flush()
                begeleider_id = b.id
            else:
                session.get(Stagebegeleider, begeleider_id).function = function
            session.add_all([BegeleiderStageplaats(begeleider_id=begeleider_id, stageplaats_id=s) for s in wanted - have])
        plan.writes.append(write)


def _stage_keys(session) -> tuple[dict, dict, dict]:
    aios = _index(session, select(Aios.aios_number, Aios.id))
    sites = _index(session, select(Stageplaats.code, Stageplaats.id))
    stages = {(a, s, d): i for i, a, s, d in session.execute(select(Stage.id, Stage.aios_id, Stage.stageplaats_id, Stage.start_date))}
    return aios, sites, stages


def _plan_stages(session, frame, plan: Plan, today: dt.date) -> None:
    aios, sites, stages = _stage_keys(session)
    begeleiders = _index(session, select(UserAccount.username, Stagebegeleider.id)
                         .join(Stagebegeleider, Stagebegeleider.user_id == UserAccount.id))
    kpb_default = _index(session, select(Aios.id, Opleiding.kpb_target_default).join(Opleiding, Opleiding.id == Aios.opleiding_id))
    existing = {s.id: s for s in session.execute(select(Stage)).scalars()} if stages else {}
    seen: set = set()
    for row in _plan_rows(frame, plan):
        aios_id = row.lookup("aiosnummer", aios, "Aios")
        site_id = row.lookup("stageplaats", sites, "Stageplaats")
        begeleider_id = row.lookup("begeleider", begeleiders, "Begeleider")
        start, end = row.date("startdatum"), row.date("einddatum")
        fte = row.number("fte", 0.1, 1.0, required=False) or 1.0
        if start and end and end <= start:
            row.problem("einddatum", "De einddatum moet na de startdatum liggen.")
        if not row.ok or _duplicate(row, seen, (aios_id, site_id, start)):
            continue
        key = f"{row.values['aiosnummer']} · {row.values['stageplaats']} · {start:%d-%m-%Y}"
        status = StageStatus.AFGEROND if end < today else (StageStatus.LOPEND if start <= today else StageStatus.GEPLAND)
        values = {"aios_id": aios_id, "stageplaats_id": site_id, "start_date": start, "end_date": end, "fte": fte}
        current = existing.get(stages.get((aios_id, site_id, start)))

        def extra(session, stage, begeleider_id=begeleider_id, end=end, aios_id=aios_id):
            session.add_all([
                StageBegeleider(stage_id=stage.id, begeleider_id=begeleider_id, is_primary=True),
                Stageplan(stage_id=stage.id, kpb_target=kpb_default.get(aios_id, 6), verslag_due=end - dt.timedelta(days=7)),
            ])
        _upsert(plan, row, key, current, Stage, values if current else values | {"status": status}, extra)


def _stage_of(row: _Row, aios, sites, stages):
    aios_id = row.lookup("aiosnummer", aios, "Aios")
    site_id = row.lookup("stageplaats", sites, "Stageplaats")
    start = row.date("startdatum")
    stage_id = stages.get((aios_id, site_id, start))
    if aios_id and site_id and start and stage_id is None:
        row.problem("startdatum", "Er is geen stage van deze aios op deze stageplaats met deze startdatum.")
    return stage_id


def _plan_ratings(session, frame, plan: Plan) -> None:
    aios, sites, stages = _stage_keys(session)
    existing = {r.stage_id: r for r in session.execute(select(StageplaatsRating)).scalars()}
    seen: set = set()
    for row in _plan_rows(frame, plan):
        stage_id = _stage_of(row, aios, sites, stages)
        scores = {d: row.number(d, 1, 5, whole=True) for d in ("leermogelijkheden", "leerklimaat", "begeleiding")}
        comment = row.text("opmerking", required=False, limit=4000) or None
        when = row.date("datum")
        if not row.ok or _duplicate(row, seen, stage_id):
            continue
        values = {"stage_id": stage_id, **{d: int(v) for d, v in scores.items()}, "comment": comment, "submitted_at": when}
        current = existing.get(stage_id)
        if current is not None and current.release_id is not None and not _same(current, values):
            # A released rating is in the shown figures: changing it would move them by one rating.
            row.problem("", "Deze beoordeling is al vrijgegeven en kan niet meer worden gewijzigd.")
            continue
        _upsert(plan, row, f"stage {stage_id}", current, StageplaatsRating, values)


def _plan_rubricscores(session, frame, plan: Plan) -> None:
    aios, sites, stages = _stage_keys(session)
    users = _index(session, select(UserAccount.username, UserAccount.id))
    programme_of = _index(session, select(Stage.id, Aios.opleiding_id).join(Aios, Aios.id == Stage.aios_id))
    rubrics = {(o, v): i for i, o, v in session.execute(select(Rubric.id, Rubric.opleiding_id, Rubric.version))}
    criteria = {(r, p): i for i, r, p in session.execute(select(RubricCriterion.id, RubricCriterion.rubric_id, RubricCriterion.position))}
    beoordelingen = {(b.stage_id, b.moment, b.rater_id, b.rubric_id, b.date): b.id for b in session.execute(select(Beoordeling)).scalars()}
    scores = {(b, c): s for b, c, s in session.execute(select(RubricScore.beoordeling_id, RubricScore.criterion_id, RubricScore.score))}
    moments = {m.value: m for m in Moment}
    kinds = {k.value: k for k in RaterKind}
    seen: set = set()
    new_groups: dict[tuple, list] = {}
    for row in _plan_rows(frame, plan):
        stage_id = _stage_of(row, aios, sites, stages)
        moment = row.lookup("moment", moments, "Moment")
        rater = row.lookup("beoordelaar", users, "Gebruiker")
        kind = row.lookup("soort", kinds, "Soort")
        when = row.date("datum")
        version = row.number("rubricversie", 1, 99, whole=True)
        position = row.number("criterium", 1, 99, whole=True)
        score = row.number("score", 1, 9, whole=True)
        rubric = rubrics.get((programme_of.get(stage_id), int(version))) if version else None
        if stage_id and version and rubric is None:
            row.problem("rubricversie", f"Rubricversie {int(version)} bestaat niet voor deze opleiding.")
        criterion = criteria.get((rubric, int(position))) if rubric and position else None
        if rubric and position and criterion is None:
            row.problem("criterium", f"Criterium {int(position)} bestaat niet in deze rubricversie.")
        if not row.ok:
            continue
        group = (stage_id, moment, rater, rubric, when)
        if _duplicate(row, seen, (group, criterion)):
            continue
        key = f"stage {stage_id} · {moment.value} · criterium {int(position)}"
        beoordeling = beoordelingen.get(group)
        if beoordeling is None:
            plan.actions.append((row.line, key, CREATE))
            new_groups.setdefault(group + (kind,), []).append((criterion, int(score)))
        elif scores.get((beoordeling, criterion)) == int(score):
            plan.actions.append((row.line, key, SAME))
        else:
            plan.actions.append((row.line, key, UPDATE if (beoordeling, criterion) in scores else CREATE))

            def set_score(session, b=beoordeling, c=criterion, s=int(score)):
                existing = session.get(RubricScore, (b, c))
                if existing is None:
                    session.add(RubricScore(beoordeling_id=b, criterion_id=c, score=s))
                else:
                    existing.score = s
            plan.writes.append(set_score)
    for (stage_id, moment, rater, rubric, when, kind), items in new_groups.items():
        def create(session, stage_id=stage_id, moment=moment, rater=rater, rubric=rubric, when=when, kind=kind, items=items):
            b = Beoordeling(stage_id=stage_id, rubric_id=rubric, moment=moment, rater_kind=kind, rater_id=rater, date=when)
            session.add(b)
            session.flush()
            session.add_all([RubricScore(beoordeling_id=b.id, criterion_id=c, score=s) for c, s in items])
        plan.writes.append(create)


PLANNERS = {
    "aios": _plan_aios, "stageplaatsen": _plan_stageplaatsen, "begeleiders": _plan_begeleiders,
    "stages": _plan_stages, "beoordelingen": _plan_ratings, "rubricscores": _plan_rubricscores,
}


def plan_import(engine: Engine, kind: str, frame: pd.DataFrame, today: dt.date | None = None) -> Plan:
    """What importing `frame` as `kind` would do; nothing is written."""
    plan = Plan(kind)
    with Session(engine) as session:
        planner = PLANNERS[kind]
        if kind == "stages":
            planner(session, frame, plan, today or dt.date.today())
        else:
            planner(session, frame, plan)
    return plan


def run_import(engine: Engine, user_id: int | None, kind: str, frame: pd.DataFrame, filename: str,
               today: dt.date | None = None, progress: Callable[[float], None] | None = None) -> Plan:
    """Plan and, only when the plan has no problems, carry it out in one transaction with one
    audit row. A plan with nothing to change writes nothing (not even an audit row)."""
    with write_session(engine) as session, session.begin():
        plan = Plan(kind)
        planner = PLANNERS[kind]
        if kind == "stages":
            planner(session, frame, plan, today or dt.date.today())
        else:
            planner(session, frame, plan)
        if plan.problems or not plan.writes:
            return plan
        after = []
        for i, write in enumerate(plan.writes):
            after.append(write(session))
            if progress and i % 500 == 0:
                progress(0.8 * i / len(plan.writes))
        session.flush()
        for then in filter(None, after):
            then(session)
        if kind == "beoordelingen":
            # Imported ratings are pending like typed ones; full batches are released now.
            release_full_batches(session, load_settings().anonymity_threshold)
        record_write(session, user_id, action="geïmporteerd", entity=kind, entity_id=None,
                     after={"bestand": filename} | plan.counts)
    if progress:
        progress(1.0)
    return plan


def main(argv: list[str] | None = None) -> int:
    from data_access.settings import load_settings

    parser = argparse.ArgumentParser(prog="python -m data_access.importer",
                                     description="Importeer een CSV- of Excelbestand in de stagedatabase.")
    parser.add_argument("file", type=Path)
    parser.add_argument("--kind", required=True, choices=list(KINDS))
    parser.add_argument("--dry-run", action="store_true", help="alleen laten zien wat er zou gebeuren")
    parser.add_argument("--db-url", default=None)
    args = parser.parse_args(argv)
    engine = make_engine(args.db_url or load_settings().db_url)
    try:
        frame = read_table(args.file.read_bytes(), args.file.name)
    except (OSError, UnreadableFile) as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    plan = plan_import(engine, args.kind, frame) if args.dry_run else run_import(engine, None, args.kind, frame, args.file.name)
    for p in plan.problems:
        print(f"rij {p.row}, kolom '{p.column}': {p.message}", file=sys.stderr)
    c = plan.counts
    verb = "zou" if args.dry_run or plan.problems else "is"
    print(f"{len(frame)} rijen: {c[CREATE]} nieuw, {c[UPDATE]} bijgewerkt, {c[SAME]} ongewijzigd"
          f" ({verb} {'niet ' if plan.problems else ''}geïmporteerd{'' if not plan.problems else f'; {len(plan.problems)} fouten'}).")
    return 1 if plan.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
