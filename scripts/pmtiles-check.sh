#!/usr/bin/env bash
# Opens a PMTiles archive written by `wijkkaart export` in MapLibre GL JS
# through the `pmtiles` protocol (npm pmtiles), in headless Chromium, and
# checks that features of a layer render. Without an archive it exports
# Utrecht's buurten (pct_bijstand, marokko, z10–z14) from the embedded demo
# data first. Installs maplibre-gl, pmtiles and playwright-core into a
# temporary directory (not into web/client). Needs Node 20 and Debian's
# chromium (CHROMIUM to override).
#
#   scripts/pmtiles-check.sh [ARCHIVE.pmtiles [LAYER]]
set -euo pipefail

cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
archive=${1:-}
layer=${2:-pct_bijstand.marokko}
if [ -z "$archive" ]; then
  archive=$work/utrecht.pmtiles
  go run ./cmd/wijkkaart export --indicator pct_bijstand --group marokko --level buurt \
    --gemeente GM0344 --minzoom 10 --maxzoom 14 --out "$archive"
fi
cp scripts/pmtiles-check/index.html scripts/pmtiles-check/check.mjs "$work/"
(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund \
  maplibre-gl@5 pmtiles@4 playwright-core@1 >/dev/null)
(cd "$work" && node check.mjs "$(realpath "$archive")" "$layer")
