#!/usr/bin/env bash
# Adds a copy of one year's boundaries and raw values under another year
# and publishes it, in a database with the demo imported: a second year of
# the same size, so that the memory benchmark (bench-serve.sh with YEARS)
# can show that a server's memory does not grow with the years loaded. The
# copied numbers are the demo's, labelled demo as before; use a database
# made for benchmarks.
#
#   scripts/bench/add-year.sh postgres://owner:…@localhost/wk_bench 2022 2023
set -euo pipefail
cd "$(dirname "$0")/../.."

url=${1:?usage: add-year.sh DATABASE_URL FROM_YEAR TO_YEAR}
from=${2:?usage: add-year.sh DATABASE_URL FROM_YEAR TO_YEAR}
to=${3:?usage: add-year.sh DATABASE_URL FROM_YEAR TO_YEAR}

psql "$url" -v ON_ERROR_STOP=1 -q -v from="$from" -v to="$to" <<'SQL'
BEGIN;
DELETE FROM wijkkaart.value WHERE year = :to;
DELETE FROM wijkkaart.area WHERE year = :to;
INSERT INTO wijkkaart.area (year, level, code, name, name_search, gemeente_code, gemeente_name, wijk_code,
                            feature_id, west, south, east, north, geom)
SELECT :to, level, code, name, name_search, gemeente_code, gemeente_name, wijk_code,
       feature_id, west, south, east, north, geom
FROM wijkkaart.area WHERE year = :from;
INSERT INTO wijkkaart.value (year, indicator, level, grp, code, value, numerator, denominator, observations, provenance)
SELECT :to, indicator, level, grp, code, value, numerator, denominator, observations, provenance
FROM wijkkaart.value WHERE year = :from;
COMMIT;
SQL
go run ./cmd/wijkkaart publish --database-url "$url" --year "$to"
