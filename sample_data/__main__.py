"""python -m sample_data --scale demo|programme|national --db-url URL --seed N [--today YYYY-MM-DD]"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from data_access.db import is_empty, make_engine, migrate
from data_access.settings import load_settings
from sample_data.generator import SCALES, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sample_data", description="Vul een lege database met realistische voorbeelddata.")
    parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
    parser.add_argument("--db-url", default=None, help="SQLAlchemy-URL (standaard: STAGE_DB_URL of het SQLite-bestand in data/)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="peildatum (standaard: vandaag)")
    parser.add_argument("--quiet", action="store_true", help="geen voortgangsbalk")
    args = parser.parse_args(argv)

    url = args.db_url or load_settings().db_url
    engine = make_engine(url)
    migrate(engine)
    if not is_empty(engine):
        print(f"De database bevat al gegevens: {engine.url.render_as_string(hide_password=True)}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    counts = generate(engine, args.scale, seed=args.seed, today=args.today, progress=not args.quiet)
    elapsed = time.perf_counter() - started
    for table, n in sorted(counts.items()):
        print(f"{table:28s} {n:>10,d}")
    print(f"{'totaal':28s} {sum(counts.values()):>10,d} rijen in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
