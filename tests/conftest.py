"""Every data_access test runs on SQLite and on a real PostgreSQL that this test run starts.

Without PostgreSQL on the machine the PostgreSQL half skips with a message locally; under
CI=true a missing PostgreSQL is an error, never a silent skip.
"""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from data_access import clock  # noqa: E402
from data_access.db import make_engine, migrate, reset_id_sequences  # noqa: E402
from tests.fixture_data import load_fixture  # noqa: E402
from tests.pg import find_pg_bin, start_cluster  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# An error in a page or a form is logged and shown in Dutch, then raised, so tests see it.
os.environ.setdefault("STAGE_RAISE_ERRORS", "1")
# One "vandaag" for the whole run, in the tests and in every app they start: a run that crosses
# midnight keeps the day its data was made for (data_access/clock.py).
os.environ.setdefault("STAGE_TODAY", clock.today().isoformat())
BACKENDS = ["sqlite", "postgresql"]
_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_cluster():
    try:
        cluster = start_cluster()
    except (FileNotFoundError, OSError) as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL is vereist onder CI=true maar start niet: {exc}")
        pytest.skip(f"PostgreSQL niet beschikbaar ({exc}); installeer het pakket postgresql")
    yield cluster
    cluster.stop()


class Databases:
    """Makes fresh databases on one backend: empty-and-migrated, or with the fixture loaded."""

    def __init__(self, backend: str, tmp_path_factory, cluster=None):
        self.backend = backend
        self.tmp = tmp_path_factory.mktemp(backend)
        self.cluster = cluster
        self.engines: list[Engine] = []

    def new_url(self) -> str:
        name = f"t{os.getpid()}_{next(_counter)}"
        if self.backend == "sqlite":
            return f"sqlite:///{self.tmp / name}.sqlite"
        admin = make_engine(self.cluster.url())
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
        return self.cluster.url(name)

    def empty(self) -> Engine:
        engine = make_engine(self.new_url())
        migrate(engine)
        self.engines.append(engine)
        return engine

    def with_fixture(self) -> Engine:
        engine = self.empty()
        load_fixture(engine)
        reset_id_sequences(engine)
        return engine

    def close(self) -> None:
        for engine in self.engines:
            engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def databases(request, tmp_path_factory):
    cluster = request.getfixturevalue("pg_cluster") if request.param == "postgresql" else None
    dbs = Databases(request.param, tmp_path_factory, cluster)
    yield dbs
    dbs.close()


@pytest.fixture(scope="session")
def fixture_db(databases) -> Engine:
    """The hand-made fixture, shared by read-only tests of one backend."""
    return databases.with_fixture()


@pytest.fixture
def fresh_db(databases) -> Engine:
    """A private copy of the fixture for a test that writes."""
    engine = databases.with_fixture()
    yield engine
    engine.dispose()  # its pooled connections close now, not at the end of the run


@pytest.fixture
def empty_db(databases) -> Engine:
    engine = databases.empty()
    yield engine
    engine.dispose()


def pytest_report_header(config):
    return [f"PostgreSQL voor tests: {find_pg_bin() or 'niet gevonden'}; CI={IN_CI}"]


LAYERS = {
    "PostgreSQL": lambda nodeid: "[postgresql" in nodeid,
    "SQLite": lambda nodeid: "[sqlite" in nodeid,
    "AppTest": lambda nodeid: nodeid.startswith("tests/test_app"),
    "browser (Chromium)": lambda nodeid: nodeid.startswith("tests/test_browser"),
}


def pytest_terminal_summary(terminalreporter):
    """Counts per layer, so CI's output shows that the PostgreSQL, AppTest and browser tests ran."""
    terminalreporter.section("tests per laag")
    for layer, matches in LAYERS.items():
        counts = {
            outcome: sum(1 for r in terminalreporter.stats.get(outcome, []) if matches(getattr(r, "nodeid", "")))
            for outcome in ("passed", "failed", "skipped", "error")
        }
        terminalreporter.write_line(
            f"{layer}: {counts['passed']} passed, {counts['failed']} failed, "
            f"{counts['skipped']} skipped, {counts['error']} errors"
        )
