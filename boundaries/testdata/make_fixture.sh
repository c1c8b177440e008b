#!/usr/bin/env bash
# make_fixture.sh builds wijkbuurtkaart_2022_utrecht.gpkg: a small GeoPackage in
# the layout of the CBS Wijk- en buurtkaart (layers gemeenten, wijken, buurten in
# EPSG:28992, CBS column names, geometry column geom, land and water parts)
# from the public CBS data in ../shared/data. See README.md next to this script.
#
# Run it from the repository root:
#   boundaries/testdata/make_fixture.sh
# Needs GDAL's ogr2ogr with SpatiaLite SQL (Debian: apt-get install gdal-bin).
# DATA overrides the data directory (default ../shared/data).
set -euo pipefail

DATA=${DATA:-../shared/data}
OUT=boundaries/testdata/wijkbuurtkaart_2022_utrecht.gpkg
MUNI=$DATA/tmap-nld-2022/NLD_muni_2022_gemeenten_rd.geojson
DIST=$DATA/tmap-nld-2022/NLD_dist_2022_wijken_rd.geojson
BUURT=$DATA/powerbi-buurten-2019/cbs_buurt_2019_4cities_wgs84.geojson

# Utrecht and four neighbours: De Bilt, IJsselstein, Nieuwegein, Stichtse Vecht.
GEMEENTEN="'GM0310','GM0344','GM0353','GM0356','GM1904'"

# CBS publishes the water part of an area as a second row with the same code
# and water = 'JA'. The sources here have no water geometry, so the fixture's
# water part is a made-up 100 m x 1.6 km strip on the Amsterdam-Rijnkanaal at
# Bedrijventerrein De Wetering (RD New), added to all three layers.
WATER="GeomFromText('MULTIPOLYGON(((132800 457100,132900 457100,132900 458700,132800 458700,132800 457100)))',28992)"
NODATA=-99999999 # the CBS sentinel for "no figure"

command -v ogr2ogr >/dev/null || { echo "make_fixture.sh: ogr2ogr not found (apt-get install gdal-bin)" >&2; exit 1; }
for f in "$MUNI" "$DIST" "$BUURT"; do
	[[ -f $f ]] || { echo "make_fixture.sh: $f not found (run from the repository root or set DATA)" >&2; exit 1; }
done
rm -f "$OUT"

# layer NAME SOURCE SQL [ogr2ogr options...] creates layer NAME from the rows
# that SQL selects from SOURCE; with -append it adds them to the existing layer.
layer() {
	local name=$1 src=$2 sql=$3
	shift 3
	local opts=(-lco GEOMETRY_NAME=geom -lco FID=fid)
	[[ " $* " == *" -append "* ]] && opts=()
	[[ -f $OUT ]] && opts+=(-update)
	ogr2ogr -f GPKG "${opts[@]}" "$OUT" "$src" -dialect sqlite -sql "$sql" -nln "$name" -nlt MULTIPOLYGON "$@"
}

# Statistics columns as CBS names them, from the KWB 2022 figures in tmap.
STATS="population AS aantal_inwoners, pop_0_14 AS percentage_personen_0_tot_15_jaar,
	dwelling_total AS woningvoorraad, dwelling_value AS gemiddelde_woningwaarde,
	CAST(round(area * 100) AS INTEGER) AS oppervlakte_totaal_in_ha"
NOSTATS="$NODATA AS aantal_inwoners, $NODATA AS percentage_personen_0_tot_15_jaar,
	$NODATA AS woningvoorraad, $NODATA AS gemiddelde_woningwaarde, $NODATA AS oppervlakte_totaal_in_ha"

layer gemeenten "$MUNI" "SELECT code AS gemeentecode, name AS gemeentenaam, 'NEE' AS water, $STATS, geometry AS geom
	FROM NLD_muni_2022_gemeenten_rd WHERE code IN ($GEMEENTEN) ORDER BY code" -a_srs EPSG:28992
layer gemeenten "$MUNI" "SELECT code AS gemeentecode, name AS gemeentenaam, 'JA' AS water, $NOSTATS, $WATER AS geom
	FROM NLD_muni_2022_gemeenten_rd WHERE code = 'GM0344'" -append -a_srs EPSG:28992

layer wijken "$DIST" "SELECT code AS wijkcode, name AS wijknaam, gm_code AS gemeentecode, gm_name AS gemeentenaam,
	'NEE' AS water, $STATS, geometry AS geom
	FROM NLD_dist_2022_wijken_rd WHERE gm_code IN ($GEMEENTEN) ORDER BY code" -a_srs EPSG:28992
layer wijken "$DIST" "SELECT code AS wijkcode, name AS wijknaam, gm_code AS gemeentecode, gm_name AS gemeentenaam,
	'JA' AS water, $NOSTATS, $WATER AS geom
	FROM NLD_dist_2022_wijken_rd WHERE code = 'WK034409'" -append -a_srs EPSG:28992

# Buurten are 2019 boundaries with their 2022 names; the source has no buurt
# statistics, so aantal_inwoners holds the CBS no-data sentinel.
layer buurten "$BUURT" "SELECT statcode AS buurtcode, bu_naam_2022 AS buurtnaam, wk_code AS wijkcode,
	wk_naam_2022 AS wijknaam, gm_code AS gemeentecode, gm_naam_2022 AS gemeentenaam, 'NEE' AS water,
	$NODATA AS aantal_inwoners, geometry AS geom
	FROM cbs_buurt_2019_4cities_wgs84 WHERE gm_code = 'GM0344' ORDER BY statcode" -s_srs EPSG:4326 -t_srs EPSG:28992
layer buurten "$BUURT" "SELECT statcode AS buurtcode, bu_naam_2022 AS buurtnaam, wk_code AS wijkcode,
	wk_naam_2022 AS wijknaam, gm_code AS gemeentecode, gm_naam_2022 AS gemeentenaam, 'JA' AS water,
	$NODATA AS aantal_inwoners, $WATER AS geom
	FROM cbs_buurt_2019_4cities_wgs84 WHERE statcode = 'BU03440911'" -append -a_srs EPSG:28992

ogrinfo -ro -q -dialect sqlite -sql "SELECT 'gemeenten' AS layer, water, count(*) AS n FROM gemeenten GROUP BY water
	UNION ALL SELECT 'wijken', water, count(*) FROM wijken GROUP BY water
	UNION ALL SELECT 'buurten', water, count(*) FROM buurten GROUP BY water" "$OUT" | grep -E '^  (layer|water|n) '
ls -l "$OUT"
