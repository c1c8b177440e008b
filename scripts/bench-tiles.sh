#!/usr/bin/env bash
# The tile benchmark of issue 9: wijkkaart against two references, measured
# by the same load tool (wrk -t2 -c16, gzip accepted) in the same run, on
# loopback. Prints req/s, p50/p99, bytes per tile, the server's RSS and
# the ratios, ending with a Markdown table.
#
#   DATABASE_URL=postgres://owner:…@localhost/wijkkaart scripts/bench-tiles.sh [SECONDS]
#
# DATABASE_URL names a database with the demo imported (wijkkaart migrate;
# wijkkaart import demo) as a role that may create a schema: the script
# (re)creates wijkkaart_bench.tile from scripts/bench/tile-function.sql there,
# and serves wijkkaart with --allow-writable-role through the same role, so
# that both servers connect alike. SECONDS (default 20) is each wrk run.
#
#  1. warm: one cached tile from wijkkaart, then the same bytes and headers
#     from a trivial Go handler (scripts/bench/reference trivial);
#  2. cold: wijkkaart with --tile-cache 0, then the plain ST_AsMVT function
#     behind a minimal Go handler (reference sqltile, no cache), on the same
#     reproducible URL mix (scripts/bench/paths.py … tiles: gemeente, wijk and
#     buurt tiles at z10–z15 over Amsterdam, Rotterdam, Den Haag and Utrecht
#     and at z5–z8 anywhere, random indicator, group and year), and again on
#     its z10–z15 tiles alone, twice (the second time with the shapes of
#     most of their positions cached: a server's steady state). No tile is
#     served from a cache; the areas' shapes are (--shape-cache: they are
#     the same for every indicator, group and year on a boundary year), and
#     the script prints how often.
#     Last, the mix once more on a fresh server with --shape-cache 0 as
#     well: every tile read and clipped from the database.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-20}
: "${DATABASE_URL:?set DATABASE_URL to a database with the demo imported, as its owner}"
port=${BENCH_PORT:-18481}
ref_port=$((port + 10))
base="http://127.0.0.1:$port"
ref_base="http://127.0.0.1:$ref_port"
warm_path="/tiles/wijk/12/2103/1346.mvt?indicator=pct_bijstand&group=marokko"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
for tool in wrk psql curl python3; do
  command -v "$tool" >/dev/null || { echo "bench-tiles: needs $tool" >&2; exit 1; }
done
for b in "$base" "$ref_base"; do
  if curl -s -o /dev/null "$b/"; then echo "bench-tiles: something listens on $b; set BENCH_PORT" >&2; exit 1; fi
done

go build -o "$work/wijkkaart" ./cmd/wijkkaart
go build -o "$work/reference" ./scripts/bench/reference
psql "$DATABASE_URL" -q -v ON_ERROR_STOP=1 -f scripts/bench/tile-function.sql

# wait_for URL PID LOG: polls until URL answers 200, failing if PID dies.
wait_for() {
  until curl -sf -o /dev/null "$1"; do
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; exit 1; }
    sleep 0.05
  done
}

# start_wijkkaart NAME CACHE_MB [FLAGS…]: starts the server with a tile
# cache of CACHE_MB (and FLAGS) and an RSS sampler (every half second, into
# $work/rss.NAME); sets wk_pid.
start_wijkkaart() {
  "$work/wijkkaart" serve --addr "127.0.0.1:$port" --database-url "$DATABASE_URL" --allow-writable-role \
    --tile-cache "$2" "${@:3}" --log-format json >"$work/wijkkaart.$1.log" 2>&1 &
  wk_pid=$!
  pids+=("$wk_pid")
  wait_for "$base/healthz" "$wk_pid" "$work/wijkkaart.$1.log"
  (while kill -0 "$wk_pid" 2>/dev/null; do
    awk '/VmRSS/ {print $2}' "/proc/$wk_pid/status" 2>/dev/null || true
    sleep 0.5
  done) >"$work/rss.$1" &
  pids+=("$!")
}

# stop PID: stops a server started here and waits for it.
stop() {
  kill "$1"
  wait "$1" 2>/dev/null || true
}

# start_reference MODE ARGS…: starts scripts/bench/reference; sets ref_pid.
start_reference() {
  "$work/reference" "$1" --addr "127.0.0.1:$ref_port" "${@:2}" >"$work/reference.$1.log" 2>&1 &
  ref_pid=$!
  pids+=("$ref_pid")
}

# load NAME BASE PATHS: runs wrk on the paths and keeps its result line
# in $work/result.NAME.
load() {
  echo "--- $1"
  PATHS="$3" wrk -t2 -c16 -d"${seconds}s" --timeout 10s --latency -H 'Accept-Encoding: gzip' \
    -s scripts/bench/paths.lua "$2" | tee "$work/wrk.$1" | grep -E '^(result|errors):'
  grep '^result:' "$work/wrk.$1" | sed 's/^result: //' >"$work/result.$1"
}

# field NAME N: a number of a result line ("R req/s, p50 P ms, p99 Q ms, B
# bytes per response, …"): 1 req/s, 2 p50, 3 p99, 4 bytes per response.
field() { awk -v n="$2" '{ split("1 4 7 9", at, " "); print $(at[n]) }' "$work/result.$1"; }

# ratio A B: A/B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# meets LHS OP RHS: "met" or "not met".
meets() { awk -v a="$1" -v b="$3" -v op="$2" 'BEGIN { ok = op == ">=" ? a >= b : op == "<=" ? a <= b : a < b; print ok ? "met" : "not met" }'; }

# rss NAME: the peak sampled RSS of a server run in MB.
rss() { echo $(($(sort -n "$work/rss.$1" | tail -1) / 1024)); }

echo "=== warm: one cached tile, wijkkaart against a trivial Go handler writing the same bytes"
start_wijkkaart warm 64
curl -sf -o /dev/null -H 'Accept-Encoding: gzip' "$base$warm_path"
curl -sf -D "$work/warm.headers" -o "$work/warm.body" -H 'Accept-Encoding: gzip' "$base$warm_path"
grep -qi '^content-encoding: gzip' "$work/warm.headers" || { echo "bench-tiles: the warm tile is not gzip" >&2; exit 1; }
echo "$warm_path" >"$work/warm.paths"
warm_bytes=$(stat -c %s "$work/warm.body")
load warm-wijkkaart "$base" "$work/warm.paths"
start_reference trivial --body "$work/warm.body" --headers "$work/warm.headers"
wait_for "$ref_base$warm_path" "$ref_pid" "$work/reference.trivial.log"
cmp -s "$work/warm.body" <(curl -s -H 'Accept-Encoding: gzip' "$ref_base$warm_path") || { echo "bench-tiles: the trivial handler sends other bytes" >&2; exit 1; }
load warm-trivial "$ref_base" "$work/warm.paths"
stop "$ref_pid"
stop "$wk_pid"

echo "=== cold: tile cache off, wijkkaart against a plain ST_AsMVT function (pgx pool, no cache)"
start_wijkkaart cold 0
python3 scripts/bench/paths.py "$base" 20000 7 tiles >"$work/cold.paths"
awk -F/ '$4 >= 10' "$work/cold.paths" >"$work/city.paths"
start_reference sqltile --database-url "$DATABASE_URL"
wait_for "$ref_base$warm_path" "$ref_pid" "$work/reference.sqltile.log"
echo "--- bytes per tile, first 400 paths of the mix, one at a time"
echo "wijkkaart:  $(python3 scripts/bench/tilesizes.py "$base" "$work/cold.paths" 400 | tee "$work/sizes.wijkkaart")"
echo "ST_AsMVT:   $(python3 scripts/bench/tilesizes.py "$ref_base" "$work/cold.paths" 400 | tee "$work/sizes.sql")"
load cold-wijkkaart "$base" "$work/cold.paths"
load cold-sql "$ref_base" "$work/cold.paths"
load city-wijkkaart "$base" "$work/city.paths"
load city-sql "$ref_base" "$work/city.paths"
# The same tiles again: none of them cached (the tile cache is off), but
# by now the shapes of most of their positions are, as on a server that
# has been in use for a while.
load steady-wijkkaart "$base" "$work/city.paths"
stop "$ref_pid"
metric() { curl -s "$base/metrics" | awk -v m="$1" '$1 == m {printf "%d", $2}'; }
shape_hits=$(metric wijkkaart_shape_cache_hits_total)
shape_misses=$(metric wijkkaart_shape_cache_misses_total)
hwm=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$wk_pid/status")
stop "$wk_pid"

echo "=== cold, no shape cache either: every tile read and clipped from the database"
start_wijkkaart bare 0 --shape-cache 0
load bare-wijkkaart "$base" "$work/cold.paths"
stop "$wk_pid"
fivexx=$(cat "$work"/wijkkaart.*.log | grep -c '"status":5' || true)

sizes() { grep -oE 'mean [0-9]+ B sent \(gzip\) / [0-9]+ B decoded' "$work/sizes.$1" | sed 's/mean //; s/ sent (gzip)//; s/ decoded//'; }
row() { echo "$(field "$1" 1) req/s, p50 $(field "$1" 2) ms, p99 $(field "$1" 3) ms; errors: $(sed -n 's/^errors: //p' "$work/wrk.$1")"; }
# ratios A B: wijkkaart's req/s and p99 as multiples of the reference's.
ratios() { echo "req/s $(ratio "$(field "$1" 1)" "$(field "$2" 1)")×, p99 $(ratio "$(field "$1" 3)" "$(field "$2" 3)")×"; }
warm_rps=$(ratio "$(field warm-wijkkaart 1)" "$(field warm-trivial 1)")
warm_p99=$(ratio "$(field warm-wijkkaart 3)" "$(field warm-trivial 3)")
cold_rps=$(ratio "$(field cold-wijkkaart 1)" "$(field cold-sql 1)")
city_p99=$(field city-wijkkaart 3)
steady_p99=$(field steady-wijkkaart 3)

echo
echo "=== summary (wrk -t2 -c16, ${seconds} s each, gzip accepted; load average before: $load_before)"
echo "| run | wijkkaart | reference, same run | wijkkaart ÷ reference |"
echo "|---|---|---|---|"
echo "| warm: one cached tile ($warm_bytes B gzip) | $(row warm-wijkkaart) | trivial Go handler: $(row warm-trivial) | $(ratios warm-wijkkaart warm-trivial) |"
echo "| cold: the mix (z10–z15 in four cities, z5–z8 anywhere) | $(row cold-wijkkaart) | plain ST_AsMVT function: $(row cold-sql) | $(ratios cold-wijkkaart cold-sql) |"
echo "| cold: its z10–z15 tiles | $(row city-wijkkaart) | plain ST_AsMVT function: $(row city-sql) | $(ratios city-wijkkaart city-sql) |"
echo "| cold: its z10–z15 tiles again, shapes cached | $(row steady-wijkkaart) | plain ST_AsMVT function (above): $(row city-sql) | $(ratios steady-wijkkaart city-sql) |"
echo "| cold, no shape cache: the mix | $(row bare-wijkkaart) | plain ST_AsMVT function (above): $(row cold-sql) | $(ratios bare-wijkkaart cold-sql) |"
echo "| shape cache in the cold runs above | $shape_hits tiles made from cached shapes, $shape_misses read and clipped | | |"
echo "| bytes per tile (400 tiles of the mix, gzip / decoded) | $(sizes wijkkaart) | $(sizes sql) | |"
echo "| wijkkaart RSS peak (sampled every 0.5 s) | warm $(rss warm) MB, cold $(rss cold) MB (high-water $hwm MB), no shape cache $(rss bare) MB | | |"
echo "| wijkkaart 5xx answers | $fivexx | | |"
echo
echo "targets (issue 9): warm ≥ 0.75× the trivial handler's req/s: $(meets "$warm_rps" ">=" 0.75) ($warm_rps);" \
  "warm p99 ≤ 2× its p99: $(meets "$warm_p99" "<=" 2) ($warm_p99);" \
  "cold ≥ 2× the ST_AsMVT function's req/s: $(meets "$cold_rps" ">=" 2) ($cold_rps);" \
  "cold p99 < 50 ms at z10–z15: first pass $(meets "$city_p99" "<" 50) ($city_p99 ms), shapes cached $(meets "$steady_p99" "<" 50) ($steady_p99 ms)"
