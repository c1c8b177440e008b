#!/usr/bin/env bash
# Load and life-cycle suite (issue 13). Builds and starts wijkkaart on a
# loopback port (embedded demo data, or PostGIS when DATABASE_URL is set and
# names a read-only role), then:
#   1. a realistic mix — cached tiles, TileJSON, styles, catalogue, searches,
#      value downloads — from CONNECTIONS connections for DURATION;
#   2. a paced user's latency on cached tiles, alone and while 20 connections
#      ask for uncached z5–z7 tiles (fairness);
#   3. on PostGIS: the database stopped, then frozen, under load, through a
#      fault proxy (scripts/faultproxy): cached answers keep coming, the rest
#      is a 503 within the request budget, and the server recovers by itself;
#   4. SIGTERM under load: every answered request complete, exit code 0.
# Prints the figures. Needs wrk (apt-get install -y wrk). Only loopback.
#
#   scripts/load.sh                    # 200 connections, 60 s
#   CONNECTIONS=50 DURATION=10s scripts/load.sh
#   DATABASE_URL=postgres://server:…@localhost/wijkkaart scripts/load.sh
set -euo pipefail

CONNECTIONS=${CONNECTIONS:-200}
DURATION=${DURATION:-60s}
THREADS=${THREADS:-2}
PORT=${PORT:-18080}
base=http://127.0.0.1:$PORT

command -v wrk >/dev/null || { echo "load.sh: needs wrk: apt-get install -y wrk" >&2; exit 1; }
cd "$(dirname "$0")/.."
work=$(mktemp -d)
server_pid=
proxy_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid"; fi
  if [ -n "$proxy_pid" ] && kill -0 "$proxy_pid" 2>/dev/null; then kill "$proxy_pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/wijkkaart" ./cmd/wijkkaart

# On PostGIS the server reaches the database through the fault proxy.
if [ -n "${DATABASE_URL:-}" ]; then
  go build -o "$work/faultproxy" ./scripts/faultproxy
  backend=$(python3 -c 'import sys, urllib.parse; u = urllib.parse.urlsplit(sys.argv[1]); print((u.hostname or "127.0.0.1") + ":" + str(u.port or 5432))' "$DATABASE_URL")
  "$work/faultproxy" -listen "127.0.0.1:$((PORT + 1))" -backend "$backend" -control "127.0.0.1:$((PORT + 2))" 2>"$work/proxy.log" &
  proxy_pid=$!
  DATABASE_URL=$(python3 -c 'import sys, urllib.parse; u = urllib.parse.urlsplit(sys.argv[1]); n = u.netloc.rsplit("@", 1); print(urllib.parse.urlunsplit(u._replace(netloc=(n[0] + "@" if len(n) == 2 else "") + sys.argv[2])))' "$DATABASE_URL" "127.0.0.1:$((PORT + 1))")
  export DATABASE_URL
  sleep 0.5
fi
# database STATE sets the fault proxy's state: up, stopped or frozen.
database() { curl -fsS -X PUT --data "$1" "http://127.0.0.1:$((PORT + 2))/state" >/dev/null; }
# probe PATH prints the status and seconds of one request.
probe() { curl -s --compressed -o /dev/null -w '%{http_code} in %{time_total} s' "$base$1"; }

start_server() {
  "$work/wijkkaart" serve --addr "127.0.0.1:$PORT" --log-format json "$@" >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do
    if curl -fsS "$base/readyz" >/dev/null 2>&1; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "load.sh: server not ready" >&2
  exit 1
}

# A wrk script that walks a list of paths and counts non-2xx answers.
write_mix() { # file path...
  local file=$1; shift
  {
    echo 'local paths = {'
    for p in "$@"; do echo "  \"$p\","; done
    echo '}'
    cat <<'LUA'
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], {["Accept-Encoding"] = "gzip"})
end
done = function(summary, latency)
  io.write(string.format("  requests %d, socket errors (connect/read/write/timeout) %d/%d/%d/%d, non-2xx %d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status))
  io.write(string.format("  latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
LUA
  } >"$file"
}

start_server
echo "server ready on $base (serving published data: nothing left to prepare)"

# Utrecht at z10–z12: after the warm-up these are cached tiles.
cached=()
for t in 10/525/336 10/526/336 10/525/337 10/526/337 11/1052/673 11/1053/673 12/2106/1347 12/2105/1347; do
  cached+=("/tiles/wijk/$t.mvt?indicator=pct_bijstand&group=marokko")
done
mix=("${cached[@]}"
  "/tiles/wijk.json?indicator=pct_bijstand&group=marokko"
  "/styles/wijk.json?indicator=pct_bijstand&group=marokko&gemeente=GM0344"
  "/api/indicators" "/api/groups" "/api/areas?q=utrecht" "/api/areas?q=bosch&level=gemeente"
  "/api/values?level=wijk&indicator=pct_bijstand&gemeente=GM0344"
  "/api/legend?level=wijk&indicator=pct_bijstand&gemeente=GM0363")
for p in "${mix[@]}"; do curl -fsS -o /dev/null "$base$p"; done

write_mix "$work/mix.lua" "${mix[@]}"
echo "1. mix: $CONNECTIONS connections for $DURATION"
wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --timeout 15s -s "$work/mix.lua" "$base" | sed -n '/Requests\/sec/p;/requests /p;/latency p50/p'
sleep 1.5 # the server writes its access log every second
echo "   5xx answers logged by the server: $(grep -c '"status":5' "$work/server.log" || true)"

# Uncached z5–z7 tiles: every indicator and group of the catalogue on 12
# tiles at two levels — tens of thousands of selections, more than the 20
# connections get rendered in the run, so that every request renders.
mapfile -t uncached < <(python3 - "$base" <<'PY'
import json, sys, urllib.request
base = sys.argv[1]
indicators = json.load(urllib.request.urlopen(base + "/api/indicators"))["indicators"]
groups = [g["id"] for g in json.load(urllib.request.urlopen(base + "/api/groups"))["groups"]]
tiles = "5/16/10 5/16/11 6/32/21 6/33/21 7/64/42 7/65/42 7/66/42 7/67/42 7/64/43 7/65/43 7/66/43 7/67/43".split()
for ind in indicators:
    for group in (groups if ind["split_by_group"] else ["totaal"]):
        for level in ("wijk", "gemeente"):
            for t in tiles:
                print(f"/tiles/{level}/{t}.mvt?indicator={ind['id']}&group={group}")
PY
)
write_mix "$work/uncached.lua" "${uncached[@]}"
write_mix "$work/cached.lua" "${cached[@]}"
# A user on cached tiles: one request every 50 ms, as a map does when
# panning, asking for gzip as browsers do, timed by curl; prints p50, p99
# and max in ms.
paced_user() { # count
  for i in $(seq 1 "$1"); do
    curl -s --compressed -o /dev/null -w '%{time_total}\n' "$base${cached[$((i % ${#cached[@]}))]}"
    sleep 0.05
  done | sort -n | awk '{t[NR] = $1 * 1000} END {printf "p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d requests)\n", t[int(NR * 0.5)], t[int(NR * 0.99)], t[NR], NR}'
}
echo "2. fairness: a user on cached tiles, alone and while 20 connections ask for uncached z5–z7 tiles"
echo "   alone:                 $(paced_user 200)"
wrk -t 1 -c 20 -d 25s --timeout 30s -s "$work/uncached.lua" "$base" >"$work/uncached.out" &
hog=$!
sleep 2
echo "   with the 20 connections: $(paced_user 300)"
wait "$hog"
echo "   the 20 connections on uncached tiles:"
sed -n '/latency p50/p;/requests /p' "$work/uncached.out"
echo "   (non-2xx here are 503 + Retry-After from the limiter: the queue for expensive work was full)"

if [ -n "$proxy_pid" ]; then
  echo "3. database faults while 50 connections run the mix: stopped for 10 s, up, frozen for 10 s, up"
  wrk -t 1 -c 50 -d 40s --timeout 15s -s "$work/mix.lua" "$base" >"$work/faults.out" &
  load=$!
  uncached_probe() { echo "/tiles/wijk/13/$((4200 + $1))/2702.mvt?indicator=pct_bijstand&group=turkije"; }
  sleep 5
  for fault in stopped frozen; do
    database "$fault"
    sleep 1
    echo "   $fault: cached tile $(probe "${cached[0]}"); uncached tile $(probe "$(uncached_probe "${#fault}")"); /readyz $(probe /readyz)"
    sleep 9
    database up
    t0=$(date +%s.%N)
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base$(uncached_probe $((${#fault} + 10)))")" = 200 ]; do sleep 0.1; done
    echo "   up again: uncached tiles answered after $(echo "$(date +%s.%N) - $t0" | bc) s; /readyz $(probe /readyz)"
    sleep 5
  done
  wait "$load" || true
  echo "   the 50 connections (non-2xx are 503 + Retry-After for answers that need the database):"
  sed -n '/requests /p;/latency p50/p' "$work/faults.out"
  sleep 1.5 # the server writes its access log every second
  echo "   500 answers logged by the server: $(grep -c '"status":500' "$work/server.log" || true)"
fi

echo "4. SIGTERM under load"
wrk -t 1 -c 50 -d 10s --timeout 30s -s "$work/mix.lua" "$base" >"$work/term.out" &
load=$!
sleep 3
kill -TERM "$server_pid"
set +e
wait "$server_pid"
code=$?
set -e
server_pid=
wait "$load" || true
echo "   exit code $code; $(grep -o '"msg":"[^"]*"' "$work/server.log" | grep -E 'shutting down|all requests answered|store closed' | tr '\n' ' ')"
echo "   wrk during shutdown (socket errors come after the listener closed: refused connections, and"
echo "   keep-alive connections closed while idle; no request in flight is cut):"
sed -n '/requests /p' "$work/term.out"
