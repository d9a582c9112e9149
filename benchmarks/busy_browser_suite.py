"""The browser tests on a busy machine: run them several times in a row while busy processes
keep every core loaded, and report pass or fail per run (issue 16: before the login's second
script run was removed, 5 of 15 runs failed with "resolved to 2 elements" on a loaded machine).

    .venv/bin/python -m benchmarks.busy_browser_suite [--runs 5] [--busy 2] [--json FILE] [TEST_FILE ...]

Without test files: every tests/test_browser*.py. The busy processes spin in pure Python (one
per core on a two-core machine) from before the first run until after the last. Each run is a
fresh pytest process (its own servers and databases). Exits 1 when any run failed.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _spin(stop: multiprocessing.synchronize.Event) -> None:
    x = 0
    while not stop.is_set():
        for _ in range(100_000):
            x = (x * 31 + 7) % 1_000_003


def run_suite(files: list[str], runs: int, busy: int) -> list[dict]:
    stop = multiprocessing.Event()
    spinners = [multiprocessing.Process(target=_spin, args=(stop,), daemon=True) for _ in range(busy)]
    for spinner in spinners:
        spinner.start()
    results = []
    try:
        for number in range(1, runs + 1):
            started = time.monotonic()
            proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *files],
                                  cwd=ROOT, capture_output=True, text=True, env=os.environ.copy())
            summary = next((line for line in reversed(proc.stdout.splitlines()) if " in " in line and
                            ("passed" in line or "failed" in line or "error" in line)), proc.stdout[-200:])
            results.append({"run": number, "ok": proc.returncode == 0, "seconds": round(time.monotonic() - started, 1),
                            "summary": summary.strip("= ")})
            print(f"run {number}: {'geslaagd' if proc.returncode == 0 else 'MISLUKT'} — {results[-1]['summary']} "
                  f"({results[-1]['seconds']} s)", flush=True)
            if proc.returncode != 0:
                lines = proc.stdout.splitlines()
                failed = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
                reasons = [line for line in lines if line.startswith("E ")][:12]
                results[-1]["failed"] = failed
                results[-1]["output"] = proc.stdout[-20_000:]  # the whole failure, with its page snapshot
                print("\n".join(failed + reasons), flush=True)
    finally:
        stop.set()
        for spinner in spinners:
            spinner.join(timeout=5)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="test files (default: every tests/test_browser*.py)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--busy", type=int, default=2, help="busy processes (default 2: both cores)")
    parser.add_argument("--json", type=Path, help="write the results here as well")
    args = parser.parse_args(argv)
    files = args.files or sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("test_browser*.py"))
    results = run_suite(files, args.runs, args.busy)
    passed = sum(r["ok"] for r in results)
    print(f"{passed} van {len(results)} runs geslaagd, met {args.busy} drukke processen; bestanden: {' '.join(files)}")
    if args.json:
        args.json.write_text(json.dumps({"files": files, "busy": args.busy, "runs": results}, indent=2), encoding="utf-8")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
