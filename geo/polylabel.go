package geo

import (
	"container/heap"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// labelCells bounds the work of LabelPoint on a pathological polygon.
const labelCells = 4096

// LabelPoint returns where to write an area's name: the pole of
// inaccessibility of its largest polygon — the point inside it farthest
// from its outline — to within a thousandth of the polygon's size. Unlike
// the centroid it lies inside every polygon, also a crescent or a ring
// around a lake. It is the "polylabel" algorithm of Mapbox (Agafonkin
// 2016): a quadtree search over cells, best potential first. false for an
// empty area.
func LabelPoint(mp orb.MultiPolygon) (orb.Point, bool) {
	var poly orb.Polygon
	largest := -1.0
	for _, p := range mp {
		if len(p) == 0 || len(p[0]) < 4 {
			continue
		}
		if a := math.Abs(SignedArea(p[0])); a > largest {
			poly, largest = p, a
		}
	}
	if poly == nil {
		return orb.Point{}, false
	}
	b := poly[0].Bound()
	size := math.Min(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
	if size == 0 {
		return b.Min, true
	}
	precision := math.Max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]) / 1000
	centroid, _ := planar.CentroidArea(poly)
	best := newCell(centroid, 0, poly)
	if c := newCell(b.Center(), 0, poly); c.d > best.d {
		best = c
	}
	var q cellQueue
	h := size / 2
	for x := b.Min[0]; x < b.Max[0]; x += size {
		for y := b.Min[1]; y < b.Max[1]; y += size {
			heap.Push(&q, newCell(orb.Point{x + h, y + h}, h, poly))
		}
	}
	for n := 0; q.Len() > 0 && n < labelCells; n++ {
		c := heap.Pop(&q).(cell)
		if c.d > best.d {
			best = c
		}
		if c.max-best.d <= precision {
			continue
		}
		h := c.h / 2
		for _, d := range [4][2]float64{{-h, -h}, {h, -h}, {-h, h}, {h, h}} {
			heap.Push(&q, newCell(orb.Point{c.p[0] + d[0], c.p[1] + d[1]}, h, poly))
		}
	}
	return best.p, true
}

// cell is a square of the search: its centre, half its side, the centre's
// signed distance to the outline (positive inside), and the largest
// distance any point of the cell can have.
type cell struct {
	p    orb.Point
	h, d float64
	max  float64
}

func newCell(p orb.Point, h float64, poly orb.Polygon) cell {
	d := signedDistance(p, poly)
	return cell{p: p, h: h, d: d, max: d + h*math.Sqrt2}
}

// signedDistance is the distance from p to the polygon's outline, holes
// included: positive inside, negative outside.
func signedDistance(p orb.Point, poly orb.Polygon) float64 {
	inside := false
	minSq := math.Inf(1)
	for _, ring := range poly {
		for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
			a, b := ring[i], ring[j]
			if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
				inside = !inside
			}
			minSq = math.Min(minSq, segmentDistanceSq(p, a, b))
		}
	}
	d := math.Sqrt(minSq)
	if !inside {
		return -d
	}
	return d
}

// segmentDistanceSq is the squared distance from p to the segment ab.
func segmentDistanceSq(p, a, b orb.Point) float64 {
	x, y := a[0], a[1]
	dx, dy := b[0]-x, b[1]-y
	if dx != 0 || dy != 0 {
		t := ((p[0]-x)*dx + (p[1]-y)*dy) / (dx*dx + dy*dy)
		switch {
		case t > 1:
			x, y = b[0], b[1]
		case t > 0:
			x, y = x+dx*t, y+dy*t
		}
	}
	dx, dy = p[0]-x, p[1]-y
	return dx*dx + dy*dy
}

// cellQueue is a max-heap of cells by their potential.
type cellQueue []cell

func (q cellQueue) Len() int           { return len(q) }
func (q cellQueue) Less(i, j int) bool { return q[i].max > q[j].max }
func (q cellQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }

// Push implements heap.Interface.
func (q *cellQueue) Push(x any) { *q = append(*q, x.(cell)) }

// Pop implements heap.Interface.
func (q *cellQueue) Pop() any {
	old := *q
	c := old[len(old)-1]
	*q = old[:len(old)-1]
	return c
}
