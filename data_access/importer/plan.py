"""The plan of an import: per row what it would create, update (old → new per field) or leave
alone, every problem with row, column and a Dutch message, and the columns it ignores.

A kind's planner fills a Plan through Row (checked accessors that record problems instead of
raising) and `Plan.add`; the same planner runs for the dry run and inside the import's
transaction, so the dry run makes exactly the checks the import makes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Select, func, insert, update

from data_access.importer.fields import dutch_date, dutch_number, parse_date, parse_email, parse_number, rows_text

CREATE, UPDATE, SAME = "nieuw", "bijgewerkt", "ongewijzigd"
# A row whose record exists and that the kind never compares (a stored rating: bestaat al,
# without its content, so a dry run cannot be used to guess it).
EXISTS = "bestaat al"
KEY_CHUNK = 500  # keys per IN (...): well under every driver's parameter limit


@dataclass(frozen=True)
class Context:
    """What a planner needs besides the file: the day it runs (stage status, "in the future")
    and how long after a stage's end a beoordeling may be dated."""

    today: dt.date
    margin_days: int = 14


@dataclass
class Problem:
    row: int  # as the user sees it in a spreadsheet; 0 for the file as a whole
    column: str
    message: str


@dataclass(slots=True)
class Change:
    """What one row does. `values` is what the kind's writer needs; `diff` maps a column to
    (old, new) as shown to the user."""

    row: int
    key: str
    action: str
    values: dict = field(default_factory=dict)
    target_id: int | None = None
    diff: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Access the row gives on purpose, each as a sentence ("a1 krijgt de rol stagebegeleider bij …"):
    # shown apart from the field changes, so a grant never reads as one more field.
    access: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return "; ".join([f"{column}: {old or '(leeg)'} → {new or '(leeg)'}" for column, (old, new) in self.diff.items()]
                         + [f"toegang: {sentence}" for sentence in self.access])


@dataclass
class Plan:
    kind: str
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # columns in the file the kind does not use
    rows: int = 0

    @property
    def actions(self) -> list[tuple[int, str, str]]:
        return [(c.row, c.key, c.action) for c in self.changes]

    @property
    def writes(self) -> list[Change]:
        return [c for c in self.changes if c.action not in (SAME, EXISTS)]

    @property
    def counts(self) -> dict[str, int]:
        out = {CREATE: 0, UPDATE: 0, SAME: 0}
        for c in self.changes:
            out[c.action] = out.get(c.action, 0) + 1
        return out

    def add(self, row: Row, key: str, action: str, values: dict | None = None, target_id: int | None = None,
            diff: dict[str, tuple[str, str]] | None = None, access: list[str] | None = None) -> None:
        self.changes.append(Change(row.line, key, action, values or {}, target_id, diff or {}, access or []))

    def summary(self, done: bool = False) -> str:
        """One Dutch sentence, the same on the page and the command line."""
        c = self.counts
        head = f"{rows_text(self.rows)}: {c[CREATE]} nieuw, {c[UPDATE]} bijgewerkt, {c[SAME]} ongewijzigd"
        if EXISTS in c:
            head += f", {c[EXISTS]} bestaan al"
        if self.problems:
            errors = "1 fout" if len(self.problems) == 1 else f"{len(self.problems)} fouten"
            return f"{rows_text(self.rows)}, {errors}: er is niets geïmporteerd."
        if not self.writes:
            return f"{head}: niets te importeren."
        return f"{head}: {'is' if done else 'wordt'} geïmporteerd."

    def report(self) -> pd.DataFrame:
        """One row per data row: its key, the action or 'fout', the changes, and its messages."""
        by_row: dict[int, list[str]] = {}
        for p in self.problems:
            by_row.setdefault(p.row, []).append(f"{p.column}: {p.message}" if p.column else p.message)
        rows = [(c.row, c.key, "fout" if c.row in by_row else c.action, c.describe(), "; ".join(by_row.get(c.row, [])))
                for c in self.changes]
        seen = {c.row for c in self.changes}
        rows += [(r, "", "fout", "", "; ".join(m)) for r, m in by_row.items() if r not in seen]
        return pd.DataFrame(sorted(rows), columns=["Rij", "Sleutel", "Actie", "Wijzigingen", "Meldingen"])

    def read_rows(self, frame: pd.DataFrame, columns: list[str]) -> Iterator[Row]:
        """The data rows, after naming every missing required column and listing the ignored
        ones. `columns`: the kind's columns, required ones marked with '*'."""
        known = {c.rstrip("*") for c in columns}
        self.ignored = [c for c in frame.columns if c not in known]
        header = frame.attrs.get("kopregel", 1)
        missing = [c.rstrip("*") for c in columns if c.endswith("*") and c.rstrip("*") not in frame.columns]
        for column in missing:
            self.problems.append(Problem(header, column, f"Deze kolom ontbreekt in de kopregel (rij {header})."))
        if missing:
            return
        self.rows = len(frame)
        lines = frame.index if frame.index.name == "rij" else range(header + 1, header + 1 + len(frame))
        for line, values in zip(lines, frame.to_dict("records")):
            yield Row(self, int(line), values)


class Row:
    """One data row with checked accessors that record problems instead of raising."""

    __slots__ = ("plan", "line", "values", "ok")

    def __init__(self, plan: Plan, line: int, values: dict[str, str]):
        self.plan, self.line, self.values, self.ok = plan, line, values, True

    def problem(self, column: str, message: str) -> None:
        self.plan.problems.append(Problem(self.line, column, message))
        self.ok = False

    def text(self, column: str, required: bool = True, limit: int = 200) -> str:
        value = str(self.values.get(column) or "").strip()
        if required and not value:
            self.problem(column, "Verplicht veld is leeg.")
        elif len(value) > limit:
            self.problem(column, f"Te lang: {len(value)} tekens, maximaal {limit}.")
        return value

    def parsed(self, column: str, parse, required: bool = True, limit: int = 200):
        """The value through `parse`, whose ValueError carries the Dutch message; None if empty."""
        value = self.text(column, required, limit)
        if not value:
            return None
        try:
            return parse(value)
        except ValueError as err:
            self.problem(column, str(err))
            return None

    def date(self, column: str) -> dt.date | None:
        return self.parsed(column, parse_date)

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
            self.problem(column, f"Moet {kind} van {dutch_number(low)} tot en met {dutch_number(high)} zijn (nu {value}).")
            return None
        return number

    def email(self, column: str) -> str | None:
        return self.parsed(column, parse_email, required=False, limit=254)

    def lookup(self, column: str, table: dict, what: str):
        """The record for this row's natural key in `column`, matched trimmed and case-insensitively
        (`table` is keyed by the lowered key, as `find_by_keys` returns it)."""
        value = self.text(column)
        if value and value.lower() not in table:
            self.problem(column, f"{what} '{value}' bestaat niet.")
            return None
        return table.get(value.lower())

    def first(self, seen: dict, key, message: str = "Deze rij staat al eerder in het bestand (rij {rij}).") -> bool:
        """False (and a problem) when `key` was already seen on an earlier row."""
        if key in seen:
            self.problem("", message.format(rij=seen[key]))
            return False
        seen[key] = self.line
        return True


def mentioned(frame_rows: Iterable[Row], column: str) -> set[str]:
    """The lowered, trimmed keys the file mentions in `column`."""
    return {str(r.values.get(column) or "").strip().lower() for r in frame_rows} - {""}


def find_all_by_keys(session, stmt: Select, key_column, keys: Iterable) -> list:
    """Rows of `stmt` whose `key_column` matches one of `keys`, in chunks, so a plan reads only
    what the file mentions. String keys (lowered by the caller) match case-insensitively; ids
    match exactly."""
    keys = sorted(keys)
    column = func.lower(key_column) if keys and isinstance(keys[0], str) else key_column
    out = []
    for i in range(0, len(keys), KEY_CHUNK):
        out += session.execute(stmt.where(column.in_(keys[i:i + KEY_CHUNK]))).all()
    return out


def find_by_keys(session, stmt: Select, key_column, keys: Iterable) -> dict:
    """Like find_all_by_keys for a unique key that is the first column of `stmt`: a table keyed
    by the lowered key (as Row.lookup wants it)."""
    return {row[0].lower(): row for row in find_all_by_keys(session, stmt, key_column, keys)}


def insert_and_update(model, session, changes: list[Change], tick) -> None:
    """The writer of a kind whose rows map one to one onto `model` rows: new ones in one bulk
    insert, changed ones by id."""
    creates = [c.values for c in changes if c.action == CREATE]
    if creates:
        session.execute(insert(model), creates)
        tick(len(creates))
    for c in changes:
        if c.action == UPDATE:
            session.execute(update(model).where(model.id == c.target_id).values(**c.values))
            tick(1)


def shown(value) -> str:
    """A stored value as the user reads it in a diff."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return dutch_date(value)
    if isinstance(value, float):
        return dutch_number(value)
    return str(value)


def diff(old: dict, new: dict, folded: tuple[str, ...] = ()) -> dict[str, tuple[str, str]]:
    """column → (old, new) for the columns whose values differ; `folded` columns (keys, e-mail)
    compare trimmed and case-insensitively."""
    return {k: (shown(old[k]), shown(new[k])) for k in new
            if not (same_text(old[k], new[k]) if k in folded else old[k] == new[k])}


def same_text(a, b) -> bool:
    """Keys and e-mail addresses: equal when trimmed and case-insensitively equal."""
    if isinstance(a, str) or isinstance(b, str):
        return (a or "").strip().lower() == (b or "").strip().lower()
    return a == b
