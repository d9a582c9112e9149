"""A throwaway PostgreSQL cluster for the test run: initdb in a temp dir, socket only, fsync off.

As root, initdb and pg_ctl refuse to run, so they run as the `postgres` user (DESIGN.md).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def find_pg_bin() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


@dataclass
class Cluster:
    bin_dir: Path
    base: Path
    port: int = 54329

    @property
    def data(self) -> Path:
        return self.base / "data"

    def _run(self, *args: str) -> None:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, text=True)

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        options = (f"-c listen_addresses='' -c unix_socket_directories={self.base} -c port={self.port} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-w", "-l", str(self.base / "log"), "start")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.base}&port={self.port}"


def start_cluster() -> Cluster:
    bin_dir = find_pg_bin()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL (initdb) niet gevonden")
    base = Path(tempfile.mkdtemp(prefix="stage-pg-"))
    os.chmod(base, 0o755)
    cluster = Cluster(bin_dir, base, port=54329 + os.getpid() % 500)
    cluster.start()
    return cluster
