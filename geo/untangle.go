package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// maxUntangleSteps bounds the work untangle does on one polygon.
const maxUntangleSteps = 64

// untangle makes a polygon on the grid valid when simplifying and removing
// vertices could not: its source boundary crosses itself, as a few rings
// of generalised CBS boundary files do. A hole that meets another ring is
// dropped; an exterior ring that crosses itself is cut at the crossing
// into two loops, each a polygon of its own, turned the way the ring
// turns: like PostGIS's ST_MakeValid, which keeps both lobes of a bow tie.
// It returns false when the polygon is still not valid after
// maxUntangleSteps cuts.
func untangle(p orb.Polygon) ([]orb.Polygon, bool) {
	orientation := p[0].Orientation()
	todo, out := []orb.Polygon{p}, []orb.Polygon(nil)
	for range maxUntangleSteps {
		if len(todo) == 0 {
			return out, true
		}
		q := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		s, t, found := firstConflict(q)
		switch {
		case !found:
			out = append(out, q)
		case s.ring > 0 || t.ring > 0:
			todo = append(todo, withoutRing(q, max(s.ring, t.ring)))
		default:
			for _, loop := range cutRing(q[0], s, t) {
				if len(loop) < 4 {
					continue
				}
				if loop.Orientation() != orientation {
					loop.Reverse()
				}
				todo = append(todo, withHolesIn(loop, q[1:]))
			}
		}
	}
	return nil, false
}

// withHolesIn returns the polygon of exterior ring r with those of holes
// that lie in it.
func withHolesIn(r orb.Ring, holes []orb.Ring) orb.Polygon {
	p := orb.Polygon{r}
	for _, h := range holes {
		if planar.RingContains(r, h[0]) {
			p = append(p, h)
		}
	}
	return p
}

// withoutRing returns p without ring i.
func withoutRing(p orb.Polygon, i int) orb.Polygon {
	out := make(orb.Polygon, 0, len(p)-1)
	out = append(out, p[:i]...)
	return append(out, p[i+1:]...)
}

// cutRing cuts a closed ring at the point where its edges s and t meet
// into the two loops on either side of it, each closed and snapped.
func cutRing(r orb.Ring, s, t segment) []orb.Ring {
	i, j := min(s.edge, t.edge), max(s.edge, t.edge)
	x := meetingPoint(s.a, s.b, t.a, t.b)
	outer := append(append(append(orb.Ring{}, r[:i+1]...), x), r[j+1:]...)
	inner := append(append(orb.Ring{x}, r[i+1:j+1]...), x)
	return []orb.Ring{snapRing(outer), snapRing(inner)}
}

// meetingPoint returns a point, on the grid, where segments ab and cd
// meet: their crossing, or the end of one that lies on the other.
func meetingPoint(a, b, c, d orb.Point) orb.Point {
	d1, d2 := cross(c, d, a), cross(c, d, b)
	if d1 != d2 {
		f := d1 / (d1 - d2)
		if f > 0 && f < 1 {
			return orb.Point{math.Round(a[0] + f*(b[0]-a[0])), math.Round(a[1] + f*(b[1]-a[1]))}
		}
	}
	for _, e := range []struct{ p, from, to orb.Point }{{a, c, d}, {b, c, d}, {c, a, b}, {d, a, b}} {
		if cross(e.from, e.to, e.p) == 0 && onSegment(e.from, e.to, e.p) {
			return e.p
		}
	}
	return a
}

// RepairOnGrid repairs the polygons of mp that have no area on a grid of
// 1/scale units (dropped) or whose exterior ring crosses itself there
// (untangled, see untangle), and returns the result and how many polygons
// it repaired; every other polygon is kept as it is. It is for source
// boundaries that are not valid, as a few outlines of generalised CBS files
// are not: repaired when they are read, the way PostGIS's ST_MakeValid
// repairs them on import, so that every store serves the same geometry.
// Repaired polygons have their rings oriented as OrientForTiles orients
// them.
func RepairOnGrid(mp orb.MultiPolygon, scale float64) (orb.MultiPolygon, int) {
	out := make(orb.MultiPolygon, 0, len(mp))
	repaired := 0
	for _, p := range mp {
		onGrid := scalePolygon(p, scale)
		OrientForTiles(orb.MultiPolygon{onGrid})
		q := snapPolygon(onGrid)
		if q == nil {
			repaired++ // no area: dropped
			continue
		}
		s, t, found := firstConflict(onGrid)
		if !found || s.ring != 0 || t.ring != 0 || s.adjacent(t) {
			out = append(out, p)
			continue
		}
		parts, ok := untangle(q)
		if !ok {
			out = append(out, p)
			continue
		}
		repaired++
		for _, part := range parts {
			out = append(out, scalePolygon(part, 1/scale))
		}
	}
	return out, repaired
}

// scalePolygon returns a copy of p with every coordinate multiplied by f,
// rounded to a whole number when f is more than 1 (onto the grid).
func scalePolygon(p orb.Polygon, f float64) orb.Polygon {
	out := make(orb.Polygon, len(p))
	for i, r := range p {
		out[i] = make(orb.Ring, len(r))
		for j, pt := range r {
			q := orb.Point{pt[0] * f, pt[1] * f}
			if f > 1 {
				q = orb.Point{math.Round(q[0]), math.Round(q[1])}
			}
			out[i][j] = q
		}
	}
	return out
}
