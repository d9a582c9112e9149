"""Run the tests that start from demo data as if today were another day.

The demo data set is made for "vandaag" (STAGE_TODAY, fixed per test run by tests/conftest.py),
so what those tests see depends on the calendar: who is in a stage, what is due, what was rated.
A test may assert only what the generator promises for every day (tests/test_generator.py). This
script runs them for other days, one pytest run per day, and prints a line per day.

    .venv/bin/python -m tests.dates                      # the 12 days of YEAR below, one per month
    .venv/bin/python -m tests.dates 2027-01-04 2027-07-19 -- -m "demo and not browser"

Everything after `--` goes to pytest (default: every test marked `demo`, browser tests included).
The exit code is non-zero when any day failed.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# One day in each month, spread over the weekdays and the month (a cohort starts on 1 September;
# stages last 13 weeks): the year from the start of a cohort to the next.
YEAR = ["2026-09-01", "2026-10-12", "2026-11-23", "2026-12-07", "2027-01-03", "2027-02-15",
        "2027-03-31", "2027-04-26", "2027-05-08", "2027-06-21", "2027-07-14", "2027-08-30"]


def run_day(day: str, pytest_args: list[str]) -> tuple[int, float, str]:
    """One pytest run with "vandaag" fixed at `day`: exit code, seconds, its closing line."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *pytest_args],
                          cwd=ROOT, env={**os.environ, "STAGE_TODAY": day}, capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode:
        sys.stdout.write(done.stdout[-20_000:])
    return done.returncode, time.monotonic() - started, lines[-1] if lines else done.stderr[-500:]


def main(argv: list[str]) -> int:
    days, pytest_args = argv, ["-m", "demo"]
    if "--" in argv:
        cut = argv.index("--")
        days, pytest_args = argv[:cut], argv[cut + 1:]
    for day in days or YEAR:
        dt.date.fromisoformat(day)  # a typo stops here, not after an hour of tests
    failed = 0
    for day in days or YEAR:
        code, seconds, summary = run_day(day, pytest_args)
        failed += bool(code)
        print(f"{day}: {'groen' if code == 0 else 'ROOD'} in {seconds:.0f} s — {summary}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
