package demo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/wijkkaart/wijkkaart/boundaries"
	"github.com/wijkkaart/wijkkaart/catalog"
)

// BuurtMatch says how a CBS buurt of 2019 was linked to a wijk of BaseYear.
type BuurtMatch string

// The ways a buurt is linked to a wijk.
const (
	// MatchCode: the wijk its 2019 code names (WK + characters 3–8 of the
	// buurt code) exists in BaseYear and holds at least half of the buurt.
	MatchCode BuurtMatch = "code"
	// MatchGeometry: the 2019 code names no wijk of BaseYear, or one that
	// holds less than half of the buurt; the buurt is linked to the wijk
	// of BaseYear that holds the largest share of it.
	MatchGeometry BuurtMatch = "geometry"
	// MatchNone: no wijk of BaseYear overlaps the buurt. It is left out of the
	// demo data.
	MatchNone BuurtMatch = "none"
)

// BuurtLink is the crosswalk entry of one CBS buurt of 2019: the wijk and
// gemeente of BaseYear it lies in, and how that was decided. MODEL.md explains
// the rule.
type BuurtLink struct {
	// Code is the buurt's CBS code of 2019, such as BU03440101.
	Code string
	// CodeWijk is the wijk the 2019 code names (BU03440101 → WK034401),
	// whether or not that wijk exists in BaseYear.
	CodeWijk string
	// Wijk and Gemeente are the wijk and gemeente of BaseYear the buurt lies
	// in; empty when Match is MatchNone.
	Wijk, Gemeente string
	// Match says how Wijk was found.
	Match BuurtMatch
	// Share is the estimated share of the buurt's area that lies in Wijk,
	// and CodeShare the share in CodeWijk (0 when CodeWijk is not a wijk
	// of BaseYear). Shares are counted on a grid of sample points over the
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
// BaseYear, sorted by code, in the same order as bounds, their WGS84 bounds.
func crosswalk(buurten []boundaries.Feature, wijken []boundaries.Feature, bounds []orb.Bound) []BuurtLink {
	index := make(map[string]int, len(wijken))
	for w, f := range wijken {
		index[f.Code] = w
	}
	links := make([]BuurtLink, len(buurten))
	var g sampleGrid
	counts := make(map[int]int)
	var candidates []int
	for i, b := range buurten {
		codeWijk := "WK" + b.Code[2:8]
		cw, hasCode := index[codeWijk]
		if !hasCode {
			cw = -1
		}
		g.sample(b.Geometry, samplesPerBuurt)
		clear(counts)
		left := len(g.x)
		if cw >= 0 {
			left -= g.claim(wijken[cw].Geometry, bounds[cw], cw, counts)
		}
		if left > 0 {
			candidates = overlapping(b.Geometry.Bound(), bounds, cw, candidates[:0])
		}
		for _, w := range candidates {
			if left == 0 {
				break
			}
			left -= g.claim(wijken[w].Geometry, bounds[w], w, counts)
		}
		candidates = candidates[:0]
		links[i] = decide(b.Code, codeWijk, cw, counts, len(g.x), wijken)
	}
	return links
}

// overlapping appends the wijken other than cw whose bounds intersect b,
// by code.
func overlapping(b orb.Bound, bounds []orb.Bound, cw int, out []int) []int {
	for w, wb := range bounds {
		if w != cw && wb.Min[0] <= b.Max[0] && wb.Max[0] >= b.Min[0] && wb.Min[1] <= b.Max[1] && wb.Max[1] >= b.Min[1] {
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
	// A code that names no gemeente cannot name the wijk's.
	codeGemeente, err := catalog.GemeenteOf(code)
	l.OtherGemeente = err != nil || codeGemeente != l.Gemeente
	return l
}

// sampleGrid holds the sample points of one buurt: the centres of the
// cells of a regular grid over its bounds that lie inside it, row by row
// (rows[r] is the first point of row r), and which wijk has claimed each.
type sampleGrid struct {
	x, y    []float64
	rows    []int
	claimed []bool
	xs      []float64 // scratch: crossings of one row
}

// sample fills the grid with about target points inside mp, at least one:
// an n×n grid over the bounds with n² ≈ target × bounds area / area, or an
// interior point when no cell centre lies inside.
func (g *sampleGrid) sample(mp orb.MultiPolygon, target int) {
	b := mp.Bound()
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	n := 2
	if area := math.Abs(planar.Area(mp)); area > 0 {
		n = int(math.Ceil(math.Sqrt(float64(target) * w * h / area)))
	}
	n = min(max(n, 2), 64)
	g.x, g.y, g.rows = g.x[:0], g.y[:0], g.rows[:0]
	for j := range n {
		y := b.Min[1] + (float64(j)+0.5)*h/float64(n)
		g.rows = append(g.rows, len(g.x))
		g.xs = crossings(mp, y, g.xs[:0])
		k := 0
		for i := range n {
			x := b.Min[0] + (float64(i)+0.5)*w/float64(n)
			for k < len(g.xs) && g.xs[k] < x {
				k++
			}
			if k%2 == 1 {
				g.x, g.y = append(g.x, x), append(g.y, y)
			}
		}
	}
	if len(g.x) == 0 {
		p := interiorPoint(mp)
		g.rows = append(g.rows[:0], 0)
		g.x, g.y = append(g.x, p[0]), append(g.y, p[1])
	}
	g.claimed = append(g.claimed[:0], make([]bool, len(g.x))...)
}

// claim gives the unclaimed sample points inside wijk w (geometry mp,
// bounds b) to it, counting them in counts, and returns how many it took.
func (g *sampleGrid) claim(mp orb.MultiPolygon, b orb.Bound, w int, counts map[int]int) int {
	taken := 0
	for r, start := range g.rows {
		end := len(g.x)
		if r+1 < len(g.rows) {
			end = g.rows[r+1]
		}
		if start == end || g.y[start] < b.Min[1] || g.y[start] > b.Max[1] {
			continue
		}
		g.xs = crossings(mp, g.y[start], g.xs[:0])
		k := 0
		for i := start; i < end; i++ {
			for k < len(g.xs) && g.xs[k] < g.x[i] {
				k++
			}
			if k%2 == 1 && !g.claimed[i] {
				g.claimed[i] = true
				counts[w]++
				taken++
			}
		}
	}
	return taken
}

// crossings appends to xs the x coordinates where the rings of mp cross
// the horizontal line at y, sorted. A point of the line lies inside mp when
// an odd number of crossings lie left of it (the even–odd rule).
func crossings(mp orb.MultiPolygon, y float64, xs []float64) []float64 {
	for _, poly := range mp {
		for _, ring := range poly {
			for k := 1; k < len(ring); k++ {
				p, q := ring[k-1], ring[k]
				if (p[1] <= y) != (q[1] <= y) {
					xs = append(xs, p[0]+(y-p[1])*(q[0]-p[0])/(q[1]-p[1]))
				}
			}
		}
	}
	slices.Sort(xs)
	return xs
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
	xs := crossings(orb.MultiPolygon{largest}, y, nil)
	best := orb.Point{largest[0][0][0], largest[0][0][1]}
	widest := -1.0
	for k := 0; k+1 < len(xs); k += 2 {
		if d := xs[k+1] - xs[k]; d > widest {
			best, widest = orb.Point{(xs[k] + xs[k+1]) / 2, y}, d
		}
	}
	return best
}
