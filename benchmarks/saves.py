"""Time gesprek saves (validate, write, audit) on a real database.

    python -m benchmarks.saves --db-url URL [--n 200]

Logs N begeleidingsgesprekken for the demo begeleider's running stages, each with its own
submit token, through data_access.gesprekken.log_gesprek, and prints the median and p95 in ms.
It writes to the database it is given: use a benchmark copy, not production.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from data_access import clock  # noqa: E402
from data_access.accounts import DEMO_USERNAMES  # noqa: E402
from data_access.db import make_engine  # noqa: E402
from data_access.gesprekken import GesprekInput, log_gesprek  # noqa: E402
from data_access.models import GesprekType, Role  # noqa: E402
from data_access.queries.filters import StageSelection  # noqa: E402
from data_access.queries.progress import load_stage_progress  # noqa: E402
from data_access.viewer import viewer_for  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.saves")
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args(argv)
    engine = make_engine(args.db_url)
    viewer = viewer_for(engine, DEMO_USERNAMES[Role.STAGEBEGELEIDER])
    today = clock.today()
    stages = load_stage_progress(engine, viewer, StageSelection(today))["stage_id"].tolist()
    times = []
    for i in range(args.n):
        data = GesprekInput(stage_id=int(stages[i % len(stages)]), type=GesprekType.BEGELEIDINGSGESPREK,
                            date=today, submit_token=f"bench-{uuid.uuid4().hex}", verslag=f"Benchmark {i}",
                            afspraken="Geen")
        started = time.perf_counter()
        log_gesprek(engine, viewer, data, today)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"{engine.dialect.name}: {args.n} saves, median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
          f"max {times[-1]:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
