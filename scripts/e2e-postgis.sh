#!/usr/bin/env bash
# Makes a PostGIS database for the browser tests against PostGIS: the demo
# boundaries and values of a few gemeenten (Utrecht, Rotterdam,
# 's-Gravenhage, Amersfoort, and Amsterdam and Weesp, which merged) and
# Nederland, of every year, imported and published the way
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
gemeenten=${WIJKKAART_E2E_GEMEENTEN:-0344,0599,0518,0307,0363,0457}

[[ $db =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "e2e-postgis: database name $db is not a plain identifier" >&2; exit 2; }
# The admin URL with its database replaced: postgres://…/postgres?… → …/$db?…
url=$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.href)' "$admin" "$db")

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

psql -q -v ON_ERROR_STOP=1 "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >&2
"$bin" migrate --database-url "$url" >&2

"$bin" demo export --dir "$dir/all" >&2
mkdir -p "$dir/subset"
# Boundaries: every boundary file ({level}_{boundary year}.geojson), with
# the features of the chosen gemeenten.
for f in "$dir"/all/*.geojson; do
  node -e '
    const fs = require("node:fs");
    const [src, dst, codes] = process.argv.slice(1);
    const keep = new Set(codes.split(",").map((c) => "GM" + c));
    const fc = JSON.parse(fs.readFileSync(src, "utf8"));
    fc.features = fc.features.filter((f) => keep.has(f.properties.gemeentecode));
    fs.writeFileSync(dst, JSON.stringify(fc));
  ' "$f" "$dir/subset/$(basename "$f")" "$gemeenten"
done
# Values: Nederland and the areas of the chosen gemeenten (codes GMnnnn, WKnnnn…, BUnnnn…).
pattern="^[0-9]+,(NL01|(GM|WK|BU)(${gemeenten//,/|}))"
for f in "$dir"/all/values_*.csv; do
  { head -1 "$f"; grep -E "$pattern" "$f"; } > "$dir/subset/$(basename "$f")"
done
rm -rf "$dir/all"

# Boundary years in order, so that each import traces the lineage from the
# year before; then the values of every year, each on the boundary year
# nearest to it.
for f in $(cd "$dir/subset" && ls *.geojson | sort -t_ -k2,2n -k1,1); do
  case $f in
    gemeenten_*) level=gemeente ;;
    wijken_*) level=wijk ;;
    buurten_*) level=buurt ;;
    *) echo "e2e-postgis: unexpected boundary file $f" >&2; exit 1 ;;
  esac
  year=${f##*_}; year=${year%.geojson}
  "$bin" import boundaries --database-url "$url" --level "$level" --year "$year" "$dir/subset/$f" >&2
done
for f in "$dir"/subset/values_*.csv; do
  "$bin" import values --database-url "$url" "$f" >&2
done
echo "$url"
