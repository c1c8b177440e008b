#!/usr/bin/env bash
# Makes a PostGIS database for the browser tests against PostGIS: the demo
# boundaries and values of a few gemeenten (Utrecht, Rotterdam,
# 's-Gravenhage, Amersfoort) and Nederland, imported and published the way
# `wijkkaart import` does it for real data. A subset, because the full demo
# takes minutes to import; the stories the e2e suite runs need no more.
#
# Usage: scripts/e2e-postgis.sh BIN ADMIN_URL DATABASE
#   BIN        the wijkkaart binary
#   ADMIN_URL  a role that may create databases, e.g.
#              postgres://postgres:postgres@127.0.0.1:5432/postgres?sslmode=disable
#   DATABASE   the database to (re)create, e.g. wk_e2e
# Prints the new database's URL on stdout.
set -euo pipefail

bin=$1 admin=$2 db=$3
gemeenten=${WIJKKAART_E2E_GEMEENTEN:-0344,0599,0518,0307}

[[ $db =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "e2e-postgis: database name $db is not a plain identifier" >&2; exit 2; }
# The admin URL with its database replaced: postgres://…/postgres?… → …/$db?…
url=$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.href)' "$admin" "$db")

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

psql -q -v ON_ERROR_STOP=1 "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >&2
"$bin" migrate --database-url "$url" >&2

"$bin" demo export --dir "$dir/all" >&2
mkdir -p "$dir/subset"
# The years of the demo data, from its file names (gemeenten_2022.geojson).
years=$(cd "$dir/all" && ls gemeenten_*.geojson | sed 's/^gemeenten_\([0-9]*\)\.geojson$/\1/')
# Values: Nederland and the areas of the chosen gemeenten (codes GMnnnn, WKnnnn…, BUnnnn…).
pattern="^[0-9]+,(NL01|(GM|WK|BU)(${gemeenten//,/|}))"
for year in $years; do
  # Boundaries: the features of the chosen gemeenten.
  for level in gemeenten wijken buurten; do
    node -e '
      const fs = require("node:fs");
      const [src, dst, codes] = process.argv.slice(1);
      const keep = new Set(codes.split(",").map((c) => "GM" + c));
      const fc = JSON.parse(fs.readFileSync(src, "utf8"));
      fc.features = fc.features.filter((f) => keep.has(f.properties.gemeentecode));
      fs.writeFileSync(dst, JSON.stringify(fc));
    ' "$dir/all/${level}_$year.geojson" "$dir/subset/${level}_$year.geojson" "$gemeenten"
  done
  for f in values_$year values_buurten_$year; do
    { head -1 "$dir/all/$f.csv"; grep -E "$pattern" "$dir/all/$f.csv"; } > "$dir/subset/$f.csv"
  done
done
rm -rf "$dir/all"

for year in $years; do
  "$bin" import boundaries --database-url "$url" --level gemeente --year "$year" "$dir/subset/gemeenten_$year.geojson" >&2
  "$bin" import boundaries --database-url "$url" --level wijk --year "$year" "$dir/subset/wijken_$year.geojson" >&2
  "$bin" import boundaries --database-url "$url" --level buurt --year "$year" "$dir/subset/buurten_$year.geojson" >&2
  for f in values_$year values_buurten_$year; do
    "$bin" import values --database-url "$url" "$dir/subset/$f.csv" >&2
  done
done
echo "$url"
