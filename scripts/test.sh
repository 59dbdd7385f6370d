#!/usr/bin/env bash
# The whole suite: ruff, import-linter, then pytest on SQLite and on a real PostgreSQL.
# Under CI=true a part that cannot run is a failure, not a skip.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
ci=${CI:-false}

step() { printf '\n==> %s\n' "$*"; }

# pytest exits 5 when it collected nothing: for us that means the suite is broken, not green.
run_pytest() {
  local label=$1; shift
  "$BIN/pytest" "$@"
  local rc=$?
  if [ $rc -eq 5 ]; then
    echo "!! pytest collected no tests on $label: treating as failure" >&2
    return 1
  fi
  return $rc
}

# Real-browser tests drive Debian's Chromium; install it where we can (Debian, root).
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  step "installing Chromium for the real-browser tests (apt-get)"
  (DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
   DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || true
fi
if ! command -v chromium >/dev/null 2>&1; then
  echo "!! ==================================================================" >&2
  echo "!! Chromium is not available: the real-browser tests will be SKIPPED." >&2
  echo "!! (Under CI=true they fail instead.)" >&2
  echo "!! ==================================================================" >&2
fi

# axe-core for the accessibility browser test: from the npm registry, locked, test-only.
if [ ! -f tests/browser/axe/node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null 2>&1; then
    step "installing axe-core for the accessibility test (npm ci)"
    (cd tests/browser/axe && npm ci --no-audit --no-fund --silent) || true
  else
    echo "!! npm is not available: the accessibility test will be SKIPPED (fails under CI=true)." >&2
  fi
fi

step "ruff (lint and format check)"
"$BIN/ruff" check . || exit 1
"$BIN/ruff" format --check . || exit 1

step "import-linter (apps stay in their layers: docs/decisions/0012-layers.md)"
"$BIN/lint-imports" --no-cache || exit 1

# The SQLite and the PostgreSQL runs are independent (each its own database and, through
# VAORA_VAR_DIR, its own spool and mail folders), so on a machine with two cores or more they
# run side by side: the suite takes about as long as its longer half. VAORA_TEST_SERIAL=1 runs
# them one after the other, as on a single core.
pg_var="$PWD/var/test-postgresql"
pg_log="$PWD/var/test-postgresql.log"
mkdir -p var && chmod 700 var
side_by_side=true
if [ "${VAORA_TEST_SERIAL:-0}" = 1 ] || [ "$(nproc 2>/dev/null || echo 1)" -lt 2 ]; then
  side_by_side=false
fi

report_postgresql() {
  local rc=$1
  if [ "$rc" -eq 77 ]; then
    echo "!! ==================================================================" >&2
    echo "!! PostgreSQL is not available here: the PostgreSQL run was SKIPPED." >&2
    echo "!! ==================================================================" >&2
    if [ "$ci" = "true" ]; then
      echo "!! CI=true: a skipped PostgreSQL run is a failure." >&2
      return 1
    fi
    return 0
  fi
  return "$rc"
}

if [ "$side_by_side" = true ]; then
  step "pytest on PostgreSQL, in the background (its output: var/test-postgresql.log)"
  VAORA_VAR_DIR="$pg_var" scripts/with-postgres.sh run_pytest_pg "$@" >"$pg_log" 2>&1 &
  pg_pid=$!
  trap 'kill "$pg_pid" 2>/dev/null' INT TERM
  step "pytest on SQLite (a real file under var/), alongside"
  run_pytest SQLite -q "$@"
  sqlite_rc=$?
  wait "$pg_pid"
  pg_rc=$?
  step "pytest on PostgreSQL (the background run's output)"
  cat "$pg_log"
  report_postgresql "$pg_rc"
  pg_rc=$?
  [ "$sqlite_rc" -eq 0 ] || { echo "!! the SQLite run failed" >&2; exit 1; }
  exit "$pg_rc"
fi

step "pytest on SQLite (a real file under var/)"
run_pytest SQLite -q "$@" || exit 1

step "pytest on PostgreSQL"
VAORA_VAR_DIR="$pg_var" scripts/with-postgres.sh run_pytest_pg "$@"
report_postgresql $?
