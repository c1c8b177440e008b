package store

import (
	"cmp"
	"slices"

	"github.com/wijkkaart/wijkkaart/catalog"
)

// BoundaryYear says which boundary year the values of one level in one
// value year are on. CBS redraws wijken and buurten and merges gemeenten
// every year, and a boundary file does not exist for every year: a value
// year without its own boundaries is shown on the nearest boundary year
// that has them (see NearestBoundaryYear), and every answer says which.
type BoundaryYear struct {
	Level catalog.Level
	// Year is the value year.
	Year int
	// Boundary is the year of the areas the values are on.
	Boundary int
}

// NearestBoundaryYear returns the boundary year of available closest to
// the value year year; of two as close, the later one, whose areas nest in
// the coarser levels of the years after it (CBS's gemeente merges take
// effect on 1 January, and its wijk and buurt files follow them). It
// returns false when available is empty.
func NearestBoundaryYear(year int, available []int) (int, bool) {
	best, found := 0, false
	for _, b := range available {
		d, bestD := abs(b-year), abs(best-year)
		if !found || d < bestD || (d == bestD && b > best) {
			best, found = b, true
		}
	}
	return best, found
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// Relation says what became of an area of one boundary year in the next
// boundary year of its level.
type Relation string

// The relations of an area to the areas of a later boundary year.
const (
	// Same is the same area: the same code and name, and the same extent
	// within the tolerance.
	Same Relation = "same"
	// Renamed is the same extent under another code or name.
	Renamed Relation = "renamed"
	// Merged is an area that became part of a larger one, with others.
	Merged Relation = "merged"
	// Split is an area divided over several later areas that each lie
	// within it.
	Split Relation = "split"
	// Redrawn is any other change of extent: a border moved, or parts
	// went to different neighbours.
	Redrawn Relation = "redrawn"
	// Gone is an area no later area covers.
	Gone Relation = "gone"
)

// Comparable reports whether a figure of the area in the earlier year can
// be compared with one of its successor: only when it is the same extent,
// whatever its code or name.
func (r Relation) Comparable() bool { return r == Same || r == Renamed }

// NotComparable is the status of a figure set beside one of another year
// (a time series, a change map) when its area is not the same extent in
// both years' boundaries. It is never the status of a published value.
const NotComparable Status = "not_comparable"

// Valid reports whether r is one of the relations above.
func (r Relation) Valid() bool {
	switch r {
	case Same, Renamed, Merged, Split, Redrawn, Gone:
		return true
	}
	return false
}

// Successor is an area of the later year that covers part of an earlier
// area.
type Successor struct {
	Code string `json:"code"`
	// Share is the part of the earlier area that lies in this one, 0–1.
	Share float64 `json:"share"`
	// Covers is the part of this one that the earlier area covers, 0–1.
	Covers float64 `json:"covers"`
}

// Lineage is what became of one area of boundary year From in boundary
// year To, the next boundary year of its level.
type Lineage struct {
	Level    catalog.Level
	From, To int
	Code     string
	Relation Relation
	// Successors are the later areas that cover more than the tolerance
	// of it, or that it covers more than the tolerance of, largest share
	// first.
	Successors []Successor
}

// SameAreas follows lineage from boundary year from to boundary year to
// (either may be the later one) through every boundary year of level in
// between, and returns, for each area of year to that is the same extent
// as an area of year from, that area's code: to-code → from-code. Only
// chains of Same and Renamed links count; an area merged, split, redrawn
// or new on the way has no entry. When from equals to, every area is
// itself, and the result is nil: callers compare codes directly.
func SameAreas(lineage []Lineage, level catalog.Level, from, to int) map[string]string {
	if from == to {
		return nil
	}
	lo, hi := min(from, to), max(from, to)
	var steps []Lineage
	for _, l := range lineage {
		if l.Level == level && l.From >= lo && l.To <= hi {
			steps = append(steps, l)
		}
	}
	slices.SortFunc(steps, func(a, b Lineage) int { return cmp.Compare(a.From, b.From) })
	// chain maps a code of the year reached so far to its code in lo.
	chain := make(map[string]string)
	first, reached := true, lo
	for i := 0; i < len(steps); {
		year := steps[i].From
		if year != reached {
			return map[string]string{} // a boundary year in between has no lineage
		}
		reached = steps[i].To
		next := make(map[string]string)
		for ; i < len(steps) && steps[i].From == year; i++ {
			l := steps[i]
			origin, ok := l.Code, true
			if !first {
				origin, ok = chain[l.Code]
			}
			if ok && l.Relation.Comparable() && len(l.Successors) > 0 {
				next[l.Successors[0].Code] = origin
			}
		}
		chain, first = next, false
	}
	if first || reached != hi {
		return map[string]string{} // no lineage links the two years
	}
	if to > from {
		return chain
	}
	reversed := make(map[string]string, len(chain))
	for later, earlier := range chain {
		reversed[earlier] = later
	}
	return reversed
}

// Unions returns the groups of areas of level in boundary year boundary
// that another boundary year has as one area: those that merged into one
// area of the next boundary year, and the parts one area of the previous
// boundary year split into. Their sum is published there, of another
// year: of other people, but small counts change little from one year to
// the next, so disclosure control treats each union as a known total
// (see disclosure.Links). Each union has two areas or more; codes are
// sorted, and so are the unions.
func Unions(lineage []Lineage, level catalog.Level, boundary int) [][]string {
	groups := make(map[string][]string)
	for _, l := range lineage {
		switch {
		case l.Level != level:
		case l.From == boundary && l.Relation == Merged && len(l.Successors) > 0:
			into := "merged into " + l.Successors[0].Code
			groups[into] = append(groups[into], l.Code)
		case l.To == boundary && l.Relation == Split:
			for _, s := range l.Successors {
				from := "split from " + l.Code
				groups[from] = append(groups[from], s.Code)
			}
		}
	}
	var out [][]string
	for _, codes := range groups {
		if len(codes) >= 2 {
			slices.Sort(codes)
			out = append(out, codes)
		}
	}
	slices.SortFunc(out, slices.Compare)
	return out
}
