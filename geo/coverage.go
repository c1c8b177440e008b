package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// Coverage is the topology of a set of areas that tile the plane without
// overlapping, such as the wijken of one year: every ring is cut into arcs
// at its nodes, the vertices where the set of areas along the border
// changes, and a border two areas share is one arc. Simplifying each arc
// once, instead of each area's rings, keeps shared borders shared: no gaps
// or slivers open between neighbours, at any tolerance.
//
// Neighbours must share their border vertex for vertex, as the CBS
// boundary files do; a border whose vertices differ on either side is two
// arcs, simplified independently.
type Coverage struct {
	arcs  [][]orb.Point // each arc from node to node, or a closed ring without nodes
	areas [][][]ringRef // per area, per polygon, the rings (exterior first)
	size  []float64     // per area, its area as given
}

// ringRef is one ring of an area as the arcs it is made of, and the sign
// of its area as given.
type ringRef struct {
	arcs []arcRef
	sign float64
}

// arcRef is an arc walked forwards or backwards.
type arcRef struct {
	arc      int
	reversed bool
}

// vertexUse is what is known about one point of the coverage while its
// nodes are found: the neighbours it was first seen with, and whether it
// has been seen with other neighbours since.
type vertexUse struct {
	a, b orb.Point // its neighbours along the first ring it was seen in, ordered
	node bool
}

// NewCoverage builds the topology of the areas. Rings are taken as they
// are, closed or not; repeated consecutive points are ignored, and a ring
// with fewer than three distinct points is left out.
func NewCoverage(areas []orb.MultiPolygon) *Coverage {
	rings := openRings(areas)
	uses := make(map[orb.Point]*vertexUse)
	for _, area := range rings {
		for _, poly := range area {
			for _, r := range poly {
				markNodes(uses, r)
			}
		}
	}
	c := &Coverage{areas: make([][][]ringRef, len(areas)), size: make([]float64, len(areas))}
	firstEdge := make(map[[2]orb.Point]arcRef)
	for i, area := range rings {
		for _, poly := range area {
			var refs []ringRef
			for _, r := range poly {
				a := SignedArea(r)
				refs = append(refs, ringRef{arcs: c.addRing(firstEdge, uses, r), sign: sign(a)})
				c.size[i] += a * sign(SignedArea(poly[0]))
			}
			if len(refs) > 0 {
				c.areas[i] = append(c.areas[i], refs)
			}
		}
	}
	return c
}

// openRings returns the rings of the areas without their closing point
// and repeated points; rings with fewer than three points are dropped,
// and so are polygons whose exterior is.
func openRings(areas []orb.MultiPolygon) [][][]orb.Ring {
	out := make([][][]orb.Ring, len(areas))
	for i, mp := range areas {
		for _, poly := range mp {
			var rings []orb.Ring
			for j, ring := range poly {
				r := make(orb.Ring, 0, len(ring))
				for _, p := range ring {
					if len(r) == 0 || r[len(r)-1] != p {
						r = append(r, p)
					}
				}
				for len(r) > 1 && r[0] == r[len(r)-1] {
					r = r[:len(r)-1]
				}
				if len(r) < 3 {
					if j == 0 {
						break // a polygon without an exterior has nothing to show
					}
					continue
				}
				rings = append(rings, r)
			}
			if len(rings) > 0 {
				out[i] = append(out[i], rings)
			}
		}
	}
	return out
}

// markNodes records the neighbours of each point of an open ring: a point
// seen again with other neighbours is a node, where one border ends and
// another begins.
func markNodes(uses map[orb.Point]*vertexUse, r orb.Ring) {
	n := len(r)
	for i, p := range r {
		a, b := r[(i+n-1)%n], r[(i+1)%n]
		if lessPoint(b, a) {
			a, b = b, a
		}
		u, ok := uses[p]
		switch {
		case !ok:
			uses[p] = &vertexUse{a: a, b: b}
		case u.a != a || u.b != b:
			u.node = true
		}
	}
}

// addRing cuts an open ring into arcs at its nodes and returns them,
// adding those not seen before (from the other side of a shared border)
// to the coverage.
func (c *Coverage) addRing(firstEdge map[[2]orb.Point]arcRef, uses map[orb.Point]*vertexUse, r orb.Ring) []arcRef {
	start := -1
	for i, p := range r {
		if uses[p].node {
			start = i
			break
		}
	}
	if start < 0 {
		// No nodes: the ring is one closed arc. Both sides of it must
		// cut it at the same point, so it starts at its least point.
		start = 0
		for i, p := range r {
			if lessPoint(p, r[start]) {
				start = i
			}
		}
	}
	n := len(r)
	var refs []arcRef
	seq := []orb.Point{r[start]}
	for k := 1; k <= n; k++ {
		p := r[(start+k)%n]
		seq = append(seq, p)
		if k == n || uses[p].node {
			refs = append(refs, c.arcOf(firstEdge, seq))
			seq = []orb.Point{p}
		}
	}
	return refs
}

// arcOf returns the arc with the points of seq, in either direction,
// adding it when it is new.
func (c *Coverage) arcOf(firstEdge map[[2]orb.Point]arcRef, seq []orb.Point) arcRef {
	if ref, ok := firstEdge[[2]orb.Point{seq[0], seq[1]}]; ok {
		arc := c.arcs[ref.arc]
		end := arc[len(arc)-1]
		if ref.reversed {
			end = arc[0]
		}
		if len(arc) == len(seq) && end == seq[len(seq)-1] {
			return ref
		}
		// The same first edge with another course: not a clean
		// coverage here; keep this side's border as it is.
	}
	ref := arcRef{arc: len(c.arcs)}
	c.arcs = append(c.arcs, slices.Clone(seq))
	n := len(seq)
	firstEdge[[2]orb.Point{seq[0], seq[1]}] = ref
	firstEdge[[2]orb.Point{seq[n-1], seq[n-2]}] = arcRef{arc: ref.arc, reversed: true}
	return ref
}

// Arcs returns how many arcs the coverage has: a measure of how much of
// its border is shared.
func (c *Coverage) Arcs() int { return len(c.arcs) }

// Simplify returns the areas with every arc simplified once by
// Douglas-Peucker with the tolerance, in the units of the coordinates;
// nodes stay where they are. An arc whose simplification would make it
// cross or touch another arc, or turn a ring inside out, is simplified
// again with less tolerance, down to none, so that valid input gives valid
// output. Rings that collapse are left out, and polygons whose exterior
// does, but not all of an area, nor half its size: the area would vanish
// from the map, so the arcs of its exteriors are simplified again with
// less tolerance. Rings
// keep the orientation they had. It does not change the coverage, and may
// run concurrently with itself.
func (c *Coverage) Simplify(tolerance float64) []orb.MultiPolygon {
	tol := make([]float64, len(c.arcs))
	for i := range tol {
		tol[i] = tolerance
	}
	simple := make([][]orb.Point, len(c.arcs))
	redo := make([]bool, len(c.arcs))
	for i := range redo {
		redo[i] = true
	}
	for {
		for i, arc := range c.arcs {
			if redo[i] {
				simple[i] = simplifyArc(arc, tol[i])
			}
		}
		out, redone := c.rebuild(simple)
		changed := make([]bool, len(simple))
		for i := range changed {
			changed[i] = redo[i] && len(simple[i]) < len(c.arcs[i])
		}
		conflicts := crossingArcs(simple, changed)
		for _, a := range redone {
			conflicts[a] = true
		}
		clear(redo)
		again := false
		for a := range conflicts {
			if tol[a] > 0 {
				tol[a] = lessTolerance(tol[a], tolerance)
				redo[a], again = true, true
			}
		}
		if !again {
			return out
		}
	}
}

// lessTolerance is the next tolerance to try for an arc that conflicts:
// a quarter of it, then none.
func lessTolerance(t, initial float64) float64 {
	if t <= initial/64 {
		return 0
	}
	return t / 4
}

// simplifyArc simplifies one arc, keeping its ends.
func simplifyArc(arc []orb.Point, tolerance float64) []orb.Point {
	if tolerance <= 0 || len(arc) <= 2 {
		return arc
	}
	return simplify.DouglasPeucker(tolerance).LineString(orb.LineString(arc).Clone())
}

// rebuild makes the areas from simplified arcs. It returns them and the
// arcs to simplify again: those of rings that turned inside out, and the
// exteriors of areas that shrunk (see shrunk).
func (c *Coverage) rebuild(simple [][]orb.Point) ([]orb.MultiPolygon, []int) {
	out := make([]orb.MultiPolygon, len(c.areas))
	var redo []int
	for i, polys := range c.areas {
		mp := orb.MultiPolygon{}
		for _, rings := range polys {
			var poly orb.Polygon
			for j, rr := range rings {
				r := joinArcs(simple, rr.arcs)
				s := sign(SignedArea(r))
				if s != rr.sign && s != 0 {
					for _, ref := range rr.arcs {
						redo = append(redo, ref.arc)
					}
				}
				if len(r) < 4 || s != rr.sign {
					if j == 0 {
						break
					}
					continue
				}
				poly = append(poly, r)
			}
			if len(poly) > 0 {
				mp = append(mp, poly)
			}
		}
		if shrunk(mp, c.size[i]) {
			for _, rings := range polys {
				for _, ref := range rings[0].arcs {
					redo = append(redo, ref.arc)
				}
			}
		}
		out[i] = mp
	}
	return out, redo
}

// shrunk reports whether an area kept less than half its size when it was
// simplified, or nothing at all: a small area simplified with a tolerance
// near its width can collapse to a sliver, which vanishes when a tile
// snaps it to its grid.
func shrunk(mp orb.MultiPolygon, size float64) bool {
	var now float64
	for _, poly := range mp {
		for _, r := range poly {
			now += SignedArea(r) * sign(SignedArea(poly[0]))
		}
	}
	return len(mp) == 0 || now < size/2
}

// joinArcs returns the closed ring the arcs make, without repeated points.
func joinArcs(simple [][]orb.Point, refs []arcRef) orb.Ring {
	var r orb.Ring
	for _, ref := range refs {
		arc := simple[ref.arc]
		for k := range arc {
			p := arc[k]
			if ref.reversed {
				p = arc[len(arc)-1-k]
			}
			if len(r) == 0 || r[len(r)-1] != p {
				r = append(r, p)
			}
		}
	}
	if len(r) > 0 && r[0] != r[len(r)-1] {
		r = append(r, r[0])
	}
	return r
}

// arcSegment is one edge of a simplified arc, for finding crossings.
type arcSegment struct {
	a, b orb.Point
	arc  int
}

// crossingArcs returns the arcs with an edge that meets an edge of another
// arc, or of itself, anywhere but at a shared end point: simplification
// made them cross or touch, or overlap along a line. Only pairs with an
// arc marked in changed are tested: arcs as given do not conflict in a
// valid coverage, and arcs tested before have not moved.
func crossingArcs(simple [][]orb.Point, changed []bool) map[int]bool {
	var segs []arcSegment
	var bound orb.Bound
	for i, arc := range simple {
		for k := 0; k+1 < len(arc); k++ {
			segs = append(segs, arcSegment{a: arc[k], b: arc[k+1], arc: i})
			if len(segs) == 1 {
				bound = orb.Bound{Min: arc[k], Max: arc[k]}
			}
			bound = bound.Extend(arc[k]).Extend(arc[k+1])
		}
	}
	out := make(map[int]bool)
	g := newSegmentGrid(bound, len(segs))
	for i, s := range segs {
		g.add(i, s)
	}
	for _, cell := range g.cells {
		for x, i := range cell {
			for _, j := range cell[x+1:] {
				s, t := segs[i], segs[j]
				if (changed[s.arc] || changed[t.arc]) && segmentsConflict(s, t) {
					out[s.arc], out[t.arc] = true, true
				}
			}
		}
	}
	return out
}

// segmentGrid buckets segments by the grid cells their bounds overlap, so
// that only segments sharing a cell are tested against each other.
type segmentGrid struct {
	min        orb.Point
	size       float64 // of a cell
	cols, rows int
	cells      map[int][]int
}

// newSegmentGrid returns a grid over bound with about one cell per
// segment.
func newSegmentGrid(bound orb.Bound, segments int) *segmentGrid {
	w, h := bound.Max[0]-bound.Min[0], bound.Max[1]-bound.Min[1]
	n := math.Sqrt(float64(max(segments, 1)))
	size := max(w, h) / n
	if size <= 0 {
		size = 1
	}
	return &segmentGrid{min: bound.Min, size: size, cols: int(w/size) + 1, rows: int(h/size) + 1, cells: make(map[int][]int)}
}

// add puts segment i in every cell its bound overlaps.
func (g *segmentGrid) add(i int, s arcSegment) {
	x0, x1 := g.cell(min(s.a[0], s.b[0]), 0), g.cell(max(s.a[0], s.b[0]), 0)
	y0, y1 := g.cell(min(s.a[1], s.b[1]), 1), g.cell(max(s.a[1], s.b[1]), 1)
	for x := x0; x <= x1; x++ {
		for y := y0; y <= y1; y++ {
			k := y*g.cols + x
			g.cells[k] = append(g.cells[k], i)
		}
	}
}

// cell returns the column (axis 0) or row (axis 1) of a coordinate.
func (g *segmentGrid) cell(v float64, axis int) int {
	limit := g.cols
	if axis == 1 {
		limit = g.rows
	}
	return min(max(int((v-g.min[axis])/g.size), 0), limit-1)
}

// segmentsConflict reports whether two edges meet other than at one shared
// end point, or overlap along a line from it.
func segmentsConflict(s, t arcSegment) bool {
	if max(s.a[1], s.b[1]) < min(t.a[1], t.b[1]) || max(t.a[1], t.b[1]) < min(s.a[1], s.b[1]) {
		return false
	}
	var shared, p, q orb.Point
	switch {
	case (s.a == t.a && s.b == t.b) || (s.a == t.b && s.b == t.a):
		// Two arcs between the same nodes simplified to one line: the
		// area between them collapsed, which rebuild handles.
		return false
	case s.a == t.a:
		shared, p, q = s.a, s.b, t.b
	case s.a == t.b:
		shared, p, q = s.a, s.b, t.a
	case s.b == t.a:
		shared, p, q = s.b, s.a, t.b
	case s.b == t.b:
		shared, p, q = s.b, s.a, t.a
	default:
		return segmentsMeet(s.a, s.b, t.a, t.b)
	}
	return cross(shared, p, q) == 0 && (p[0]-shared[0])*(q[0]-shared[0])+(p[1]-shared[1])*(q[1]-shared[1]) > 0
}

// sign returns -1, 0 or 1.
func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// lessPoint orders points by x, then y.
func lessPoint(p, q orb.Point) bool {
	return p[0] < q[0] || (p[0] == q[0] && p[1] < q[1])
}
