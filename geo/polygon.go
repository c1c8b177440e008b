package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip/smartclip"
	"github.com/paulmach/orb/simplify"
)

// SignedArea returns the shoelace area of a ring: positive when the ring
// turns counter-clockwise in a y-up plane, which is clockwise on screen in
// the y-down planes of world and tile coordinates.
func SignedArea(r orb.Ring) float64 {
	var sum float64
	for i := 0; i+1 < len(r); i++ {
		sum += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	if n := len(r); n > 0 && r[0] != r[n-1] {
		sum += r[n-1][0]*r[0][1] - r[0][0]*r[n-1][1]
	}
	return sum / 2
}

// OrientForTiles orients every ring in place as the vector tile
// specification (section 4.3.4.4) wants it in y-down coordinates: exterior
// rings with positive area (clockwise on screen), holes with negative area.
// Boundary files follow other conventions (RFC 7946 has exterior rings
// counter-clockwise in y-up longitude/latitude), so areas are oriented once
// after projection.
func OrientForTiles(mp orb.MultiPolygon) {
	for _, poly := range mp {
		for i, ring := range poly {
			a := SignedArea(ring)
			if (i == 0 && a < 0) || (i > 0 && a > 0) {
				ring.Reverse()
			}
		}
	}
}

// TileTransform maps world coordinates to the integer grid of one tile.
type TileTransform struct {
	scale      float64
	minX, minY float64
}

// NewTileTransform returns the transform to tile z/x/y with the given
// extent (4096 for vector tiles).
func NewTileTransform(z, x, y uint32, extent uint32) TileTransform {
	n := float64(uint64(1) << z)
	return TileTransform{
		scale: n * float64(extent),
		minX:  float64(x) / n,
		minY:  float64(y) / n,
	}
}

// Apply maps one world point into tile coordinates, unrounded.
func (t TileTransform) Apply(p orb.Point) orb.Point {
	return orb.Point{(p[0] - t.minX) * t.scale, (p[1] - t.minY) * t.scale}
}

// WorldBound returns the world-coordinate bound of the tile grid area
// [lo, hi] × [lo, hi], e.g. [-buffer, extent+buffer].
func (t TileTransform) WorldBound(lo, hi float64) orb.Bound {
	return orb.Bound{
		Min: orb.Point{t.minX + lo/t.scale, t.minY + lo/t.scale},
		Max: orb.Point{t.minX + hi/t.scale, t.minY + hi/t.scale},
	}
}

// TileGeometry is the pipeline from a world-coordinate area to the polygons
// of one vector tile: transform, clip to the tile plus its buffer, simplify,
// snap to the integer grid and drop what collapsed. Input rings must be
// oriented with OrientForTiles; output rings are oriented the same way,
// closed, and valid as far as snapping allows. It returns nil when nothing
// of the area is left in the tile.
func TileGeometry(mp orb.MultiPolygon, t TileTransform, extent, buffer, tolerance float64) orb.MultiPolygon {
	local := ProjectMultiPolygon(mp, t.Apply)
	box := orb.Bound{Min: orb.Point{-buffer, -buffer}, Max: orb.Point{extent + buffer, extent + buffer}}
	if !box.Contains(local.Bound().Min) || !box.Contains(local.Bound().Max) {
		// smartclip walks the box edge to close clipped rings, which keeps
		// the result a valid multipolygon where plain Sutherland-Hodgman
		// clipping would leave zero-width bridges along the edge.
		local = smartclip.MultiPolygon(box, local, orb.CCW)
	}
	if tolerance > 0 {
		local = simplify.DouglasPeucker(tolerance).MultiPolygon(local)
	}
	return snapToGrid(local)
}

// snapToGrid rounds every point to whole tile units, removes repeated
// points and drops rings and polygons that no longer enclose an area with
// the orientation they had.
func snapToGrid(mp orb.MultiPolygon) orb.MultiPolygon {
	out := mp[:0]
	for _, poly := range mp {
		kept := poly[:0]
		for i, ring := range poly {
			r := snapRing(ring)
			a := SignedArea(r)
			exterior := i == 0
			if len(r) < 4 || (exterior && a <= 0) || (!exterior && a >= 0) {
				if exterior {
					break // without its exterior, the polygon's holes mean nothing
				}
				continue
			}
			kept = append(kept, r)
		}
		if len(kept) > 0 {
			out = append(out, kept)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func snapRing(ring orb.Ring) orb.Ring {
	r := make(orb.Ring, 0, len(ring)+1)
	for _, p := range ring {
		q := orb.Point{math.Round(p[0]), math.Round(p[1])}
		n := len(r)
		if n > 0 && r[n-1] == q {
			continue
		}
		if n > 1 && r[n-2] == q {
			// A→B→A is a zero-width spike; step back instead.
			r = r[:n-1]
			continue
		}
		r = append(r, q)
	}
	if n := len(r); n > 0 && r[0] != r[n-1] {
		r = append(r, r[0])
	}
	return r
}
