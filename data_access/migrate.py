"""python -m data_access.migrate [--db-url URL]: bring a database to the newest schema."""

from __future__ import annotations

import argparse

from data_access.db import describe_database, make_engine, migrate
from data_access.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_access.migrate")
    parser.add_argument("--db-url", default=None, help="SQLAlchemy-URL (standaard: STAGE_DB_URL of het SQLite-bestand in data/)")
    args = parser.parse_args(argv)
    url = args.db_url or load_settings().db_url
    migrate(make_engine(url))
    print(f"Schema bijgewerkt: {describe_database(url)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
