-- 0005: change over time. A value year need not have its own boundary
-- file: its values of a level are on the areas of one boundary year of
-- that level (the nearest, see store.NearestBoundaryYear), fixed when they
-- are imported. And what became of every area between consecutive
-- boundary years of its level, which says whether a series or a change
-- map compares the same area.

CREATE TABLE wijkkaart.boundary_year (
    level         text    NOT NULL CHECK (level IN ('nederland', 'gemeente', 'wijk', 'buurt')),
    year          integer NOT NULL,   -- the value year
    boundary_year integer NOT NULL,   -- the year of the areas its values are on
    PRIMARY KEY (level, year)
);

-- Values imported so far are on the areas of their own year.
INSERT INTO wijkkaart.boundary_year (level, year, boundary_year)
SELECT DISTINCT level, year, year FROM wijkkaart.value;

CREATE TABLE wijkkaart.lineage (
    level      text    NOT NULL,
    from_year  integer NOT NULL,
    to_year    integer NOT NULL CHECK (to_year > from_year),
    code       text    NOT NULL,
    relation   text    NOT NULL CHECK (relation IN ('same', 'renamed', 'merged', 'split', 'redrawn', 'gone')),
    -- [{"code": …, "share": …, "covers": …}, …], largest share first
    successors jsonb   NOT NULL,
    PRIMARY KEY (level, from_year, code),
    FOREIGN KEY (from_year, level, code) REFERENCES wijkkaart.area ON DELETE CASCADE
);

-- Tables are granted to the server's role one by one (see 0002).
GRANT SELECT ON wijkkaart.boundary_year, wijkkaart.lineage TO wijkkaart_reader;
