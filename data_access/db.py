"""Engine, sessions and migrations. One engine per process; one session per unit of work."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
WRITE = "stage_write"  # execution option: this transaction will write


def write_session(engine: Engine) -> Session:
    """A session for one write: on SQLite its transaction takes the write lock at BEGIN, so
    concurrent saves queue up instead of failing; on PostgreSQL it is an ordinary session."""
    return Session(engine.execution_options(**{WRITE: True}))


def make_engine(url: str) -> Engine:
    """An engine for the configured URL; SQLite gets its parent folder and sane pragmas."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001 - DBAPI types
            # The driver's own transaction handling would start a transaction only at the first
            # write; we begin them ourselves (below), so a write can take its lock up front.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            # SQLite ignores foreign keys unless asked; WAL lets readers run beside one writer.
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # noqa: ANN001
            # A write that read first and then upgrades its lock fails at once with "database is
            # locked" when another writer is busy (SQLite cannot wait there without deadlock).
            # Writes therefore BEGIN IMMEDIATE: they wait (timeout 30 s) for the write lock first.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolation would eat a '%' in a password.
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (the only way the schema is made)."""
    with engine.begin() as conn:
        cfg = alembic_config(engine.url.render_as_string(hide_password=False))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def is_empty(engine: Engine) -> bool:
    """True when the database has no schema yet, or one with no user accounts."""
    if not inspect(engine).has_table("user_account"):
        return True
    with engine.connect() as conn:
        return conn.exec_driver_sql("SELECT COUNT(*) FROM user_account").scalar_one() == 0


def describe_database(url: str) -> str:
    """Where the data lives, for the sidebar: a file or a host, never a password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite-bestand {parsed.database}"
    return f"PostgreSQL op {parsed.host or 'socket'}:{parsed.port or 5432}/{parsed.database}"


def reset_id_sequences(engine: Engine) -> None:
    """After rows were inserted with explicit ids, move PostgreSQL's sequences past them."""
    if engine.dialect.name != "postgresql":
        return
    from data_access.models import Base

    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            id_col = table.c.get("id")
            if id_col is not None and id_col.primary_key and id_col.autoincrement:
                # Table names come from our own metadata, never from input.
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
