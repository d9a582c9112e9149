"""Every data_access test runs on SQLite and on a real PostgreSQL that this test run starts.

Without PostgreSQL on the machine the PostgreSQL half skips with a message locally; under
CI=true a missing PostgreSQL is an error, never a silent skip.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from data_access import clock  # noqa: E402
from data_access.db import make_engine, migrate, reset_id_sequences  # noqa: E402
from tests.demo_db import demo_copy, make_demo  # noqa: E402
from tests.fixture_data import load_fixture  # noqa: E402
from tests.pg import find_pg_bin, start_cluster  # noqa: E402
from tests.servers import running_app  # noqa: E402

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
    """Fresh databases on one backend, each a copy of a template made once per backend and run.

    Migrating is the slow part (78 table rebuilds on SQLite), so the schema is made once, with and
    without the fixture, and every test gets its own copy: a file copy on SQLite, `CREATE DATABASE
    ... TEMPLATE` on PostgreSQL (both copy pages, so ids, sequences and data are exactly the
    template's)."""

    def __init__(self, backend: str, tmp_path_factory, cluster=None):
        self.backend = backend
        self.tmp = tmp_path_factory.mktemp(backend)
        self.cluster = cluster
        self.engines: list[Engine] = []
        self._templates: dict[bool, str] = {}

    def _new_name(self) -> str:
        return f"t{os.getpid()}_{next(_counter)}"

    def _admin(self, sql: str) -> None:
        admin = make_engine(self.cluster.url())
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(sql)
        admin.dispose()

    def new_url(self) -> str:
        """The address of a new, empty database (no schema)."""
        name = self._new_name()
        if self.backend == "sqlite":
            return f"sqlite:///{self.tmp / name}.sqlite"
        self._admin(f'CREATE DATABASE "{name}"')
        return self.cluster.url(name)

    def _template(self, with_fixture: bool) -> str:
        if with_fixture not in self._templates:
            url = self.new_url()
            engine = make_engine(url)
            migrate(engine)
            if with_fixture:
                load_fixture(engine)
                reset_id_sequences(engine)
            engine.dispose()  # SQLite: the last connection folds the WAL into the file
            self._templates[with_fixture] = url
        return self._templates[with_fixture]

    def _copy(self, with_fixture: bool) -> Engine:
        template = make_url(self._template(with_fixture))
        name = self._new_name()
        if self.backend == "sqlite":
            target = self.tmp / f"{name}.sqlite"
            shutil.copyfile(template.database, target)
            url = f"sqlite:///{target}"
        else:
            self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{template.database}"')
            url = self.cluster.url(name)
        engine = make_engine(url)
        self.engines.append(engine)
        return engine

    def empty(self) -> Engine:
        """Migrated, no rows."""
        return self._copy(with_fixture=False)

    def with_fixture(self) -> Engine:
        """Migrated, with the hand-made fixture (tests/fixture_data.py)."""
        return self._copy(with_fixture=True)

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


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo data set, generated once per test process; tests and servers get copies
    (`tests.demo_db.demo_copy`), so a module that starts the app does not generate it again."""
    return make_demo(tmp_path_factory.mktemp("demo-template") / "demo.sqlite")


def pytest_report_header(config):
    return [f"PostgreSQL voor tests: {find_pg_bin() or 'niet gevonden'}; CI={IN_CI}"]


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory, demo_template) -> str:
    """One app server per test process on its own copy of the demo database, for browser tests
    that only read (they log in, look and leave): they need no server of their module's own, so
    xdist can spread them over its workers. A test that writes, or counts what one user did,
    uses its module's `server` (tests/test_browser.py)."""
    with running_app(demo_copy(demo_template, tmp_path_factory.mktemp("demo-server"), "app.sqlite")) as url:
        yield url


# The layers, as markers, so a developer can run the fast part alone (`-m "not browser"`) and
# CI's output counts each. `browser` starts Chromium (and for test_deploy nginx too); `apptest`
# runs the real app script through Streamlit's AppTest; `postgresql` runs on the run's own cluster.
LAYERS = {
    "PostgreSQL": "postgresql",
    "SQLite": "sqlite",
    "AppTest": "apptest",
    "browser (Chromium)": "browser",
}
BROWSER_MODULES = ("test_browser", "test_deploy")
# Fixtures whose database or server is shared by a module's tests: such a module runs on one
# xdist worker (its group), so the server or the copy is made once.
MODULE_SHARED = {"app_env", "demo_url", "poisoned_app", "server"}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items):
    for item in items:
        module = item.module.__name__.rpartition(".")[2]
        backend = getattr(item, "callspec", None) and item.callspec.params.get("databases")
        if backend:
            item.add_marker(backend)
        if module.startswith(BROWSER_MODULES):
            item.add_marker("browser")
        elif module.startswith("test_app") or "app_env" in item.fixturenames:
            item.add_marker("apptest")
        if "demo_template" in item.fixturenames:
            item.add_marker("demo")
        if MODULE_SHARED & set(item.fixturenames):
            item.add_marker(pytest.mark.xdist_group(module))
        elif item.get_closest_marker("walk"):  # one walk per role and screen, shared by its checks
            item.add_marker(pytest.mark.xdist_group(f"walk-{item.callspec.params['role'].value}"))
    # The browser tests first, the longest (walks, then a module's own server) at the front, so
    # no long group starts last and leaves one worker alone at the end. Measured on 2 cores it
    # made no difference to the whole (22 m 6 s either way): the run is CPU-bound.
    items.sort(key=_start_order)


def _start_order(item) -> int:
    if item.get_closest_marker("browser") is None:
        return 3
    if item.get_closest_marker("walk"):
        return 0
    return 1 if item.get_closest_marker("xdist_group") else 2


def pytest_terminal_summary(terminalreporter):
    """Counts per layer, so CI's output shows that the PostgreSQL, AppTest and browser tests ran."""
    terminalreporter.section("tests per laag")
    for layer, marker in LAYERS.items():
        counts = {
            outcome: sum(1 for r in terminalreporter.stats.get(outcome, []) if marker in getattr(r, "keywords", {}))
            for outcome in ("passed", "failed", "skipped", "error")
        }
        terminalreporter.write_line(
            f"{layer}: {counts['passed']} passed, {counts['failed']} failed, "
            f"{counts['skipped']} skipped, {counts['error']} errors"
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A browser test that fails reports what its pages showed at that moment and where their
    runs stood (RUN_WATCH), so a failure seen once in CI can be understood from the log."""
    outcome = yield
    report = outcome.get_result()
    browser = item.funcargs.get("browser") if hasattr(item, "funcargs") else None
    if report.when != "call" or not report.failed or browser is None:
        return
    for c, context in enumerate(browser.contexts):
        for p, page in enumerate(context.pages):
            try:
                state = page.evaluate("() => JSON.stringify({state: document.querySelector(\"[data-testid='stApp']\")"
                                      "?.getAttribute('data-test-script-state'), now: performance.now(), "
                                      "...window.__runWatch})")
                text = page.locator("body").inner_text(timeout=2000)[:4000]
            except Exception as exc:  # a closed or hung page: say so, the test's own error stands
                state, text = "", f"(niet te lezen: {exc})"
            report.sections.append((f"pagina {c}.{p} bij de fout ({page.url})", f"{state}\n{text}"))
