#!/usr/bin/env bash
# The whole test suite from a fresh machine: Debian packages when missing, a virtualenv with the
# pinned requirements, then pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
# The replica test puts two app processes behind nginx with the shipped site file.
[ -x /usr/sbin/nginx ] || missing+=(nginx)
# The PDF reports use DejaVu for every character a user may type (the core PDF fonts are Latin-1).
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
# axe-core (the accessibility test) comes from npm.
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
# axe-core for the accessibility test (tests/test_browser_axe.py), the version pinned in tests/axe.
if [ ! -f tests/axe/node_modules/axe-core/axe.min.js ]; then
  npm ci --prefix tests/axe --no-audit --no-fund --ignore-scripts --silent
fi
.venv/bin/pip install -q --disable-pip-version-check -r tests/requirements.txt

# The tests fix "vandaag" for the whole run (tests/conftest.py). The whole suite (no arguments)
# also runs the tests that start from demo data for two fixed days in the weeks when most aios
# are between stages, January and July (python -m tests.dates runs a day of every month): a test
# that asserts what only some days give fails here, not on the day the calendar reaches it.
# They run beside the suite, one process, in the time the browser tests wait for Chromium; their
# lines come after the suite's summary, and either failing fails the run.
dates=""
if [ $# -eq 0 ]; then
  dates_log="$(mktemp)"
  .venv/bin/python -m tests.dates 2027-01-04 2027-07-19 -- -m "demo and not browser" -n 0 >"$dates_log" 2>&1 &
  dates=$!
  trap 'kill "$dates" 2>/dev/null' INT TERM
fi
set +e
.venv/bin/python -m pytest -rs "$@"
rc=$?
if [ -n "$dates" ]; then
  wait "$dates"
  dates_rc=$?
  echo "Dezelfde tests op andere dagen (tests/dates.py):"
  cat "$dates_log"
  rm -f "$dates_log"
  [ "$rc" -eq 0 ] && [ "$dates_rc" -ne 0 ] && rc=1
fi
exit "$rc"
