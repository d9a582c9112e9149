"""Backups an IT department can restore: `python -m data_access.backup backup|restore`.

SQLite: SQLite's online backup API, a consistent copy while the app keeps running (readers and
the one writer go on; the copy is of one moment). PostgreSQL: `pg_dump --format=custom` and
`pg_restore --clean --if-exists`, the server's own tools, which must be of the server's major
version (Debian's `postgresql-client-NN`). A restore replaces what is in the database: stop the
app (every server process) first, then start it again; caches follow the restored data version.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, make_url

from data_access.db import describe_database, make_engine
from data_access.settings import load_settings


class BackupError(Exception):
    """A backup or restore that could not be done, with a Dutch message."""


def backup(url: str, target: Path) -> Path:
    """Write a backup of the database at `url` to `target` (a file; made or replaced)."""
    parsed = make_url(url)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if parsed.get_backend_name() == "sqlite":
        _sqlite_copy(_sqlite_path(parsed), target)
    else:
        _pg_tool("pg_dump", parsed, "--format=custom", "--no-owner", f"--file={target}")
    return target


def restore(url: str, source: Path) -> None:
    """Put the database at `url` back as it was in the backup `source`."""
    parsed, source = make_url(url), Path(source)
    if not source.is_file():
        raise BackupError(f"Back-upbestand {source} bestaat niet.")
    seen = _data_version(url)
    if parsed.get_backend_name() == "sqlite":
        _sqlite_copy(source, _sqlite_path(parsed))
    else:
        _pg_tool("pg_restore", parsed, "--clean", "--if-exists", "--no-owner", "--single-transaction",
                 f"--dbname={parsed.database}", str(source))
    _move_data_version_past(url, seen)


def _data_version(url: str) -> int:
    engine = make_engine(url)
    try:
        if not inspect(engine).has_table("data_version"):
            return 0
        with engine.connect() as conn:
            return conn.execute(text("SELECT COALESCE(MAX(version), 0) FROM data_version")).scalar_one()
    finally:
        engine.dispose()


def _move_data_version_past(url: str, seen: int) -> None:
    """Caches are keyed by the data version: after a restore it must be one no cache has seen
    (the restored number was followed by other data before the restore)."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE data_version SET version = "
                              "(CASE WHEN version > :seen THEN version ELSE :seen END) + 1"), {"seen": seen})
    finally:
        engine.dispose()


def _sqlite_path(parsed: URL) -> Path:
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("Een database in het geheugen heeft geen back-up.")
    return Path(parsed.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"SQLite-bestand {source} bestaat niet.")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # page by page, consistent; replaces every page of the target
    finally:
        dst.close()
        src.close()


def _pg_bin(tool: str) -> str:
    """The tool of the newest installed server version (Debian keeps them per version), else PATH."""
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{tool}"), key=lambda p: int(p.parts[-3]))
    found = str(versions[-1]) if versions else shutil.which(tool)
    if not found:
        raise BackupError(f"{tool} niet gevonden: installeer de PostgreSQL-client (Debian: postgresql-client).")
    return found


def _pg_tool(tool: str, parsed: URL, *args: str) -> None:
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = parsed.password  # never on the command line (ps shows it)
    host = parsed.query.get("host") or parsed.host
    connection = [f"--username={parsed.username}"] if parsed.username else []
    if host:
        connection.append(f"--host={host}")
    if parsed.port or parsed.query.get("port"):
        connection.append(f"--port={parsed.port or parsed.query['port']}")
    if tool == "pg_dump":
        connection.append(f"--dbname={parsed.database}")
    result = subprocess.run([_pg_bin(tool), *connection, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{tool} is mislukt: {result.stderr.strip()[:500]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_access.backup",
                                     description="Back-up maken of terugzetten (SQLite of PostgreSQL).")
    parser.add_argument("action", choices=["backup", "restore"], help="backup: maken; restore: terugzetten")
    parser.add_argument("file", type=Path, help="het back-upbestand")
    parser.add_argument("--db-url", default=None, help="SQLAlchemy-URL (standaard: STAGE_DB_URL of het SQLite-bestand in data/)")
    args = parser.parse_args(argv)
    url = args.db_url or load_settings().db_url
    try:
        if args.action == "backup":
            backup(url, args.file)
            print(f"Back-up gemaakt van {describe_database(url)} in {args.file}")
        else:
            restore(url, args.file)
            print(f"Teruggezet in {describe_database(url)} uit {args.file}")
    except BackupError as err:
        print(f"Fout: {err}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
