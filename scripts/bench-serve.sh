#!/usr/bin/env bash
# Starts a server on the embedded demo or on PostGIS, runs a mixed load on
# it with wrk and prints req/s, p50/p99, the peak RSS and the time to the
# first tile. Only loopback is used.
#
#   scripts/bench-serve.sh embedded [SECONDS]
#   DATABASE_URL=postgres://server:…@localhost/wijkkaart scripts/bench-serve.sh postgis [SECONDS]
#   YEARS=2022,2023 DATABASE_URL=… scripts/bench-serve.sh postgis [SECONDS]
#
# With YEARS, the load asks for those years at random (see
# scripts/bench/add-year.sh for a second year of the demo's size).
# The embedded run starts the server twice: the first start publishes the
# demo into an empty cache directory, the second reads it from there.
set -euo pipefail
cd "$(dirname "$0")/.."

store=${1:?usage: bench-serve.sh embedded|postgis [SECONDS]}
seconds=${2:-60}
port=${BENCH_PORT:-18480}
base="http://127.0.0.1:$port"
work=$(mktemp -d)
pid=
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
command -v wrk >/dev/null || { echo "bench-serve: needs wrk (apt-get install wrk)" >&2; exit 1; }

go build -o "$work/wijkkaart" ./cmd/wijkkaart
args=(serve --addr "127.0.0.1:$port" --log-format json)
case "$store" in
  embedded) args+=(--cache-dir "$work/cache" --database-url "") ;;
  postgis) : "${DATABASE_URL:?set DATABASE_URL to the database with the demo imported}" ;;
  *) echo "bench-serve: store must be embedded or postgis" >&2; exit 2 ;;
esac
first_tile="/tiles/wijk/10/525/336.mvt?indicator=pct_bijstand&group=marokko"
if curl -s -o /dev/null "$base/healthz"; then
  echo "bench-serve: something already listens on $base; set BENCH_PORT" >&2
  exit 1
fi

# start launches the server and prints the seconds until it answers a
# tile; it sets pid.
start() {
  local what=$1 t0 t1
  t0=$(date +%s.%N)
  "$work/wijkkaart" "${args[@]}" >"$work/server.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "$base$first_tile"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.05
  done
  t1=$(date +%s.%N)
  echo "$what: first tile after $(echo "$t1 - $t0" | bc) s"
}

if [ "$store" = embedded ]; then
  start "first start (publishes the demo)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
fi
start "start"

python3 scripts/bench/paths.py "$base" 20000 7 >"$work/paths"
(
  while kill -0 "$pid" 2>/dev/null; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    echo "$rss"
    sleep 0.5
  done
) >"$work/rss" &
sampler=$!
PATHS="$work/paths" wrk -t2 -c16 -d"${seconds}s" --timeout 10s --latency -s scripts/bench/paths.lua "$base" | tee "$work/wrk"
kill "$sampler" 2>/dev/null || true
peak=$(sort -n "$work/rss" | tail -1)
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
echo "RSS: peak sampled $((peak / 1024)) MB, high-water mark $((hwm / 1024)) MB"
sleep 1.5 # the server writes its access log every second
echo "answers: $(grep -c '"status":200' "$work/server.log" || true) with 200, $(grep -c '"status":5' "$work/server.log" || true) with 5xx"
