package geo

import (
	"math"
	"slices"

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
// of one vector tile: transform, clip to the tile plus its buffer, simplify
// with the tolerance (in grid units; 0 for geometry already simplified for
// the zoom, see Coverage), snap to the integer grid and drop what
// collapsed. Input rings must be oriented with OrientForTiles; output rings
// are oriented the same way and closed. Simplifying rings one by one and
// snapping them to the grid can make a ring cross itself or its holes;
// such a polygon is simplified again with a smaller tolerance, down to
// none, and then with more. It returns the polygons and how many of them
// are still not valid (see ValidPolygon) after that, or nil when nothing
// of the area is left in the tile.
func TileGeometry(mp orb.MultiPolygon, t TileTransform, extent, buffer, tolerance float64) (orb.MultiPolygon, int) {
	local := ProjectMultiPolygon(mp, t.Apply)
	box := orb.Bound{Min: orb.Point{-buffer, -buffer}, Max: orb.Point{extent + buffer, extent + buffer}}
	if !box.Contains(local.Bound().Min) || !box.Contains(local.Bound().Max) {
		// smartclip walks the box edge to close clipped rings, which keeps
		// the result a valid multipolygon where plain Sutherland-Hodgman
		// clipping would leave zero-width bridges along the edge.
		local = smartclip.MultiPolygon(box, local, orb.CCW)
	}
	var out orb.MultiPolygon
	invalid := 0
	for _, poly := range local {
		ps, ok := simplifyValid(poly, tolerance)
		if !ok {
			invalid += len(ps)
		}
		out = append(out, ps...)
	}
	return out, invalid
}

// simplifyValid simplifies and snaps a polygon with the first tolerance
// that leaves it valid (see tolerances). When none does, vertices are
// removed where edges conflict (see repairByRemoval), and when that does
// not suffice either, the polygon is untangled into valid parts (see
// untangle). It returns no polygon when the polygon collapses, and false
// with the polygon as snapped when it cannot be made valid.
func simplifyValid(poly orb.Polygon, tolerance float64) ([]orb.Polygon, bool) {
	var tried []orb.Polygon
	for _, tol := range tolerances(tolerance) {
		candidate := poly
		if tol > 0 {
			candidate = simplify.DouglasPeucker(tol).Polygon(poly.Clone())
		}
		p := snapPolygon(candidate)
		if p == nil {
			return nil, true
		}
		if ValidPolygon(p) {
			return []orb.Polygon{p}, true
		}
		tried = append(tried, p)
	}
	for _, p := range tried {
		if repaired, ok := repairByRemoval(p); ok {
			return []orb.Polygon{repaired}, true
		}
	}
	if parts, ok := untangle(tried[0].Clone()); ok {
		return parts, true
	}
	return tried[:1], false
}

// tolerances returns the tolerances simplifyValid tries, in order: the one
// asked for, less, none, and then more, at least a grid unit or two, since
// a narrow neck that snapping collapses is one that more simplification
// removes. Geometry simplified beforehand is asked for with none, and is
// simplified here only where snapping made it invalid.
func tolerances(tolerance float64) []float64 {
	more := max(tolerance, 1)
	var out []float64
	for _, t := range []float64{tolerance, tolerance / 4, 0, 2 * more, 4 * more, 8 * more} {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// snapPolygon rounds every point to whole tile units, removes repeated
// and collinear points and drops rings that no longer enclose an area with
// the orientation they had. A polygon whose exterior collapses is nil.
func snapPolygon(poly orb.Polygon) orb.Polygon {
	var kept orb.Polygon
	for i, ring := range poly {
		r := snapRing(ring)
		a := SignedArea(r)
		exterior := i == 0
		if len(r) < 4 || (exterior && a <= 0) || (!exterior && a >= 0) {
			if exterior {
				return nil // without its exterior, the polygon's holes mean nothing
			}
			continue
		}
		kept = append(kept, r)
	}
	return kept
}

// snapRing rounds a ring's points to the grid and drops every point that
// lies on the line through its neighbours: repeated points, straight
// continuations and zero-width spikes (A→B→A).
func snapRing(ring orb.Ring) orb.Ring {
	r := make(orb.Ring, 0, len(ring)+1)
	push := func(q orb.Point) {
		for n := len(r); n > 0 && r[n-1] == q; n = len(r) {
			return
		}
		for n := len(r); n >= 2 && cross(r[n-2], r[n-1], q) == 0; n = len(r) {
			r = r[:n-1]
		}
		r = append(r, q)
	}
	for _, p := range ring {
		push(orb.Point{math.Round(p[0]), math.Round(p[1])})
	}
	// The ring is closed: the first point must also not be collinear with
	// its neighbours across the join.
	if n := len(r); n > 1 && r[0] == r[n-1] {
		r = r[:n-1]
	}
	for len(r) >= 3 && cross(r[len(r)-1], r[0], r[1]) == 0 {
		r = r[1:]
	}
	for len(r) >= 3 && cross(r[len(r)-2], r[len(r)-1], r[0]) == 0 {
		r = r[:len(r)-1]
	}
	if len(r) < 3 {
		return nil
	}
	return append(r, r[0])
}

// MultiPolygonOf returns a Polygon or MultiPolygon as a MultiPolygon, and
// false for any other geometry.
func MultiPolygonOf(g orb.Geometry) (orb.MultiPolygon, bool) {
	switch g := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{g}, true
	case orb.MultiPolygon:
		return g, true
	}
	return nil, false
}
