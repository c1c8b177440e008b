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
// into two loops, each kept as a polygon of its own when it turns the way
// the ring turns (a loop that turns the other way is the twisted half of a
// bow tie, with no area of the boundary in it). It returns false when the
// polygon is still not valid after maxUntangleSteps cuts.
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
				if len(loop) >= 4 && loop.Orientation() == orientation {
					todo = append(todo, withHolesIn(loop, q[1:]))
				}
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
