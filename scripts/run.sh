#!/usr/bin/env bash
# Serves vaora with demo data: migrate, load places and demo data when the database is empty,
# print the demo logins, then serve on $HOST:$PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
# In development, posters, "/c/" addresses and activation links point where this server
# listens (make run PORT=8301), unless VAORA_PUBLIC_URL says otherwise.
if [ "${VAORA_DEBUG:-0}" = "1" ] && [ -z "${VAORA_PUBLIC_URL:-}" ]; then
  case "${HOST:-127.0.0.1}" in 0.0.0.0|::) shown=127.0.0.1 ;; *) shown=${HOST:-127.0.0.1} ;; esac
  export VAORA_PUBLIC_URL="http://${shown}:${PORT:-8000}"
fi
"$BIN/vaora" migrate --no-input -v 0
"$BIN/vaora" load_places
# A first run gets three weeks of visits too, so the oversight pages have something to show.
"$BIN/vaora" demo --if-empty --visits 40000
"$BIN/vaora" rollup
# The background worker (SMS delivery, large imports, rollups, digests, purge) is its own
# process beside the web server, as in production; it stops with it.
"$BIN/vaora" worker >var/worker.log 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT
echo
echo "vaora is serving on http://${HOST:-127.0.0.1}:${PORT:-8000}/  (Ctrl+C to stop)"
echo "background worker: pid $worker, log in var/worker.log"
# The ASGI application: Django plus the fast check-in path (/ingest/v1/...), as in production.
"$BIN/uvicorn" vaora.asgi:application --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}" \
  --loop uvloop --http httptools --log-level warning --no-proxy-headers
