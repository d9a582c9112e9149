"""The command line: the same plan, messages and progress as the Importeren page.

Exit code: 0 done (or a clean dry run), 1 problems in the file, 2 the file could not be read or
the user may not import.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from data_access.db import make_engine
from data_access.errors import AccessDenied
from data_access.importer import KINDS, UPDATE, UnreadableFile, plan_import, read_table, run_import
from data_access.models import Role
from data_access.viewer import viewer_for


def main(argv: list[str] | None = None) -> int:
    from data_access.settings import load_settings

    parser = argparse.ArgumentParser(prog="python -m data_access.importer",
                                     description="Importeer een CSV- of Excelbestand in de stagedatabase.")
    parser.add_argument("file", type=Path)
    parser.add_argument("--kind", required=True, choices=list(KINDS))
    parser.add_argument("--gebruiker", required=True, help="gebruikersnaam van de beheerder die importeert")
    parser.add_argument("--dry-run", action="store_true", help="alleen laten zien wat er zou gebeuren")
    parser.add_argument("--db-url", default=None)
    args = parser.parse_args(argv)
    engine = make_engine(args.db_url or load_settings().db_url)
    try:
        viewer = viewer_for(engine, args.gebruiker, Role.BEHEERDER)
        frame = read_table(args.file.read_bytes(), args.file.name, KINDS[args.kind].required)
        if args.dry_run:
            plan = plan_import(engine, viewer, args.kind, frame)
        else:
            with tqdm(total=100, desc="Importeren", unit="%", file=sys.stderr, disable=None) as bar:
                plan = run_import(engine, viewer, args.kind, frame, args.file.name,
                                  progress=lambda share: bar.update(round(share * 100) - bar.n))
    except (UnreadableFile, AccessDenied) as exc:  # AccessDenied is an OSError too: first
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    except OSError:
        print(f"Fout: het bestand {args.file} kan niet geopend worden.", file=sys.stderr)
        return 2
    for column in plan.ignored:
        print(f"kolom '{column}': genegeerd (onbekende kolom)")
    for change in plan.changes:
        if change.action == UPDATE:
            print(f"rij {change.row}, {change.key}: bijgewerkt: {change.describe()}")
    for p in plan.problems:
        print(f"rij {p.row}, kolom '{p.column}': {p.message}" if p.row else p.message, file=sys.stderr)
    print(plan.summary(done=not args.dry_run))
    return 1 if plan.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
