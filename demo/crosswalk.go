package demo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/wijkkaart/wijkkaart/boundaries"
	"github.com/wijkkaart/wijkkaart/catalog"
)

// BuurtMatch says how a CBS buurt of 2019 was linked to a wijk of Year.
type BuurtMatch string

// The ways a buurt is linked to a wijk.
const (
	// MatchCode: the wijk its 2019 code names (WK + characters 3–8 of the
	// buurt code) exists in Year and holds at least half of the buurt.
	MatchCode BuurtMatch = "code"
	// MatchGeometry: the 2019 code names no wijk of Year, or one that
	// holds less than half of the buurt; the buurt is linked to the wijk
	// of Year that holds the largest share of it.
	MatchGeometry BuurtMatch = "geometry"
	// MatchNone: no wijk of Year overlaps the buurt. It is left out of the
	// demo data.
	MatchNone BuurtMatch = "none"
)

// BuurtLink is the crosswalk entry of one CBS buurt of 2019: the wijk and
// gemeente of Year it lies in, and how that was decided. MODEL.md explains
// the rule.
type BuurtLink struct {
	// Code is the buurt's CBS code of 2019, such as BU03440101.
	Code string
	// CodeWijk is the wijk the 2019 code names (WK03440101 → WK034401),
	// whether or not that wijk exists in Year.
	CodeWijk string
	// Wijk and Gemeente are the wijk and gemeente of Year the buurt lies
	// in; empty when Match is MatchNone.
	Wijk, Gemeente string
	// Match says how Wijk was found.
	Match BuurtMatch
	// Share is the estimated share of the buurt's area that lies in Wijk,
	// and CodeShare the share in CodeWijk (0 when CodeWijk is not a wijk
	// of Year). Shares are counted on a grid of sample points over the
	// buurt (about 48 points inside it).
	Share, CodeShare float64
	// OtherGemeente is true when the 2019 code names another gemeente than
	// the one the buurt lies in now: a merged gemeente, or a buurt that
	// moved to a neighbour.
	OtherGemeente bool
}

// Sample points per buurt and the smallest share of them that the wijk of
// a buurt's 2019 code must hold for a match by code.
const (
	samplesPerBuurt = 48
	minCodeShare    = 0.5
)

// crosswalk links every buurt to a wijk. wijken are the wijk features of
// Year, sorted by code, in the same order as bounds, their WGS84 bounds.
func crosswalk(buurten []boundaries.Feature, wijken []boundaries.Feature, bounds []orb.Bound) []BuurtLink {
	index := make(map[string]int, len(wijken))
	for w, f := range wijken {
		index[f.Code] = w
	}
	links := make([]BuurtLink, len(buurten))
	counts := make(map[int]int)
	var candidates []int
	for i, b := range buurten {
		codeWijk := "WK" + b.Code[2:8]
		cw, hasCode := index[codeWijk]
		if !hasCode {
			cw = -1
		}
		candidates = overlapping(b.Geometry.Bound(), bounds, cw, candidates[:0])
		points := samplePoints(b.Geometry, samplesPerBuurt)
		clear(counts)
		for _, p := range points {
			for _, w := range candidates {
				if bounds[w].Contains(p) && planar.MultiPolygonContains(wijken[w].Geometry, p) {
					counts[w]++
					break
				}
			}
		}
		links[i] = decide(b.Code, codeWijk, cw, counts, len(points), wijken)
	}
	return links
}

// overlapping returns the wijken whose bounds intersect b: first the wijk
// of the buurt's code (cw, -1 for none), then the others by code.
func overlapping(b orb.Bound, bounds []orb.Bound, cw int, out []int) []int {
	if cw >= 0 && bounds[cw].Intersects(b) {
		out = append(out, cw)
	}
	for w, wb := range bounds {
		if w != cw && wb.Intersects(b) {
			out = append(out, w)
		}
	}
	return out
}

// decide applies the crosswalk rule to the sample point counts per wijk of
// one buurt.
func decide(code, codeWijk string, cw int, counts map[int]int, samples int, wijken []boundaries.Feature) BuurtLink {
	l := BuurtLink{Code: code, CodeWijk: codeWijk, Match: MatchNone}
	share := func(w int) float64 { return float64(counts[w]) / float64(samples) }
	best, bestN := -1, 0
	for w, n := range counts {
		if n > bestN || (n == bestN && w < best) {
			best, bestN = w, n
		}
	}
	if cw >= 0 {
		l.CodeShare = share(cw)
	}
	switch {
	case cw >= 0 && l.CodeShare >= minCodeShare:
		best, l.Match = cw, MatchCode
	case best >= 0:
		l.Match = MatchGeometry
	default:
		return l
	}
	l.Wijk, l.Gemeente, l.Share = wijken[best].Code, wijken[best].GemeenteCode, share(best)
	codeGemeente, _ := catalog.GemeenteOf(code)
	l.OtherGemeente = codeGemeente != l.Gemeente
	return l
}

// samplePoints returns the centres of the cells of a regular grid over the
// bounds of mp that lie inside mp: about target points, at least one.
func samplePoints(mp orb.MultiPolygon, target int) []orb.Point {
	b := mp.Bound()
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	area := math.Abs(planar.Area(mp))
	n := 2
	if area > 0 {
		n = int(math.Ceil(math.Sqrt(float64(target) * w * h / area)))
	}
	n = min(max(n, 2), 64)
	var out []orb.Point
	for i := range n {
		for j := range n {
			p := orb.Point{b.Min[0] + (float64(i)+0.5)*w/float64(n), b.Min[1] + (float64(j)+0.5)*h/float64(n)}
			if planar.MultiPolygonContains(mp, p) {
				out = append(out, p)
			}
		}
	}
	if len(out) == 0 {
		out = append(out, interiorPoint(mp))
	}
	return out
}

// interiorPoint returns a point inside the largest polygon of mp: the
// middle of the widest stretch of a horizontal line through the middle of
// its bounds that lies inside it.
func interiorPoint(mp orb.MultiPolygon) orb.Point {
	largest, largestArea := mp[0], -1.0
	for _, p := range mp {
		if a := math.Abs(planar.Area(p)); a > largestArea {
			largest, largestArea = p, a
		}
	}
	b := largest.Bound()
	// Slightly off the middle, so that the line rarely passes through a
	// vertex exactly.
	y := b.Min[1] + 0.5003*(b.Max[1]-b.Min[1])
	var xs []float64
	for _, ring := range largest {
		for k := 1; k < len(ring); k++ {
			p, q := ring[k-1], ring[k]
			if (p[1] <= y) != (q[1] <= y) {
				xs = append(xs, p[0]+(y-p[1])*(q[0]-p[0])/(q[1]-p[1]))
			}
		}
	}
	slices.Sort(xs)
	best := orb.Point{largest[0][0][0], largest[0][0][1]}
	widest := -1.0
	for k := 0; k+1 < len(xs); k += 2 {
		if d := xs[k+1] - xs[k]; d > widest {
			best, widest = orb.Point{(xs[k] + xs[k+1]) / 2, y}, d
		}
	}
	return best
}
