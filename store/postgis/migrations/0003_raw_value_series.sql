-- Raw values are written and read whole per (year, indicator, level), by
-- imports and publication only, never one by one. One row per value (12.5
-- million rows, 3 GB with its key for the demo) made loading them most of
-- an import; one row per series — an indicator for a group at a level in
-- a year — holding its areas' codes and numbers in arrays, in the same
-- order, loads in seconds and keeps nothing a reader of single values
-- needs: the server cannot read this table at all.
ALTER TABLE wijkkaart.value RENAME TO value_by_area;

CREATE TABLE wijkkaart.value (
    year         integer            NOT NULL,
    indicator    text               NOT NULL,
    level        text               NOT NULL,
    grp          text               NOT NULL,
    -- One element per area, sorted by code; value, numerator and
    -- denominator are NULL where unknown, observations -1 where unknown
    -- (a figure CBS has already disclosure-controlled).
    -- A series' arrays are compressed with lz4, several times faster
    -- than PostgreSQL's default compression at about the same size.
    code         text[]             COMPRESSION lz4 NOT NULL,
    value        double precision[] COMPRESSION lz4 NOT NULL,
    numerator    double precision[] COMPRESSION lz4 NOT NULL,
    denominator  double precision[] COMPRESSION lz4 NOT NULL,
    observations integer[]          COMPRESSION lz4 NOT NULL,
    provenance   text[]             COMPRESSION lz4 NOT NULL,
    PRIMARY KEY (year, indicator, level, grp),
    CONSTRAINT value_series_aligned CHECK (cardinality(value) = cardinality(code) AND cardinality(numerator) = cardinality(code)
           AND cardinality(denominator) = cardinality(code) AND cardinality(observations) = cardinality(code)
           AND cardinality(provenance) = cardinality(code)),
    CONSTRAINT value_observations_known CHECK (-1 <= ALL (observations)),
    CONSTRAINT value_provenance_known CHECK (provenance <@ ARRAY['cbs', 'demo'])
);

INSERT INTO wijkkaart.value (year, indicator, level, grp, code, value, numerator, denominator, observations, provenance)
SELECT year, indicator, level, grp, array_agg(code ORDER BY code), array_agg(value ORDER BY code),
       array_agg(numerator ORDER BY code), array_agg(denominator ORDER BY code),
       array_agg(observations ORDER BY code), array_agg(provenance ORDER BY code)
FROM wijkkaart.value_by_area
GROUP BY year, indicator, level, grp;

DROP TABLE wijkkaart.value_by_area;

-- As before (0002): the server's role may not read raw values.
REVOKE ALL ON wijkkaart.value FROM wijkkaart_reader;
