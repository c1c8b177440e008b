-- 0002: publish once, serve thin. Disclosure control runs when data is
-- published (`wijkkaart publish`, and every import for what it changed) and
-- writes its result here. The server's role reads these tables and the
-- boundaries, never the raw values.

-- How each (year, indicator) was last published: with which rule.
CREATE TABLE wijkkaart.publication (
    year             integer     NOT NULL,
    indicator        text        NOT NULL,
    min_observations integer     NOT NULL CHECK (min_observations >= 1),
    count_rounding   integer     NOT NULL CHECK (count_rounding >= 1),
    published_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (year, indicator)
);

-- One row per raw value, as it may leave the server: numbers only when the
-- status is ok, counts rounded, values computed from the rounded counts.
CREATE TABLE wijkkaart.published_value (
    year        integer NOT NULL,
    level       text    NOT NULL,
    code        text    NOT NULL,
    indicator   text    NOT NULL,
    grp         text    NOT NULL,
    status      text    NOT NULL CHECK (status IN ('ok', 'suppressed', 'no_data', 'no_residents')),
    value       double precision,
    numerator   double precision,
    denominator double precision,
    provenance  text    NOT NULL CHECK (provenance IN ('cbs', 'demo')),
    -- Indicator before level: a publication writes one (year, indicator)
    -- at a time, so its rows land together in the index; every read names
    -- all five columns but code, which it joins on.
    PRIMARY KEY (year, indicator, level, grp, code),
    CHECK (status = 'ok' OR (value IS NULL AND numerator IS NULL AND denominator IS NULL))
);

-- Raw values are read and replaced per (year, indicator) and level, by
-- imports and publication only: key them that way, so that an import's
-- rows land together in the index instead of all over it.
-- Their status is decided by publication now, not by the raw row.
ALTER TABLE wijkkaart.value DROP COLUMN status;
ALTER TABLE wijkkaart.value DROP CONSTRAINT value_pkey, ADD PRIMARY KEY (year, indicator, level, grp, code);

-- The version of the published data. Every publication and boundary import
-- raises it in its transaction; servers key their caches by it.
CREATE TABLE wijkkaart.data_version (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version   bigint  NOT NULL
);
INSERT INTO wijkkaart.data_version (version) VALUES (1);

-- The server's role reads published numbers only: nothing it runs, by bug
-- or by injection, can reach a raw value. Later tables are granted one by
-- one, not by default.
REVOKE ALL ON wijkkaart.value FROM wijkkaart_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA wijkkaart REVOKE SELECT ON TABLES FROM wijkkaart_reader;
GRANT SELECT ON wijkkaart.publication, wijkkaart.published_value, wijkkaart.data_version TO wijkkaart_reader;
