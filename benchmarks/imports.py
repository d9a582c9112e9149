"""Time imports at scale: read + dry run, import, and re-import (all ongewijzigd), with peak RSS.

    python -m benchmarks.imports --db-url URL --part stages        # 50,000 stages
    python -m benchmarks.imports --db-url URL --part rubricscores  # 100,000 rubric scores

`stages` needs any sample_data database (it imports 200 stageplaatsen, 200 begeleiders and
5,000 aios of its own first, then a file of 50,000 stages: ten back-to-back stages per aios).
`rubricscores` builds a file of 100,000 scores (new tussentijdse beoordelingen by the stage's
begeleider) for ended stages of the database, meant for the national scale. Peak RSS is the
process's maximum, so run each part in its own process. It writes to the database it is given:
use a benchmark copy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import and_, select  # noqa: E402

from data_access import clock  # noqa: E402
from data_access.db import make_engine  # noqa: E402
from data_access.importer import KINDS, plan_import, read_table, run_import  # noqa: E402
from data_access.models import (  # noqa: E402
    Aios,
    Cohort,
    Opleiding,
    Role,
    Rubric,
    RubricCriterion,
    Stage,
    StageBegeleider,
    Stagebegeleider,
    Stageplaats,
    UserAccount,
)
from data_access.viewer import viewer_for  # noqa: E402

SITES, AIOS, STAGES_PER_AIOS = 200, 5_000, 10
SCORES = 100_000
HEADER = [c.rstrip("*") for c in KINDS["rubricscores"].columns]


def _csv(header: list[str], rows) -> bytes:
    return ("\n".join([";".join(header), *(";".join(map(str, r)) for r in rows)]) + "\n").encode("utf-8")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _import(engine, viewer, kind: str, raw: bytes, name: str) -> None:
    plan = run_import(engine, viewer, kind, read_table(raw, name, KINDS[kind].required), name)
    if plan.problems:
        raise SystemExit(f"{kind}: {plan.problems[:3]}")


def _setup_people(engine, viewer) -> tuple[list[str], list[str]]:
    with engine.connect() as conn:
        code, year = conn.execute(select(Opleiding.code, Cohort.start_year).join(Cohort, Cohort.opleiding_id == Opleiding.id)
                                  .order_by(Opleiding.id, Cohort.start_year)).first()
    sites = [f"BENCH-S{i:04d}" for i in range(SITES)]
    _import(engine, viewer, "stageplaatsen", _csv(["code", "naam", "organisatie", "opleiding", "type", "regio"],
            [(s, f"Bench {s}", "Bench", code, "GGD", "Utrecht") for s in sites]), "plaatsen.csv")
    _import(engine, viewer, "begeleiders", _csv(["gebruikersnaam", "naam", "e-mail", "functie", "stageplaatsen"],
            [(f"bench-bg{i:04d}", f"Begeleider {i}", f"bench-bg{i:04d}@voorbeeld.nl", "arts", s)
             for i, s in enumerate(sites)]), "begeleiders.csv")
    numbers = [f"BENCH-A{i:05d}" for i in range(AIOS)]
    _import(engine, viewer, "aios", _csv(["aiosnummer", "naam", "e-mail", "opleiding", "cohort"],
            [(n, f"Aios {n}", "", code, year) for n in numbers]), "aios.csv")
    return sites, numbers


def stages_file(sites: list[str], numbers: list[str]) -> bytes:
    rows = []
    for i, number in enumerate(numbers):
        start = dt.date(2000, 1, 3) + dt.timedelta(days=i % 7)
        for k in range(STAGES_PER_AIOS):
            site = (i + k) % len(sites)
            end = start + dt.timedelta(weeks=13) - dt.timedelta(days=1)
            rows.append((number, sites[site], f"bench-bg{site:04d}", f"{start:%d-%m-%Y}", f"{end:%d-%m-%Y}", "1"))
            start = end + dt.timedelta(days=1)
    return _csv(["aiosnummer", "stageplaats", "begeleider", "startdatum", "einddatum", "fte"], rows)


def rubricscores_file(engine, today: dt.date, offset_days: int) -> bytes:
    with engine.connect() as conn:
        rubrics = conn.execute(select(Rubric.opleiding_id, Rubric.version, Rubric.valid_from, Rubric.id)
                               .order_by(Rubric.opleiding_id, Rubric.version)).all()
        criteria = defaultdict(list)
        for rubric, position in conn.execute(select(RubricCriterion.rubric_id, RubricCriterion.position)
                                             .order_by(RubricCriterion.rubric_id, RubricCriterion.position)):
            criteria[rubric].append(position)
        stages = conn.execute(
            select(Aios.aios_number, Stageplaats.code, Stage.start_date, Aios.opleiding_id, UserAccount.username)
            .join(Aios, Aios.id == Stage.aios_id).join(Stageplaats, Stageplaats.id == Stage.stageplaats_id)
            .join(StageBegeleider, and_(StageBegeleider.stage_id == Stage.id, StageBegeleider.is_primary.is_(True)))
            .join(Stagebegeleider, Stagebegeleider.id == StageBegeleider.begeleider_id)
            .join(UserAccount, UserAccount.id == Stagebegeleider.user_id)
            .where(Stage.end_date < today).order_by(Stage.id)).all()
    rows = []
    for number, site, start, opleiding, rater in stages:
        version, rubric = max((v, r) for o, v, valid, r in rubrics if o == opleiding and (valid <= start or v == 1))
        when = start + dt.timedelta(days=offset_days)
        for position in criteria[rubric]:
            rows.append((number, site, f"{start:%d-%m-%Y}", "tussentijds", rater, "begeleider", f"{when:%d-%m-%Y}",
                         version, position, 1 + (len(rows) % 4)))
            if len(rows) == SCORES:
                return _csv(HEADER, rows)
    return _csv(HEADER, rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.imports")
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--part", choices=["stages", "rubricscores"], required=True)
    parser.add_argument("--offset-days", type=int, default=20,
                        help="rubricscores: day of the stage the new beoordelingen fall on (another day, other rows)")
    args = parser.parse_args(argv)
    engine = make_engine(args.db_url)
    viewer = viewer_for(engine, "beheerder", Role.BEHEERDER)
    if args.part == "stages":
        raw = stages_file(*_setup_people(engine, viewer))
    else:
        raw = rubricscores_file(engine, clock.today(), args.offset_days)
    print(f"{engine.dialect.name}, {args.part}: {len(raw) / 1e6:.1f} MB, peak RSS so far {_peak_mb():.0f} MB")
    started, cpu = time.perf_counter(), time.process_time()
    frame = read_table(raw, f"{args.part}.csv", KINDS[args.part].required)
    dry = plan_import(engine, viewer, args.part, frame)
    print(f"  read + dry run: {time.perf_counter() - started:.1f} s (CPU {time.process_time() - cpu:.1f} s)  "
          f"{dry.summary()}  (peak RSS {_peak_mb():.0f} MB)")
    del frame, dry
    for step in ("import", "re-import"):
        plan = None  # one plan at a time, as on the page after the button
        started, cpu = time.perf_counter(), time.process_time()
        plan = run_import(engine, viewer, args.part, read_table(raw, f"{args.part}.csv", KINDS[args.part].required),
                          f"{args.part}.csv")
        print(f"  read + {step}: {time.perf_counter() - started:.1f} s (CPU {time.process_time() - cpu:.1f} s)  "
              f"{plan.summary(done=True)}  "
              f"(peak RSS {_peak_mb():.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
