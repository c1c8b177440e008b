package geo

import (
	"slices"

	"github.com/paulmach/orb"
)

// segment is one edge of a polygon ring, for the validity check.
type segment struct {
	a, b       orb.Point
	ring, edge int // which ring, which edge of it
	edges      int // how many edges the ring has
}

func (s segment) minX() float64 { return min(s.a[0], s.b[0]) }
func (s segment) maxX() float64 { return max(s.a[0], s.b[0]) }

// adjacent reports whether two edges of the same ring share a vertex by
// construction.
func (s segment) adjacent(t segment) bool {
	if s.ring != t.ring {
		return false
	}
	d := s.edge - t.edge
	return d == 1 || d == -1 || d == s.edges-1 || d == 1-s.edges
}

// ValidPolygon reports whether the rings of a polygon on the integer grid
// are simple and do not touch or cross each other: no two edges meet
// except consecutive edges of one ring at their shared vertex, and those do
// not fold back on each other. This is what the vector tile specification
// (section 4.3.4.4) asks of polygon rings. The test is exact for integer
// coordinates below 2^26.
func ValidPolygon(p orb.Polygon) bool {
	_, _, found := firstConflict(p)
	return !found
}

// firstConflict returns two edges of p that meet where they should not.
func firstConflict(p orb.Polygon) (segment, segment, bool) {
	var segs []segment
	for ri, r := range p {
		n := len(r) - 1
		for i := 0; i < n; i++ {
			segs = append(segs, segment{a: r[i], b: r[i+1], ring: ri, edge: i, edges: n})
		}
	}
	slices.SortFunc(segs, func(s, t segment) int {
		switch {
		case s.minX() < t.minX():
			return -1
		case s.minX() > t.minX():
			return 1
		}
		return 0
	})
	for i, s := range segs {
		for _, t := range segs[i+1:] {
			if t.minX() > s.maxX() {
				break
			}
			if s.adjacent(t) {
				if foldsBack(s, t) {
					return s, t, true
				}
				continue
			}
			if segmentsMeet(s.a, s.b, t.a, t.b) {
				return s, t, true
			}
		}
	}
	return segment{}, segment{}, false
}

// repairByRemoval makes a polygon on the grid valid by removing vertices
// where its edges conflict, a few at most: snapping a narrow neck to the
// grid can make it cross itself by a unit or two, and dropping a vertex of
// the neck undoes that. It returns false when that does not suffice.
func repairByRemoval(p orb.Polygon) (orb.Polygon, bool) {
	const attempts = 16
	for range attempts {
		s, t, found := firstConflict(p)
		if !found {
			return p, true
		}
		var next orb.Polygon
		for _, v := range [][2]int{{s.ring, s.edge}, {s.ring, s.edge + 1}, {t.ring, t.edge}, {t.ring, t.edge + 1}} {
			candidate := snapPolygon(withoutVertex(p, v[0], v[1]))
			if candidate == nil {
				continue
			}
			if ValidPolygon(candidate) {
				return candidate, true
			}
			if next == nil {
				next = candidate
			}
		}
		if next == nil {
			return p, false
		}
		p = next
	}
	return p, ValidPolygon(p)
}

// withoutVertex returns a copy of p with vertex i of ring r removed; the
// ring stays closed.
func withoutVertex(p orb.Polygon, r, i int) orb.Polygon {
	out := p.Clone()
	ring := out[r][:len(out[r])-1] // open
	i %= len(ring)
	ring = append(ring[:i], ring[i+1:]...)
	if len(ring) > 0 {
		ring = append(ring, ring[0])
	}
	out[r] = ring
	return out
}

// cross is the z component of (b-a)×(c-a): positive when a, b, c turn left.
func cross(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

// onSegment reports whether c, known to be collinear with a and b, lies
// within their bounding box.
func onSegment(a, b, c orb.Point) bool {
	return min(a[0], b[0]) <= c[0] && c[0] <= max(a[0], b[0]) && min(a[1], b[1]) <= c[1] && c[1] <= max(a[1], b[1])
}

// segmentsMeet reports whether segments ab and cd share any point.
func segmentsMeet(a, b, c, d orb.Point) bool {
	d1, d2 := cross(c, d, a), cross(c, d, b)
	d3, d4 := cross(a, b, c), cross(a, b, d)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true
	}
	return (d1 == 0 && onSegment(c, d, a)) || (d2 == 0 && onSegment(c, d, b)) ||
		(d3 == 0 && onSegment(a, b, c)) || (d4 == 0 && onSegment(a, b, d))
}

// foldsBack reports whether two consecutive edges overlap along a line
// (a zero-width spike), rather than only sharing their vertex.
func foldsBack(s, t segment) bool {
	// Find the shared vertex and the two far ends.
	var shared, p, q orb.Point
	switch {
	case s.b == t.a:
		shared, p, q = s.b, s.a, t.b
	case s.a == t.b:
		shared, p, q = s.a, s.b, t.a
	default:
		return false
	}
	if cross(shared, p, q) != 0 {
		return false
	}
	// Collinear: they fold back when both ends lie on the same side.
	return (p[0]-shared[0])*(q[0]-shared[0])+(p[1]-shared[1])*(q[1]-shared[1]) > 0
}
