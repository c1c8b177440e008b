-- The reference the cold benchmark compares wijkkaart with: one plain SQL
-- function that makes a choropleth tile with ST_AsMVT over the same tables,
-- as pg_tileserv and Martin serve "function layers". It lives in a schema
-- of its own so that the application's migrations never see it; run by
-- scripts/bench-tiles.sh with the owner's role (idempotent).
--
-- It answers what a wijkkaart tile holds: the areas of one level whose
-- geometry touches the tile plus wijkkaart's buffer (64 of 4096), on the
-- boundary year the level's values of p_year are on (wijkkaart.boundary_year,
-- as wijkkaart reads it), each with the published value of the indicator
-- and group (absent numbers are absent keys: ST_AsMVT leaves NULLs out)
-- and the Nederland value.
-- Unlike wijkkaart it does not simplify, snap or validate geometry beyond
-- what ST_AsMVTGeom does, and knows no "auto" level.
CREATE SCHEMA IF NOT EXISTS wijkkaart_bench;

CREATE OR REPLACE FUNCTION wijkkaart_bench.tile(
    z integer, x integer, y integer,
    p_indicator text, p_group text, p_level text, p_year integer)
RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    WITH bounds AS (
        SELECT ST_TileEnvelope(z, x, y) AS tile,
               ST_TileEnvelope(z, x, y, margin => 64.0 / 4096) AS buffered,
               coalesce((SELECT boundary_year FROM wijkkaart.boundary_year
                         WHERE level = p_level AND year = p_year), p_year) AS boundary_year
    ),
    nl AS (
        SELECT value FROM wijkkaart.published_value
        WHERE year = p_year AND indicator = p_indicator AND level = 'nederland'
          AND grp = p_group AND code = 'NL01'
    ),
    features AS (
        SELECT a.feature_id, a.level, a.code, a.name, a.gemeente_code, a.gemeente_name,
               coalesce(v.status, 'no_data') AS status, v.provenance,
               v.value, v.numerator, v.denominator, (SELECT value FROM nl) AS nl_value,
               ST_AsMVTGeom(a.geom, b.tile, 4096, 64, true) AS geom
        FROM wijkkaart.area AS a
        CROSS JOIN bounds AS b
        LEFT JOIN wijkkaart.published_value AS v
               ON v.year = p_year AND v.indicator = p_indicator AND v.level = a.level
              AND v.grp = p_group AND v.code = a.code
        WHERE a.year = b.boundary_year AND a.level = p_level AND a.geom && b.buffered
    )
    SELECT coalesce(ST_AsMVT(features, p_level, 4096, 'geom', 'feature_id'), '')
    FROM features
    WHERE geom IS NOT NULL
$$;
