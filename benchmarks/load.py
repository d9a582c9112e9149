"""Many users at once: N simulated users drive real Streamlit sessions over Streamlit's own
websocket protocol, against one app process or two behind the shipped nginx site file.

    .venv/bin/python -m benchmarks.load --db-url URL [--users 5,20] [--seconds 120] [--servers 1|2]
                                        [--think 10] [--ramp 10] [--json FILE]

Writes to the database (demo passwords for the chosen accounts, and the gesprekken saved): use a
benchmark copy. For each number of users in --users (one phase after the other, on the same
server processes) the users arrive spread over --ramp seconds and log in through the login form
(a mix of opleider, commissie, begeleider and aios accounts, demo password), then until the
phase's time is up each opens one of its role's pages after a think time, and now and then
(begeleider, opleider, aios) saves a begeleidingsgesprek through the Gesprek vastleggen form.

The think time (default 10 s, drawn from 5–15 s) is a person reading a page or typing before
the next click: twenty people who each click every 10 s ask about two page runs a second. A
shorter --think is a stress test: it shows where a process saturates (a page run holds the
interpreter for 0.1–0.5 s of CPU, and one process runs one script at a time on the CPU). Reports per phase: login and page time
(median, p95), saves per second, errors, and per server process its RSS at the end of the phase
and its peak (sampled every 0.5 s).

Why the websocket protocol and not browsers: a headless Chromium per user is ~150 MB and a
core's worth of layout work; twenty of them on this machine's two cores would measure the
browsers, not the server. A Streamlit session is a websocket carrying protobuf messages (BackMsg
up: "rerun the script with these widget values, on this page"; ForwardMsg down: the elements,
the navigation, "script finished"). This client speaks exactly that, with the compiled protos
that ship with streamlit (streamlit.proto), so the server does everything it does for a browser
(session, script run, widget state, cache, database, serialising every element) and the time
measured is from the request to the server's "script finished" message. What it leaves out is
the browser's own rendering (charts drawn by Vega in the page), which costs the server nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import bcrypt  # noqa: E402
import psutil  # noqa: E402
import websockets  # noqa: E402
from sqlalchemy import func, select, update  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from data_access.db import make_engine  # noqa: E402
from data_access.models import Gesprek, Role, UserAccount, UserRole  # noqa: E402
from sample_data import DEMO_PASSWORD  # noqa: E402

ROLES = (Role.INSTITUUTSOPLEIDER, Role.STAGECOMMISSIE, Role.STAGEBEGELEIDER, Role.AIOS)
SAVERS = {Role.INSTITUUTSOPLEIDER, Role.STAGEBEGELEIDER, Role.AIOS}
GESPREK_PAGE = "Gesprek vastleggen"
APP_ERROR = "kon niet worden getoond"  # the app's own message when a page raised (app.py)
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE = ROOT / "deploy" / "nginx-stagebegeleiding.conf"


# --- accounts --------------------------------------------------------------------------------

def choose_accounts(db_url: str, n: int) -> list[tuple[str, Role]]:
    """N accounts with one role each, round-robin over ROLES, given the demo password."""
    engine = make_engine(db_url)
    hashed = bcrypt.hashpw(DEMO_PASSWORD.encode(), bcrypt.gensalt()).decode()
    per_role = -(-n // len(ROLES))
    chosen: dict[Role, list[str]] = {}
    with engine.begin() as conn:
        single = select(UserRole.user_id).group_by(UserRole.user_id).having(func.count() == 1)
        for role in ROLES:
            rows = conn.execute(
                select(UserAccount.id, UserAccount.username).join(UserRole, UserRole.user_id == UserAccount.id)
                .where(UserRole.role == role, UserAccount.active.is_(True), UserAccount.id.in_(single))
                .order_by(UserAccount.id).limit(per_role)).all()
            chosen[role] = [r.username for r in rows]
            conn.execute(update(UserAccount).where(UserAccount.id.in_([r.id for r in rows]))
                         .values(password_hash=hashed, failed_attempts=0, locked_until=None,
                                 must_change_password=False))
    engine.dispose()
    accounts = [(chosen[role][i // len(ROLES)], role) for i in range(n) for role in (ROLES[i % len(ROLES)],)
                if i // len(ROLES) < len(chosen[role])]
    if len(accounts) < n:
        raise SystemExit(f"Te weinig accounts: {len(accounts)} van {n}")
    return accounts


def count_gesprekken(db_url: str) -> int:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(Gesprek)).scalar_one()
    engine.dispose()
    return n


# --- one Streamlit session over its websocket --------------------------------------------------

@dataclass
class Run:
    seconds: float
    elements: list[tuple[str, object]]
    error: str | None


class Session:
    """A browser tab as the server sees it: one websocket, one script run at a time."""

    def __init__(self, base_url: str, route: str) -> None:
        self.url = base_url.replace("http://", "ws://") + "/_stcore/stream"
        self.route = route
        self.ws = None
        self.pages: dict[str, str] = {}  # page name → script hash, from the navigation message
        self.page_hash = ""
        self.widgets: dict[str, object] = {}  # widget id → (kind, value) held by this "tab"

    async def connect(self) -> None:
        self.ws = await websockets.connect(
            self.url, subprotocols=["streamlit"], max_size=None, open_timeout=60, ping_interval=None,
            additional_headers={"Cookie": f"stage_route={self.route}"})

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    def _back(self, triggers: dict[str, object]) -> bytes:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = ""
        state.page_script_hash = self.page_hash
        for wid, (kind, value) in {**self.widgets, **triggers}.items():
            w = state.widget_states.widgets.add()
            w.id = wid
            setattr(w, kind, value)
        return msg.SerializeToString()

    async def run(self, triggers: dict[str, object] | None = None, timeout: float = 120) -> Run:
        """Rerun the script (on self.page_hash, with the widget values held plus `triggers`) and
        collect what it draws until the server says the run finished."""
        started = time.perf_counter()
        await self.ws.send(self._back(triggers or {}))
        elements: list[tuple[str, object]] = []
        error = None
        deadline = started + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                return Run(time.perf_counter() - started, elements, "geen antwoord binnen de tijd")
            msg = ForwardMsg()
            try:
                msg.ParseFromString(await asyncio.wait_for(self.ws.recv(), left))
            except TimeoutError:
                continue
            kind = msg.WhichOneof("type")
            if kind == "navigation":
                self.pages = {p.page_name: p.page_script_hash for p in msg.navigation.app_pages}
                self.page_hash = msg.navigation.page_script_hash or self.page_hash
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                which = element.WhichOneof("type")
                elements.append((which, getattr(element, which)))
                if which == "exception":
                    error = f"exception: {element.exception.message[:200]}"
                elif which == "alert" and APP_ERROR in element.alert.body:
                    error = "paginafout"
            elif kind == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    elements.clear()  # the script asked for a rerun (st.rerun): that one counts
                    continue
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    error = "compile error"
                return Run(time.perf_counter() - started, elements, error)

    async def open(self, page: str) -> Run:
        self.page_hash = self.pages[page]
        self.widgets = {}  # a page switch leaves the previous page's widgets behind
        return await self.run()


def find(elements: list[tuple[str, object]], kind: str, label: str):
    return next((e for k, e in elements if k == kind and getattr(e, "label", None) == label), None)


async def login(session: Session, username: str) -> Run:
    first = await session.run()
    if first.error:
        return first
    user, password = find(first.elements, "text_input", "Gebruikersnaam"), find(first.elements, "text_input", "Wachtwoord")
    button = find(first.elements, "button", "Inloggen")
    if not (user and password and button):
        return Run(first.seconds, first.elements, "geen inlogformulier")
    result = await session.run({user.id: ("string_value", username), password.id: ("string_value", DEMO_PASSWORD),
                                button.id: ("trigger_value", True)})
    if result.error is None and not session.pages:
        result.error = "niet ingelogd"
    return result


async def save_gesprek(session: Session, text: str) -> tuple[list[Run], bool]:
    """Open Gesprek vastleggen, choose a begeleidingsgesprek, write it and press Opslaan."""
    runs = [await session.open(GESPREK_PAGE)]
    kind = find(runs[-1].elements, "selectbox", "Soort gesprek")
    if kind is None:
        return runs, False  # no running stage to write about
    if "Begeleidingsgesprek" not in kind.options:
        return runs, False
    session.widgets[kind.id] = ("string_value", "Begeleidingsgesprek")
    runs.append(await session.run())
    area = find(runs[-1].elements, "text_area", "Besproken onderwerpen")
    button = next((e for k, e in runs[-1].elements if k == "button" and e.label in ("Opslaan", "Concept opslaan")), None)
    if area is None or button is None:
        runs[-1].error = runs[-1].error or "geen gespreksformulier"
        return runs, False
    runs.append(await session.run({area.id: ("string_value", text), button.id: ("trigger_value", True)}))
    alerts = [e for k, e in runs[-1].elements if k == "alert"]
    saved = any(a.format == 4 for a in alerts) and not any(a.format == 1 for a in alerts)  # SUCCESS, no ERROR
    if not saved and runs[-1].error is None:
        runs[-1].error = "opslaan mislukt: " + "; ".join(a.body[:80] for a in alerts if a.format == 1)
    return runs, saved


@dataclass
class Tally:
    logins: list[float] = field(default_factory=list)
    pages: list[float] = field(default_factory=list)
    saves: int = 0
    errors: list[str] = field(default_factory=list)


async def user(base_url: str, username: str, role: Role, seconds: float, think: float, save_every: float,
               ramp: float, tally: Tally, rng: random.Random) -> None:
    await asyncio.sleep(rng.uniform(0, ramp))  # people arrive one by one, not in the same 0.1 s
    session = Session(base_url, f"u-{username}")
    try:
        await session.connect()
        result = await login(session, username)
        (tally.errors.append(f"{username}: {result.error}") if result.error else tally.logins.append(result.seconds))
        if result.error:
            return
        pages = [p for p in session.pages if p != "Start"]
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think)
            if role in SAVERS and GESPREK_PAGE in pages and rng.random() < save_every:
                runs, saved = await save_gesprek(session, f"Belastingstest {uuid.uuid4().hex[:8]}")
                tally.saves += saved
            else:
                runs = [await session.open(rng.choice(pages))]
            for run in runs:
                tally.pages.append(run.seconds)
                if run.error:
                    tally.errors.append(f"{username}: {run.error}")
    except Exception as exc:  # noqa: BLE001 - a broken session is an error in the report, not a crash
        tally.errors.append(f"{username}: {type(exc).__name__}: {exc}")
    finally:
        await session.close()


# --- servers ------------------------------------------------------------------------------------

def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} antwoordt niet")


class Servers:
    """One app process, or two behind nginx with the shipped site file (as tests/test_deploy.py)."""

    def __init__(self, db_url: str, count: int) -> None:
        self.procs: list[subprocess.Popen] = []
        self.apps: list[psutil.Process] = []
        env = {**os.environ, "STAGE_DB_URL": db_url, "STAGE_DEMO_MODE": "true",
               "STAGE_COOKIE_KEY": "belastingstest-" + "x" * 40, "STAGE_LOG_LEVEL": "WARNING"}
        ports = [_free_port() for _ in range(count)]
        self.logs = Path(tempfile.mkdtemp(prefix="load-logs-"))
        for port in ports:
            proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"), "--server.address",
                 "127.0.0.1", "--server.port", str(port), "--server.headless", "true"],
                cwd=ROOT, env=env, stdout=(self.logs / f"app-{port}.log").open("wb"), stderr=subprocess.STDOUT)
            self.procs.append(proc)
            self.apps.append(psutil.Process(proc.pid))
        for port, proc in zip(ports, self.procs, strict=True):
            _wait(f"http://127.0.0.1:{port}/_stcore/health", proc)
        self.url = f"http://127.0.0.1:{ports[0]}"
        if count > 1:
            self.prefix = Path(tempfile.mkdtemp(prefix="load-nginx-"))
            os.chmod(self.prefix, 0o777)
            listen = _free_port()
            site = SITE.read_text().replace("listen 80;", f"listen 127.0.0.1:{listen};")
            site = site.replace("    server 127.0.0.1:8501;\n    server 127.0.0.1:8502;\n",
                                "".join(f"    server 127.0.0.1:{p};\n" for p in ports))
            (self.prefix / "site.conf").write_text(site)
            temp = "".join(f"{k}_temp_path {self.prefix}/{k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
            (self.prefix / "nginx.conf").write_text(
                f"pid {self.prefix}/nginx.pid;\nerror_log {self.prefix}/error.log;\nevents {{}}\n"
                f"http {{\naccess_log off;\n{temp}include {self.prefix}/site.conf;\n}}\n")
            nginx = subprocess.Popen([NGINX, "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf"), "-g",
                                      "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.procs.append(nginx)
            self.url = f"http://127.0.0.1:{listen}"
            _wait(f"{self.url}/_stcore/health", nginx)

    def rss_mb(self) -> list[float]:
        return [round(p.memory_info().rss / 2**20, 1) for p in self.apps]

    def stop(self) -> None:
        for proc in reversed(self.procs):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


async def _sample(servers: Servers, peaks: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        for i, mb in enumerate(servers.rss_mb()):
            peaks[i] = max(peaks[i], mb)
        try:
            await asyncio.wait_for(stop.wait(), 0.5)
        except TimeoutError:
            pass


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 3)


async def phase(servers: Servers, accounts: list[tuple[str, Role]], seconds: float, think: float,
                save_every: float, ramp: float, seed: int) -> dict:
    tally, peaks, stop = Tally(), servers.rss_mb(), asyncio.Event()
    sampler = asyncio.create_task(_sample(servers, peaks, stop))
    started = time.perf_counter()
    await asyncio.gather(*(user(servers.url, name, role, seconds, think, save_every, ramp, tally, random.Random(seed + i))
                           for i, (name, role) in enumerate(accounts)))
    elapsed = time.perf_counter() - started
    stop.set()
    await sampler
    return {
        "users": len(accounts), "seconds": round(elapsed, 1), "logins": len(tally.logins),
        "login_median_s": _pct(tally.logins, 0.5), "login_p95_s": _pct(tally.logins, 0.95),
        "page_runs": len(tally.pages), "page_median_s": _pct(tally.pages, 0.5), "page_p95_s": _pct(tally.pages, 0.95),
        "saves": tally.saves, "saves_per_s": round(tally.saves / elapsed, 3), "errors": len(tally.errors),
        "error_examples": tally.errors[:5], "rss_end_mb": servers.rss_mb(), "rss_peak_mb": peaks,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load")
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--users", default="5,20", help="users per phase, one phase after the other")
    parser.add_argument("--seconds", type=float, default=120, help="length of each phase")
    parser.add_argument("--servers", type=int, default=1, choices=[1, 2])
    parser.add_argument("--think", type=float, default=10.0,
                        help="mean think time between two page runs (uniform from half to one and a half)")
    parser.add_argument("--ramp", type=float, default=10.0, help="users arrive spread over this many seconds")
    parser.add_argument("--save-every", type=float, default=0.15, help="chance that an action is a save")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    phases = [int(n) for n in args.users.split(",")]
    accounts = choose_accounts(args.db_url, max(phases))
    before = count_gesprekken(args.db_url)
    servers = Servers(args.db_url, args.servers)
    print(f"logs of the app processes: {servers.logs}", flush=True)
    rows = []
    try:
        print(f"{'users':>5s} {'proc':>4s} {'login med':>9s} {'login p95':>9s} {'runs':>5s} {'page med':>8s} "
              f"{'page p95':>8s} {'saves':>5s} {'saves/s':>7s} {'errors':>6s}  RSS end / peak MB per process", flush=True)
        for n in phases:
            row = asyncio.run(phase(servers, accounts[:n], args.seconds, args.think, args.save_every, args.ramp,
                                    args.seed))
            row["servers"] = args.servers
            rows.append(row)
            print(f"{n:5d} {args.servers:4d} {row['login_median_s'] or 0:9.3f} {row['login_p95_s'] or 0:9.3f} "
                  f"{row['page_runs']:5d} {row['page_median_s'] or 0:8.3f} {row['page_p95_s'] or 0:8.3f} "
                  f"{row['saves']:5d} {row['saves_per_s']:7.3f} {row['errors']:6d}  "
                  f"{row['rss_end_mb']} / {row['rss_peak_mb']}", flush=True)
            for example in row["error_examples"]:
                print(f"    fout: {example}", flush=True)
    finally:
        servers.stop()
    saved = sum(r["saves"] for r in rows)
    stored = count_gesprekken(args.db_url) - before
    print(f"opgeslagen volgens de pagina's: {saved}; nieuw in de database: {stored}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0 if stored == saved and not any(r["errors"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
