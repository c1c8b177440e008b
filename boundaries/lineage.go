package boundaries

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/planar"
	"github.com/peterstace/simplefeatures/geom"

	"github.com/wijkkaart/wijkkaart/store"
)

// LineageOptions say how strictly areas are compared.
type LineageOptions struct {
	// Tolerance is the part of an area's extent that may differ while it
	// still counts as the same area, for example 0.02. Boundary files of
	// different years are generalised differently (another source, another
	// simplification), so identical borders never match exactly; a real
	// border change moves more than that.
	Tolerance float64
}

// DefaultLineageOptions are the options wijkkaart compares boundary years
// with. 5 % tolerates the generalisations of the CBS files used here
// (unchanged coastal gemeenten differ by up to 4.8 % between the 2022 and
// the 2023 file, which follow the coast differently) and is far below the
// change of any merge or split.
func DefaultLineageOptions() LineageOptions { return LineageOptions{Tolerance: 0.05} }

// Trace compares the areas of one level in an earlier and a later
// boundary year and says, for every earlier area, what became of it,
// ordered by code; each store.Lineage carries the level and the two years
// of the areas. Areas are in world coordinates (store.Area.Geometry):
// shares are ratios of areas close together, which the projection keeps.
func Trace(earlier, later []store.Area, opt LineageOptions) ([]store.Lineage, error) {
	if opt.Tolerance <= 0 || opt.Tolerance >= 0.5 {
		return nil, fmt.Errorf("boundaries: lineage tolerance %g, want more than 0 and less than 0.5", opt.Tolerance)
	}
	from, err := prepareShapes(earlier)
	if err != nil {
		return nil, err
	}
	to, err := prepareShapes(later)
	if err != nil {
		return nil, err
	}
	byCode := make(map[string]int, len(to))
	for i, s := range to {
		byCode[s.area.Code] = i
	}
	out := make([]store.Lineage, 0, len(from))
	for _, f := range from {
		successors := successorsOf(f, to, byCode, opt.Tolerance)
		out = append(out, store.Lineage{
			Level: f.area.Level, From: f.area.Year, To: laterYear(later), Code: f.area.Code,
			Relation: relation(f.area, to, byCode, successors, opt.Tolerance), Successors: successors,
		})
	}
	slices.SortFunc(out, func(a, b store.Lineage) int { return cmp.Compare(a.Code, b.Code) })
	return out, nil
}

// shape is an area with its geometry ready for overlay: as a whole and
// polygon by polygon, on the grid.
type shape struct {
	area  store.Area
	bound orb.Bound
	geom  geom.Geometry
	parts []part
	size  float64
}

// part is one polygon of a shape.
type part struct {
	poly  orb.Polygon
	bound orb.Bound
	geom  geom.Geometry
}

func prepareShapes(areas []store.Area) ([]shape, error) {
	out := make([]shape, 0, len(areas))
	for _, a := range areas {
		if len(a.Geometry) == 0 {
			continue // Nederland, or an area without geometry: nothing to compare
		}
		s, err := newShape(a)
		if err != nil {
			return nil, fmt.Errorf("boundaries: lineage of %s: %w", a.Code, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func newShape(a store.Area) (shape, error) {
	mp := onGrid(withoutStrayHoles(a.Geometry))
	whole, err := overlayGeometry(mp)
	if err != nil {
		return shape{}, err
	}
	s := shape{area: a, bound: mp.Bound(), geom: whole, size: whole.Area()}
	for _, p := range mp {
		g, err := overlayGeometry(p)
		if err != nil {
			return shape{}, err
		}
		s.parts = append(s.parts, part{poly: p, bound: p.Bound(), geom: g})
	}
	return s, nil
}

// overlayGeometry converts g for overlay. Boundary files hold a few rings
// that touch themselves; overlay copes with most of them, validation
// would refuse them all.
func overlayGeometry(g orb.Geometry) (geom.Geometry, error) {
	b, err := wkb.Marshal(g)
	if err != nil {
		return geom.Geometry{}, err
	}
	return geom.UnmarshalWKB(b, geom.NoValidate{})
}

// gridScale takes world coordinates to a grid of about half a metre in
// the Netherlands: whole numbers, on which overlay is robust (on the unit
// square, vertices a few centimetres apart are too close to tell), and
// far finer than any border change.
const gridScale = 1 << 26

// onGrid returns mp scaled to the grid and rounded, without the vertices
// that rounding makes repeat.
func onGrid(mp orb.MultiPolygon) orb.MultiPolygon {
	out := make(orb.MultiPolygon, 0, len(mp))
	for _, p := range mp {
		var poly orb.Polygon
		for _, r := range p {
			ring := make(orb.Ring, 0, len(r))
			for _, pt := range r {
				q := orb.Point{math.Round(pt[0] * gridScale), math.Round(pt[1] * gridScale)}
				if len(ring) == 0 || q != ring[len(ring)-1] {
					ring = append(ring, q)
				}
			}
			if len(ring) >= 4 {
				poly = append(poly, ring)
			}
		}
		if len(poly) > 0 {
			out = append(out, poly)
		}
	}
	return out
}

// withoutStrayHoles returns mp without the holes that lie outside their
// polygon: generalising a file can move a hole across its polygon's
// border, and overlay refuses such a polygon. A hole outside covers
// nothing of the area, so dropping it keeps the area as it is.
func withoutStrayHoles(mp orb.MultiPolygon) orb.MultiPolygon {
	out := make(orb.MultiPolygon, 0, len(mp))
	for _, p := range mp {
		kept := orb.Polygon{p[0]}
		for _, hole := range p[1:] {
			if len(hole) > 0 && planar.RingContains(p[0], hole[0]) {
				kept = append(kept, hole)
			}
		}
		out = append(out, kept)
	}
	return out
}

// successorsOf returns the later areas that cover a part of f larger than
// tol, or of which f covers a part larger than tol, largest share first.
// When the later area of the same code is the same extent, no other is
// looked at: what is left of f is within the tolerance.
func successorsOf(f shape, to []shape, byCode map[string]int, tol float64) []store.Successor {
	if i, ok := byCode[f.area.Code]; ok && f.bound.Intersects(to[i].bound) {
		if s := overlap(f, to[i]); s.Share >= 1-tol && s.Covers >= 1-tol {
			return []store.Successor{s}
		}
	}
	var out []store.Successor
	for _, t := range to {
		if !f.bound.Intersects(t.bound) {
			continue
		}
		if s := overlap(f, t); s.Share > tol || s.Covers > tol {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b store.Successor) int {
		return cmp.Or(cmp.Compare(b.Share, a.Share), cmp.Compare(a.Code, b.Code))
	})
	return out
}

// overlap measures how much of f lies in t, and of t in f.
func overlap(f, t shape) store.Successor {
	a := commonArea(f, t)
	return store.Successor{Code: t.area.Code, Share: ratio(a, f.size), Covers: ratio(a, t.size)}
}

// commonArea returns the area f and t have in common. Generalised files
// hold rings that touch or nearly touch themselves, on which an overlay of
// whole multipolygons can fail; the parts of a multipolygon do not
// overlap, so the common area is also the sum over pairs of parts, which
// is tried when the whole fails, and a pair of parts whose overlay fails
// too is measured by sampling.
func commonArea(f, t shape) float64 {
	if common, err := geom.Intersection(f.geom, t.geom); err == nil {
		return common.Area()
	}
	var sum float64
	for _, pf := range f.parts {
		for _, pt := range t.parts {
			if !pf.bound.Intersects(pt.bound) {
				continue
			}
			if common, err := geom.Intersection(pf.geom, pt.geom); err == nil {
				sum += common.Area()
			} else {
				sum += sampledCommonArea(pf, pt)
			}
		}
	}
	return sum
}

// samples is the number of sample points along each side of the common
// bound of two parts: a relative error well under the tolerance.
const samples = 400

// sampledCommonArea estimates the common area of two parts from the
// centres of a grid of cells over their common bound.
func sampledCommonArea(a, b part) float64 {
	bound := orb.Bound{
		Min: orb.Point{max(a.bound.Min[0], b.bound.Min[0]), max(a.bound.Min[1], b.bound.Min[1])},
		Max: orb.Point{min(a.bound.Max[0], b.bound.Max[0]), min(a.bound.Max[1], b.bound.Max[1])},
	}
	dx, dy := (bound.Max[0]-bound.Min[0])/samples, (bound.Max[1]-bound.Min[1])/samples
	inside := 0
	for i := range samples {
		for j := range samples {
			p := orb.Point{bound.Min[0] + (float64(i)+0.5)*dx, bound.Min[1] + (float64(j)+0.5)*dy}
			if planar.PolygonContains(a.poly, p) && planar.PolygonContains(b.poly, p) {
				inside++
			}
		}
	}
	return float64(inside) * dx * dy
}

func ratio(part, whole float64) float64 {
	if whole == 0 {
		return 0
	}
	return part / whole
}

// relation classifies an earlier area by its successors.
func relation(a store.Area, to []shape, byCode map[string]int, successors []store.Successor, tol float64) store.Relation {
	switch {
	case len(successors) == 0:
		return store.Gone
	case len(successors) == 1 && successors[0].Share >= 1-tol && successors[0].Covers >= 1-tol:
		next := to[byCode[successors[0].Code]].area
		// Sources spell some names with and some without diacritics.
		if next.Code == a.Code && store.FoldName(next.Name) == store.FoldName(a.Name) {
			return store.Same
		}
		return store.Renamed
	case successors[0].Share >= 1-tol:
		return store.Merged
	case len(successors) > 1 && allWithin(successors, tol):
		return store.Split
	default:
		return store.Redrawn
	}
}

// allWithin reports whether every successor lies within the earlier area.
func allWithin(successors []store.Successor, tol float64) bool {
	for _, s := range successors {
		if s.Covers < 1-tol {
			return false
		}
	}
	return true
}

// laterYear is the boundary year of the later areas; 0 when there are none.
func laterYear(later []store.Area) int {
	if len(later) == 0 {
		return 0
	}
	return later[0].Year
}
