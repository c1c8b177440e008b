-- 0004: boundaries simplified per zoom band, computed once at boundary
-- import (in Go, with geo.Coverage, so that neighbours keep sharing their
-- borders) instead of per tile. A tile of zoom z reads the band
-- geo.BandOf(z); the last band, the geometry as imported, is
-- wijkkaart.area.geom and has no rows here. Boundaries imported before
-- this migration have no rows either and are served unsimplified until
-- they are imported again.
CREATE TABLE wijkkaart.area_geom (
    year  integer  NOT NULL,
    level text     NOT NULL,
    code  text     NOT NULL,
    band  smallint NOT NULL CHECK (band >= 0),
    -- Web Mercator like area.geom; empty where nothing of the area is
    -- left at the band's zooms.
    geom  geometry(MultiPolygon, 3857) NOT NULL,
    PRIMARY KEY (year, level, band, code),
    FOREIGN KEY (year, level, code) REFERENCES wijkkaart.area ON DELETE CASCADE
);

-- Tables are granted to the server's role one by one (see 0002).
GRANT SELECT ON wijkkaart.area_geom TO wijkkaart_reader;
