"""Servers for the tests: the real app on a loopback port, and any helper process, with what
they print kept for the error message."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_process(command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
    """A server for the tests. What it prints goes to a file, kept for the error message, never
    to a pipe: a pipe that nobody reads is full after 64 KB (some hundreds of page runs of log
    lines), and the server then hangs at its next line."""
    output = tempfile.TemporaryFile()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    proc.output = output
    return proc


def printed(proc: subprocess.Popen) -> str:
    """What a server from `start_process` has printed so far."""
    proc.output.seek(0)
    return proc.output.read().decode(errors="replace")


def start_app(port: int, env: dict[str, str]) -> subprocess.Popen:
    """The real app on a loopback port."""
    return start_process([sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
                          "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true"], env)


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    """Until `url` answers; a server that stops or does not answer in time fails the test with
    what it printed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"{url} antwoordt niet: {printed(proc)}")


@contextlib.contextmanager
def running_app(db_url: str, **env: str) -> Iterator[str]:
    """The app on `db_url` (a demo installation) on a free loopback port while the block runs;
    its address."""
    port = free_port()
    proc = start_app(port, {**os.environ, "STAGE_DB_URL": db_url, "STAGE_DEMO_MODE": "true", **env})
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/_stcore/health", proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)  # a loaded machine (two busy cores) takes longer than 10 s to stop it
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
