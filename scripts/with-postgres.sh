#!/usr/bin/env bash
# Starts a throwaway PostgreSQL (>= 15) cluster on a free loopback port, runs the test suite
# against it, and removes it. Installs PostgreSQL with apt-get when it is missing and we are root
# on Debian. Exit code 77 means "PostgreSQL cannot be had here" (the caller reports a skip).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}

find_pg_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
    local version
    version=$(basename "$(dirname "$dir")")
    if [ "${version%%.*}" -ge 15 ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return 0
  fi
  return 1
}

PG_BIN=$(find_pg_bin)
if [ -z "$PG_BIN" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "PostgreSQL not found: installing it with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  (apt-get update -qq && apt-get install -y -qq postgresql >/dev/null) || true
  PG_BIN=$(find_pg_bin)
fi
if [ -z "$PG_BIN" ]; then
  exit 77
fi

# PostgreSQL refuses to run as root; run the server as the postgres user then.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

workdir=$(mktemp -d /tmp/vaora-pg.XXXXXX)
chmod 755 "$workdir"
[ "$(id -u)" = 0 ] && chown postgres: "$workdir"
port=$("$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cleanup() {
  as_pg "$PG_BIN/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$workdir"
}
trap cleanup EXIT

as_pg "$PG_BIN/initdb" -D "$workdir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null \
  || { echo "initdb failed" >&2; exit 1; }
as_pg "$PG_BIN/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
  -o "-p $port -k $workdir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off ${PG_OPTIONS:-}" \
  start >/dev/null || { cat "$workdir/server.log" >&2; exit 1; }
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/vaora"
if [ "${1:-}" = "run_pytest_pg" ]; then
  shift
  "$BIN/pytest" -q "$@"
  rc=$?
  if [ $rc -eq 5 ]; then
    echo "!! pytest collected no tests on PostgreSQL: treating as failure" >&2
    rc=1
  fi
  exit $rc
fi
"$@"
