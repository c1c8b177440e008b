package web

import (
	"context"
	"fmt"

	"github.com/paulmach/orb/maptile"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/tiles"
)

// shapeKey names the areas of one level in one tile: the same for every
// indicator, group and value year whose values are on the same boundary
// year.
type shapeKey struct {
	version      store.Version
	level        catalog.Level
	boundaryYear int
	tile         maptile.Tile
}

// tileAreas are the areas of one level in one tile, without geometry, and
// their shapes there: what every choropleth of the level in the tile
// shares, kept in the shape cache.
type tileAreas struct {
	areas []store.Area
	// codes are the areas' codes, which every tile made from them asks
	// the values of.
	codes  []string
	shapes tiles.Shapes
}

// size is what the shape cache counts of t against its bound.
func (t tileAreas) size() int64 {
	const perArea = 176 // the struct, its strings and its code, about
	return t.shapes.Size() + perArea*int64(len(t.areas))
}

// levelChoropleth returns the data of one level in tile t and the shapes
// of its areas there. The areas and shapes come from the shape cache when
// another choropleth of the same areas made them, and only the values are
// read: reading, decoding and clipping geometry is most of what an
// uncached tile costs, and it is the same for every indicator and group.
// Otherwise the data is read with geometry and the shapes made from it,
// once for all requests that wait for them.
func (s *Server) levelChoropleth(ctx context.Context, sel selection, q store.ValueQuery, t maptile.Tile) (store.Choropleth, tiles.Shapes, error) {
	tq := store.TileQuery{ValueQuery: q, Within: s.encoder.Bound(t), Zoom: int(t.Z)}
	key := shapeKey{version: sel.data.version, level: q.Level, boundaryYear: q.Year, tile: t}
	if by, ok := sel.data.boundaryYear(q.Level, q.Year); ok {
		key.boundaryYear = by
	}
	// made is the data the areas were read with when this request's
	// function read them. Get returns its result only after the function
	// returned, so reading made then is safe; when Get returns early (the
	// request ended) it is not read.
	var made *store.Choropleth
	cached, err := s.shapes.Get(ctx, key, func(ctx context.Context) (tileAreas, error) {
		data, areas, err := s.shapedChoropleth(ctx, tq, t)
		if err != nil {
			return tileAreas{}, err
		}
		made = &data
		if data.Version != key.version && len(data.Areas) > 0 {
			return areas, fmt.Errorf("areas read from data version %d, not %d: %w", data.Version, key.version, tiles.ErrNotCacheable)
		}
		return areas, nil
	})
	if err != nil {
		return store.Choropleth{}, tiles.Shapes{}, err
	}
	if made != nil {
		return *made, cached.shapes, nil
	}
	q.Codes = cached.codes
	data, err := s.cfg.Store.TileValues(ctx, q)
	if err != nil {
		return store.Choropleth{}, tiles.Shapes{}, err
	}
	if data.Version == key.version || len(cached.areas) == 0 {
		data.Areas = cached.areas
		return data, cached.shapes, nil
	}
	// A publication came in after the areas were read: they may differ
	// now, so they are read again with the values.
	data, areas, err := s.shapedChoropleth(ctx, tq, t)
	return data, areas.shapes, err
}

// shapedChoropleth reads the data of a tile with geometry and makes the
// areas' shapes in the tile.
func (s *Server) shapedChoropleth(ctx context.Context, tq store.TileQuery, t maptile.Tile) (store.Choropleth, tileAreas, error) {
	data, err := s.cfg.Store.Choropleth(ctx, tq)
	if err != nil {
		return store.Choropleth{}, tileAreas{}, err
	}
	features := make([]tiles.Feature, len(data.Areas))
	areas := make([]store.Area, len(data.Areas))
	codes := make([]string, len(data.Areas))
	for i, a := range data.Areas {
		features[i] = tiles.Feature{ID: a.ID, Geometry: a.Geometry}
		areas[i] = a
		areas[i].Geometry = nil
		codes[i] = a.Code
	}
	shapes, err := s.encoder.Shapes(t, features)
	if err != nil {
		return store.Choropleth{}, tileAreas{}, err
	}
	if n := shapes.Stats.InvalidPolygons; n > 0 {
		s.cfg.Logger.WarnContext(ctx, "tile has polygons that are not valid on the tile grid",
			"tile", fmt.Sprintf("%s/%d/%d/%d", tq.Level, t.Z, t.X, t.Y), "polygons", n)
	}
	return data, tileAreas{areas: areas, codes: codes, shapes: shapes}, nil
}
