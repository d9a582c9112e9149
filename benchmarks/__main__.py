"""Render every page server-side for each role and compare it with the raw SQL behind it.

    python -m benchmarks --db-url URL [--json FILE] [--role ROLE ...]

For each role (its demo login, password 'demo'): the login (from submitting the form to the
role's first page drawn, with empty data caches), then each of its pages: the page run with empty
data caches (cold), the same page again (warm), and the SQL statements the cold run sent,
replayed on a raw DBAPI cursor with fetchall (raw SQL). overhead = warm - raw SQL. cold CPU is
the CPU time this process spent on the cold run (on SQLite that includes the SQL; on PostgreSQL
the server's share is not in it): on a shared machine it says what the run costs when the wall
clock says mostly how long it waited for a core. A page's other tabs run only when chosen
(dashboard.layout.lazy_tabs): each is measured as a cold run of its own ("Feedback › Trend").

First the beheerder opens every page once, unmeasured: a server that has served anyone has
imported what the pages use, so "cold" means empty data caches, not a fresh interpreter.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
import streamlit.logger  # noqa: E402
from sqlalchemy import Engine, event  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from dashboard.navigation import PAGES_DIR, specs_for  # noqa: E402
from dashboard.testing import APP, lazy_tab_labels, login_through_form, open_tab  # noqa: E402
from data_access.accounts import DEMO_PASSWORD, DEMO_USERNAMES  # noqa: E402
from data_access.db import make_engine  # noqa: E402
from data_access.models import Role  # noqa: E402


class SqlRecorder:
    """Collects every statement any engine in this process sends while recording."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, object]] = []
        self.recording = False
        event.listen(Engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        # Transaction control (our SQLite BEGIN) is not query work and cannot be replayed twice.
        if self.recording and not executemany and not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            self.statements.append((statement, parameters))

    def start(self) -> None:
        self.statements, self.recording = [], True

    def stop(self) -> list[tuple[str, object]]:
        self.recording = False
        return self.statements


def replay(engine: Engine, statements: list[tuple[str, object]]) -> float:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        started = time.perf_counter()
        for statement, parameters in statements:
            cursor.execute(statement, parameters)
            if cursor.description is not None:
                cursor.fetchall()
        elapsed = time.perf_counter() - started
        raw.rollback()
        return elapsed
    finally:
        raw.close()


def run(db_url: str, roles: list[Role]) -> list[dict]:
    os.environ["STAGE_DB_URL"] = db_url
    os.environ.setdefault("STAGE_DEMO_MODE", "true")  # it logs in with the demo accounts
    streamlit.logger.set_log_level("error")  # AppTest warns on every run without a server
    recorder = SqlRecorder()
    engine = make_engine(db_url)
    warm_up = login_through_form(DEMO_USERNAMES[Role.BEHEERDER], DEMO_PASSWORD, 600)
    for spec in specs_for(Role.BEHEERDER):
        warm_up.switch_page(str(PAGES_DIR / spec.file))
        warm_up.run()
    rows = []
    for role in roles:
        at = AppTest.from_file(APP, default_timeout=600)
        at.run()
        fields = {t.label: t for t in at.text_input}
        fields["Gebruikersnaam"].input(DEMO_USERNAMES[role])
        fields["Wachtwoord"].input(DEMO_PASSWORD)
        next(b for b in at.button if b.label == "Inloggen").click()
        st.cache_data.clear()
        started, cpu = time.perf_counter(), time.process_time()
        at.run()  # the submit: the form's callback, then the role's first page, in this one run
        login, login_cpu = time.perf_counter() - started, time.process_time() - cpu
        if at.exception or at.error:
            raise SystemExit(f"Inloggen als {role.value} mislukt: {at.exception or at.error}")
        rows.append({"page": "Inloggen", "role": role.value, "cold_s": round(login, 3), "cold_cpu_s": round(login_cpu, 3),
                     "warm_s": None, "sql_s": None, "overhead_s": None, "statements": None})
        print(_format(rows[-1]), flush=True)
        for spec in specs_for(role):
            at.switch_page(str(PAGES_DIR / spec.file))
            rows.append(_measure(at, recorder, engine, spec.title, role, at.run))
            # A page's other tabs run only when chosen (dashboard.layout.lazy_tabs): each is a
            # cold run of its own when the user clicks it.
            for tab in lazy_tab_labels(at)[1:]:
                rows.append(_measure(at, recorder, engine, f"{spec.title} › {tab}", role,
                                     lambda tab=tab: open_tab(at, tab)))
    return rows


def _measure(at: AppTest, recorder: SqlRecorder, engine: Engine, title: str, role: Role, run) -> dict:
    """One page (or tab): a run with empty data caches (cold), the same again (warm), and the SQL
    statements of the cold run replayed raw."""
    st.cache_data.clear()
    recorder.start()
    started, cpu = time.perf_counter(), time.process_time()
    run()
    cold, cold_cpu = time.perf_counter() - started, time.process_time() - cpu
    statements = recorder.stop()
    started = time.perf_counter()
    at.run()
    warm = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"{title} als {role.value}: {at.exception}")
    sql = replay(engine, statements)
    row = {"page": title, "role": role.value, "cold_s": round(cold, 3), "cold_cpu_s": round(cold_cpu, 3),
           "warm_s": round(warm, 3), "sql_s": round(sql, 3), "overhead_s": round(warm - sql, 3),
           "statements": len(statements)}
    print(_format(row), flush=True)
    return row


def _format(row: dict) -> str:
    def num(key: str, width: int) -> str:
        return f"{row[key]:{width}.3f}" if row[key] is not None else " " * (width - 1) + "-"
    return (f"{row['page']:36s} {row['role']:19s} {num('cold_s', 8)} {num('cold_cpu_s', 8)} {num('warm_s', 8)} "
            f"{num('sql_s', 9)} {num('overhead_s', 10)} {row['statements'] if row['statements'] is not None else '-':>5}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--role", action="append", choices=[r.value for r in Role])
    args = parser.parse_args(argv)
    roles = [Role(r) for r in args.role] if args.role else list(Role)
    print(f"{'page':36s} {'role':19s} {'cold s':>8s} {'cold CPU':>8s} {'warm s':>8s} {'raw SQL s':>9s} {'overhead s':>10s} "
          f"{'stmts':>5s}")
    rows = run(args.db_url, roles)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
