package styles

import (
	"fmt"
	"math"
	"sort"
)

// classifyAround classifies values for a diverging legend around the
// reference ref (rounded to decimals like the values). The values below ref
// and those at or above it are classified separately, with at most
// MaxClassesPerSide classes on each side and at most classes in all, and
// ref becomes the break between the two sides when it lies above min and
// at or below max. A value equal to ref thus falls in the class that starts
// at ref (step semantics). When all values lie on one side of ref, all
// classes lie on that side.
//
// With MethodCKMeans the split of classes over the sides minimises the
// total within-class sum of squares (the optimal clustering that has a
// break at ref); quantile splits them by the number of values on each side,
// equal interval by the width of each side. Manual breaks are used on the
// side they lie on; more than MaxClassesPerSide classes on a side is an
// error.
func classifyAround(values []float64, m Method, classes, decimals int, manual []float64, ref float64) (Breaks, error) {
	manual, err := checkClassifyArgs(m, classes, decimals, manual)
	if err != nil {
		return nil, err
	}
	if math.IsNaN(ref) || math.IsInf(ref, 0) {
		return nil, fmt.Errorf("styles: reference value is not a finite number")
	}
	sorted, err := gridSorted(values, decimals)
	if err != nil || len(sorted) == 0 {
		return nil, err
	}
	r := roundTo(ref, decimals)
	cut := sort.SearchFloat64s(sorted, r)
	low, high := newSide(sorted[:cut], m), newSide(sorted[cut:], m)
	if m == MethodManual {
		return manualAround(low, high, manual, r)
	}
	a, b := allocateClasses(m, low, high, classes, r)
	return joinSides(low.breaks(m, a, decimals), high.breaks(m, b, decimals), r), nil
}

// side is the values on one side of the reference.
type side struct {
	sorted []float64
	// maxClasses is the most classes the side can have.
	maxClasses int
	// km is the ckmeans table of the side, for MethodCKMeans.
	km *ckmeans
}

func newSide(sorted []float64, m Method) side {
	s := side{sorted: sorted, maxClasses: min(MaxClassesPerSide, countDistinct(sorted))}
	if m == MethodCKMeans && s.maxClasses > 0 {
		xs, ws := distinctWeighted(sorted)
		s.km = newCKMeans(xs, ws, s.maxClasses)
	}
	return s
}

// breaks classifies the side into k classes; k == 0 gives nil.
func (s side) breaks(m Method, k, decimals int) Breaks {
	if k == 0 {
		return nil
	}
	if s.km != nil {
		return normalize(s.sorted, s.km.breaks(k))
	}
	return normalize(s.sorted, candidates(s.sorted, m, k, decimals))
}

// allocateClasses splits the classes over the two sides: as many as asked
// for and the sides allow, at least one on each side that has values.
func allocateClasses(m Method, low, high side, classes int, r float64) (a, b int) {
	total := min(classes, low.maxClasses+high.maxClasses)
	switch {
	case low.maxClasses == 0:
		return 0, total
	case high.maxClasses == 0:
		return total, 0
	}
	lo, hi := max(1, total-high.maxClasses), min(low.maxClasses, total-1)
	if m == MethodCKMeans {
		best := math.Inf(1)
		for n := lo; n <= hi; n++ {
			if c := low.km.totalCost(n) + high.km.totalCost(total-n); c < best {
				best, a = c, n
			}
		}
		return a, total - a
	}
	var share float64
	if m == MethodQuantile {
		share = float64(len(low.sorted)) / float64(len(low.sorted)+len(high.sorted))
	} else {
		share = (r - low.sorted[0]) / (high.sorted[len(high.sorted)-1] - low.sorted[0])
	}
	a = min(hi, max(lo, int(math.Round(share*float64(total)))))
	return a, total - a
}

// manualAround uses the manual breaks on the side of r they lie on.
func manualAround(low, high side, manual []float64, r float64) (Breaks, error) {
	var lowBreaks, highBreaks Breaks
	if len(low.sorted) > 0 {
		lowBreaks = normalize(low.sorted, manual)
	}
	if len(high.sorted) > 0 {
		highBreaks = normalize(high.sorted, manual)
	}
	if n := lowBreaks.Classes(); n > MaxClassesPerSide {
		return nil, fmt.Errorf("%w: the manual breaks make %d classes below the Nederland value %v; a diverging legend has at most %d on each side",
			ErrInvalid, n, r, MaxClassesPerSide)
	}
	if n := highBreaks.Classes(); n > MaxClassesPerSide {
		return nil, fmt.Errorf("%w: the manual breaks make %d classes at or above the Nederland value %v; a diverging legend has at most %d on each side",
			ErrInvalid, n, r, MaxClassesPerSide)
	}
	return joinSides(lowBreaks, highBreaks, r), nil
}

// joinSides joins the breaks of the values below r and of those at or above
// it, with r as the break between them.
func joinSides(low, high Breaks, r float64) Breaks {
	switch {
	case low == nil:
		return high
	case high == nil:
		return low
	}
	out := make(Breaks, 0, len(low)+len(high))
	out = append(out, low[:len(low)-1]...)
	out = append(out, r)
	return append(out, high[1:]...)
}

// classesBelow returns how many classes of b lie below r.
func classesBelow(b Breaks, r float64) int {
	n := 0
	for i := range b.Classes() {
		if b[i] < r {
			n++
		}
	}
	return n
}
