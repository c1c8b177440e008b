package tiles

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/wijkkaart/wijkkaart/geo"
)

// Feature is one area to be clipped to a tile (see Encoder.Shapes).
type Feature struct {
	// ID is the stable numeric feature id.
	ID uint64
	// Geometry is in world coordinates, oriented with geo.OrientForTiles.
	Geometry orb.MultiPolygon
}

// Encoder turns layers of world-coordinate features into vector tiles.
type Encoder struct {
	// Extent is the size of the tile's integer grid.
	Extent uint32
	// Buffer is how far, in grid units, geometry extends past the tile
	// edge, so that outlines do not show seams.
	Buffer uint32
	// Tolerance is the Douglas-Peucker simplification tolerance in grid
	// units, applied to each feature in each tile. At 4096 units on a
	// 512-pixel tile, 1 unit is 1/8 pixel. It is 0 for features whose
	// geometry the store already simplified for the tile's zoom (see
	// store.Store's Choropleth): simplifying neighbours again, each on its
	// own, would open slivers between them.
	Tolerance float64
}

// DefaultEncoder is the encoder wijkkaart serves with: geometry comes
// simplified for the zoom, and is only snapped to the grid and, where
// snapping makes a polygon invalid, simplified there.
func DefaultEncoder() Encoder {
	return Encoder{Extent: 4096, Buffer: 64}
}

// Stats says what encoding a tile found worth knowing.
type Stats struct {
	// InvalidPolygons counts polygons that could not be made valid on
	// the tile grid (see geo.TileGeometry). They are encoded as they are:
	// renderers draw them, but strict validators will complain.
	InvalidPolygons int
}

// Bound returns the bound, in world coordinates, of tile t with the
// encoder's buffer around it: the features Encode needs are those whose
// bounds intersect it.
func (e Encoder) Bound(t maptile.Tile) orb.Bound {
	buf, ext := float64(e.Buffer), float64(e.Extent)
	return geo.NewTileTransform(uint32(t.Z), t.X, t.Y, e.Extent).WorldBound(-buf, ext+buf)
}

// Shapes clips features with world-coordinate geometry to tile t (see
// geo.TileGeometry) and encodes what is left of each as MVT geometry;
// Encoder.Marshal writes them with each choropleth's properties.
func (e Encoder) Shapes(t maptile.Tile, features []Feature) (Shapes, error) {
	tr := geo.NewTileTransform(uint32(t.Z), t.X, t.Y, e.Extent)
	buf, ext := float64(e.Buffer), float64(e.Extent)
	var stats Stats
	ids := make([]uint64, 0, len(features))
	clipped := &mvt.Layer{Name: "shapes", Version: 2, Extent: e.Extent}
	for _, f := range features {
		g, invalid := geo.TileGeometry(f.Geometry, tr, ext, buf, e.Tolerance)
		stats.InvalidPolygons += invalid
		if g != nil {
			ids = append(ids, f.ID)
			clipped.Features = append(clipped.Features, geojson.NewFeature(geometry(g)))
		}
	}
	// orb's encoder writes the geometry commands (zigzag deltas, MoveTo,
	// LineTo, ClosePath); a feature with geometry is never skipped, so
	// its features line up with ids.
	vt, err := mvt.MarshalToVectorTile(mvt.Layers{clipped})
	if err != nil {
		return Shapes{}, fmt.Errorf("encode shapes: %w", err)
	}
	out := Shapes{ByID: make(map[uint64]Shape, len(ids)), Stats: stats}
	for i, f := range vt.Layers[0].Features {
		out.ByID[ids[i]] = newShape(f.GetType(), f.Geometry)
	}
	return out, nil
}

// geometry returns a single polygon as a Polygon, so the tile says what
// the area is.
func geometry(mp orb.MultiPolygon) orb.Geometry {
	if len(mp) == 1 {
		return mp[0]
	}
	return mp
}
