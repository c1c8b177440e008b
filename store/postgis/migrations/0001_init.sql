-- 0001: boundaries per year and level, the catalogue, values with their
-- counts, and a read-only role for the server.

CREATE EXTENSION IF NOT EXISTS postgis;
CREATE SCHEMA IF NOT EXISTS wijkkaart;

-- The catalogue is copied from the wijkkaart binary by `wijkkaart migrate`
-- and every import, so that values can only name known indicators/groups.
CREATE TABLE wijkkaart.indicator (
    id             text PRIMARY KEY,
    theme          text    NOT NULL,
    unit           text    NOT NULL,
    polarity       text    NOT NULL,
    split_by_group boolean NOT NULL,
    decimals       integer NOT NULL,
    definition     jsonb   NOT NULL   -- the whole catalogue entry, names and explanations
);

CREATE TABLE wijkkaart.herkomstgroep (
    id         text PRIMARY KEY,
    splits     text[] NOT NULL,
    definition jsonb  NOT NULL
);

-- One row per area of a boundary year. Geometry is Web Mercator
-- (EPSG:3857), valid, with exterior rings clockwise, as tiles need it.
-- Nederland has a row per year without geometry, so its values have an area.
CREATE TABLE wijkkaart.area (
    year          integer NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    level         text    NOT NULL CHECK (level IN ('nederland', 'gemeente', 'wijk', 'buurt')),
    code          text    NOT NULL,
    name          text    NOT NULL,
    name_search   text    NOT NULL,   -- name folded for search: lower case, no diacritics
    gemeente_code text,
    gemeente_name text,
    wijk_code     text,
    feature_id    bigint  NOT NULL,
    west          double precision,   -- WGS84 bounding box
    south         double precision,
    east          double precision,
    north         double precision,
    geom          geometry(MultiPolygon, 3857),
    PRIMARY KEY (year, level, code),
    CHECK ((level = 'nederland') = (geom IS NULL))
);
CREATE INDEX area_geom_idx ON wijkkaart.area USING gist (geom);
CREATE INDEX area_gemeente_idx ON wijkkaart.area (year, level, gemeente_code);

-- One row per (year, level, area, indicator, group). Numbers are raw:
-- disclosure control is applied by the server when it publishes them, with
-- its configured threshold, so it can never be bypassed by the data.
--
-- The area, indicator and group of a value must exist. Imports check that
-- for all rows at once, inside their transaction, instead of through
-- foreign keys: row-by-row foreign key checks made loading millions of
-- values take many minutes.
CREATE TABLE wijkkaart.value (
    year         integer NOT NULL,
    level        text    NOT NULL,
    code         text    NOT NULL,
    indicator    text    NOT NULL,
    grp          text    NOT NULL,
    value        double precision,
    numerator    double precision,
    denominator  double precision,
    observations integer NOT NULL CHECK (observations >= -1),   -- -1: unknown (already controlled by CBS)
    status       text    NOT NULL GENERATED ALWAYS AS (CASE WHEN value IS NULL THEN 'no_data' ELSE 'ok' END) STORED,
    provenance   text    NOT NULL CHECK (provenance IN ('cbs', 'demo')),
    PRIMARY KEY (year, level, indicator, grp, code)
);

-- The server connects as a member of wijkkaart_reader, which can only read.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'wijkkaart_reader') THEN
        CREATE ROLE wijkkaart_reader NOLOGIN;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA wijkkaart TO wijkkaart_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA wijkkaart TO wijkkaart_reader;
-- Tables later migrations create are readable too.
ALTER DEFAULT PRIVILEGES IN SCHEMA wijkkaart GRANT SELECT ON TABLES TO wijkkaart_reader;
