"""Engine, sessions and migrations. One engine per process; one session per unit of work."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str) -> Engine:
    """An engine for the configured URL; SQLite gets its parent folder and sane pragmas."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001 - DBAPI types
            cur = dbapi_conn.cursor()
            # SQLite ignores foreign keys unless asked; WAL lets readers run beside one writer.
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

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
