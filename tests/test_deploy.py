"""The shipped deployment files, for real on this machine: the Dockerfile passes hadolint, and
Debian's nginx with the shipped site file puts two app processes on one PostgreSQL behind one
address, sticky per browser, with a write in one process seen at once in the other.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select

from data_access.db import make_engine
from data_access.models import Gesprek
from tests.pg import start_cluster
from tests.servers import free_port, start_app, start_process, wait_until_up
from tests.test_browser import (  # fixtures and helpers, not tests
    CHROMIUM,
    IN_CI,
    browser,  # noqa: F401 - a fixture
    expect,
    expect_page,
    login,
    wait_idle,
)

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE = DEPLOY / "nginx-stagebegeleiding.conf"
COOKIE_KEY = "replica-test-key-" + "x" * 40  # one shared secret for every process

assert CHROMIUM


def test_the_dockerfile_passes_hadolint():
    hadolint = Path(sys.executable).parent / "hadolint"
    result = subprocess.run([str(hadolint), str(DEPLOY / "Dockerfile")], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "")


def test_the_compose_site_file_is_the_shipped_one_with_service_names():
    def body(path: Path) -> list[str]:
        return [line for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]

    shipped = [line.replace("server 127.0.0.1:8501;", "server app1:8501;").replace("server 127.0.0.1:8502;", "server app2:8501;")
               for line in body(SITE)]
    assert body(DEPLOY / "nginx-compose.conf") == shipped


@pytest.fixture(scope="module")
def replicas(tmp_path_factory):
    """One throwaway PostgreSQL with demo data, two app processes, nginx with the shipped site file."""
    if not Path(NGINX).exists():
        if IN_CI:
            raise RuntimeError("nginx is vereist onder CI=true (Debian-pakket nginx)")
        pytest.skip("nginx niet gevonden; installeer het Debian-pakket nginx")
    cluster = start_cluster()
    procs: list[subprocess.Popen] = []
    try:
        admin = make_engine(cluster.url())
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql('CREATE DATABASE "stage"')
        admin.dispose()
        db_url = cluster.url("stage")
        subprocess.run([sys.executable, "-m", "sample_data", "--scale", "demo", "--db-url", db_url, "--seed", "1"],
                       cwd=ROOT, check=True, capture_output=True)
        env = {**os.environ, "STAGE_DB_URL": db_url, "STAGE_COOKIE_KEY": COOKIE_KEY, "STAGE_DEMO_MODE": "true"}
        ports = [free_port(), free_port()]
        procs.extend(start_app(port, env) for port in ports)
        for port, proc in zip(ports, procs):
            wait_until_up(f"http://127.0.0.1:{port}/_stcore/health", proc)
        apps = procs[:2]  # by port's position; a test that stops one starts it again (`restart`)

        prefix = tmp_path_factory.mktemp("nginx")
        os.chmod(prefix, 0o777)  # nginx's workers (nobody) write their temp files here
        listen = free_port()
        site = SITE.read_text()
        site = site.replace("server 127.0.0.1:8501;", f"server 127.0.0.1:{ports[0]};")
        site = site.replace("server 127.0.0.1:8502;", f"server 127.0.0.1:{ports[1]};")
        site = site.replace("listen 80;", f"listen 127.0.0.1:{listen};")
        (prefix / "site.conf").write_text(site)
        temp = "".join(f"{kind}_temp_path {prefix}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (prefix / "nginx.conf").write_text(
            f"pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\nevents {{}}\n"
            f"http {{\naccess_log {prefix}/access.log;\n{temp}include {prefix}/site.conf;\n}}\n")
        procs.append(start_process([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"]))
        proxy = f"http://127.0.0.1:{listen}"
        wait_until_up(f"{proxy}/_stcore/health", procs[-1])
        yield Replicas(proxy, ports, db_url, apps, env, procs)
    finally:
        for proc in reversed(procs):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        cluster.stop()


class Replicas:
    """The two app processes behind nginx, as `replicas` made them."""

    def __init__(self, proxy, ports, db_url, apps, env, procs):
        self.proxy, self.ports, self.db_url, self._apps, self._env, self._procs = proxy, ports, db_url, apps, env, procs

    def stop(self, n: int) -> None:
        """The n-th process dies at once (SIGKILL: a crash, or the OOM killer)."""
        self._apps[n].kill()
        self._apps[n].wait()

    def restart(self, n: int) -> None:
        proc = start_app(self.ports[n], self._env)
        self._procs[self._procs.index(self._apps[n])] = proc
        self._apps[n] = proc
        wait_until_up(f"http://127.0.0.1:{self.ports[n]}/_stcore/health", proc)


def _upstream_of(proxy: str, route: str) -> str:
    request = urllib.request.Request(f"{proxy}/_stcore/health", headers={"Cookie": f"stage_route={route}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.headers["X-Stage-Upstream"]


def _routes_to_each_process(proxy: str, ports: list[int]) -> dict[int, str]:
    """A route cookie value per process (nginx hashes the value; we try values until both are hit)."""
    routes: dict[int, str] = {}
    for n in range(200):
        port = int(_upstream_of(proxy, f"r{n}").rsplit(":", 1)[1])
        routes.setdefault(port, f"r{n}")
        if len(routes) == len(ports):
            return routes
    raise AssertionError("nginx stuurt alles naar één proces")


def test_a_browser_keeps_its_process_and_a_first_visit_gets_a_route(replicas):
    proxy, ports = replicas.proxy, replicas.ports
    routes = _routes_to_each_process(proxy, ports)
    for port, route in routes.items():
        assert {_upstream_of(proxy, route) for _ in range(5)} == {f"127.0.0.1:{port}"}
    with urllib.request.urlopen(f"{proxy}/_stcore/health", timeout=5) as response:
        cookies = response.headers.get_all("Set-Cookie")
    assert [c for c in cookies if c.startswith("stage_route=")] != []
    for cookie in cookies:
        if cookie.startswith("stage_route="):
            assert re.fullmatch(r"stage_route=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Strict", cookie)


def test_a_gesprek_saved_through_one_process_shows_at_once_in_the_other(replicas, browser):  # noqa: F811
    proxy, ports, db_url = replicas.proxy, replicas.ports, replicas.db_url
    routes = _routes_to_each_process(proxy, ports)
    pages = [_page_on(browser, proxy, routes[port]) for port in ports]
    writer, reader = pages
    text = f"Replica-test {time.time_ns()}"
    _begeleidingsgesprek_typed(writer, proxy, text)
    writer.get_by_role("button", name="Opslaan").click()
    wait_idle(writer)
    expect(writer.get_by_text("is vastgelegd en vastgesteld")).to_be_visible()

    engine = make_engine(db_url)
    with engine.connect() as conn:
        stage_id = conn.execute(select(Gesprek.stage_id).where(Gesprek.verslag == text)).scalar_one()
        aios_id = conn.exec_driver_sql("SELECT aios_id FROM stage WHERE id = %(s)s", {"s": stage_id}).scalar_one()
    engine.dispose()

    reader.goto(f"{proxy}/aios?aios={aios_id}&stage={stage_id}")
    wait_idle(reader)
    login(reader, "begeleider", "demo")
    expect_page(reader, "Aiosdossier")
    reader.get_by_role("tab", name="Verslagen").click()
    expect(reader.get_by_text(text)).to_be_visible()
    for page in pages:
        page.context.close()


def _page_on(browser, proxy: str, route: str):  # noqa: F811
    """A browser page that nginx sends to the process of `route`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    context.add_cookies([{"name": "stage_route", "value": route, "url": proxy}])
    return context.new_page()


def _begeleidingsgesprek_typed(page, proxy: str, text: str) -> None:
    """The demo begeleider logged in on Gesprek vastleggen, a begeleidingsgesprek typed, not saved."""
    page.goto(f"{proxy}/gesprek_vastleggen")
    wait_idle(page)
    login(page, "begeleider", "demo")
    expect_page(page, "Gesprek vastleggen")
    kind = page.get_by_label("Soort gesprek")
    if "Begeleidingsgesprek" not in kind.input_value():
        kind.click()
        page.keyboard.type("Begeleidingsgesprek")
        page.keyboard.press("Enter")
        wait_idle(page)
    page.get_by_label("Besproken onderwerpen").fill(text)
    page.get_by_label("Afspraken").fill("Volgende week verder")


def test_when_its_process_dies_mid_form_the_first_save_on_the_other_process_is_carried_out(replicas, browser):  # noqa: F811
    """Issue 30 (4): the begeleider's process dies while they type; the page reconnects through
    nginx to the other process, keeps the typed text, and the first "Opslaan" saves, once, and
    says so. (A click that reaches a process that never drew the button comes without its
    callback: dashboard.widgets.command_button.)"""
    routes = _routes_to_each_process(replicas.proxy, replicas.ports)
    page = _page_on(browser, replicas.proxy, routes[replicas.ports[0]])
    context = page.context
    text = f"Herverbinding-test {time.time_ns()}"
    _begeleidingsgesprek_typed(page, replicas.proxy, text)
    app = page.locator("[data-testid='stApp']")
    try:
        replicas.stop(0)
        expect(app).not_to_have_attribute("data-test-connection-state", "CONNECTED")
        expect(app).to_have_attribute("data-test-connection-state", "CONNECTED")  # now to the other process
        expect(page.get_by_label("Besproken onderwerpen")).to_have_value(text)
        page.get_by_role("button", name="Opslaan").click()
        wait_idle(page)
        expect(page.get_by_text("is vastgelegd en vastgesteld")).to_be_visible()
        engine = make_engine(replicas.db_url)
        with engine.connect() as conn:
            saved = conn.execute(select(Gesprek.afspraken).where(Gesprek.verslag == text)).scalars().all()
        engine.dispose()
        assert saved == ["Volgende week verder"]
    finally:
        context.close()
        replicas.restart(0)
