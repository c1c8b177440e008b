package styles

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Method is a way of choosing class breaks. Its value is what the method=
// query parameter takes.
type Method string

// The classification methods.
const (
	// MethodCKMeans finds the optimal 1-D k-means clustering (Jenks natural
	// breaks) by dynamic programming (Wang & Song's Ckmeans.1d.dp,
	// O(k·n·log n)). It is the default.
	MethodCKMeans Method = "ckmeans"
	// MethodQuantile puts about as many areas in every class.
	MethodQuantile Method = "quantile"
	// MethodEqualInterval makes every class equally wide.
	MethodEqualInterval Method = "equal_interval"
	// MethodManual uses the breaks the user gives.
	MethodManual Method = "manual"
)

// DefaultMethod is the method used when none is asked for.
const DefaultMethod = MethodCKMeans

// The number of classes a user may ask for, and the default.
const (
	MinClasses     = 3
	MaxClasses     = 7
	DefaultClasses = 5
)

// Methods returns every classification method, the default first.
func Methods() []Method {
	return []Method{MethodCKMeans, MethodQuantile, MethodEqualInterval, MethodManual}
}

// ParseMethod returns the method named s, as given in the method= query
// parameter. An empty s means DefaultMethod.
func ParseMethod(s string) (Method, error) {
	if s == "" {
		return DefaultMethod, nil
	}
	names := make([]string, 0, 4)
	for _, m := range Methods() {
		if string(m) == s {
			return m, nil
		}
		names = append(names, string(m))
	}
	return "", fmt.Errorf("%w: unknown classification method %q (want one of %s)",
		ErrInvalid, s, strings.Join(names, ", "))
}

// ParseBreaks reads manual class breaks as given in the breaks= query
// parameter: numbers with a decimal point, separated by commas, such as
// "2.5,5,10". Classify checks their number and order.
func ParseBreaks(s string) ([]float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("%w: no breaks given", ErrInvalid)
	}
	fields := strings.Split(s, ",")
	out := make([]float64, len(fields))
	for i, f := range fields {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: break %d (%q) is not a number like 2.5", ErrInvalid, i+1, f)
		}
		out[i] = v
	}
	return out, nil
}

// Breaks are the bounds of the classes of a classification, ascending:
//
//	Breaks[0]            the smallest value (min)
//	Breaks[1..k-1]       the breaks between classes: Breaks[i] is the upper
//	                     bound of class i-1 and the lower bound of class i
//	Breaks[k]            the largest value (max)
//
// so k = len(Breaks)-1 is the number of classes. Class i holds the values v
// with Breaks[i] ≤ v < Breaks[i+1]; the last class also holds max. This is
// MapLibre's "step" expression, which takes the output of the largest stop
// ≤ its input, with Breaks[1..k-1] as stops.
//
// Breaks[0] < Breaks[1] < … < Breaks[k-1] ≤ Breaks[k]: the stops increase
// strictly, every class holds at least one value, and Breaks[k-1] equals
// Breaks[k] only when the last class holds the single value max (in
// particular when all values are equal: one class, Breaks = [v, v]). All
// breaks are multiples of 10^-decimals. No values give no breaks (nil).
type Breaks []float64

// Classes returns the number of classes.
func (b Breaks) Classes() int {
	if len(b) < 2 {
		return 0
	}
	return len(b) - 1
}

// Stops returns the breaks between classes, Breaks[1..k-1]: the stops of a
// MapLibre step expression.
func (b Breaks) Stops() []float64 {
	if len(b) < 2 {
		return nil
	}
	return slices.Clone(b[1 : len(b)-1])
}

// Class returns the index of the class v falls in, with step semantics:
// values below min fall in the first class, values above max in the last.
// It returns -1 when there are no classes.
func (b Breaks) Class(v float64) int {
	if b.Classes() == 0 {
		return -1
	}
	stops := b[1 : len(b)-1]
	return sort.Search(len(stops), func(i int) bool { return stops[i] > v })
}

// Classify chooses class breaks for values, which are first rounded to
// decimals (as they are shown). It asks for classes classes (MinClasses to
// MaxClasses) and returns fewer when the values have fewer distinct values,
// or when rounding or ties would leave a class empty. For MethodManual,
// classes is ignored: manual holds the 2 to 6 breaks between classes, which
// are rounded to decimals and must increase strictly; breaks that fall
// outside the values, or would leave a class empty, are dropped. Manual must
// be empty for the other methods. No values give no breaks and no error.
func Classify(values []float64, m Method, classes, decimals int, manual []float64) (Breaks, error) {
	manual, err := checkClassifyArgs(m, classes, decimals, manual)
	if err != nil {
		return nil, err
	}
	sorted, err := gridSorted(values, decimals)
	if err != nil || len(sorted) == 0 {
		return nil, err
	}
	if m == MethodManual {
		return normalize(sorted, manual), nil
	}
	k := min(classes, countDistinct(sorted))
	return normalize(sorted, candidates(sorted, m, k, decimals)), nil
}

// checkClassifyArgs validates the arguments of Classify and returns the
// manual breaks rounded to decimals.
func checkClassifyArgs(m Method, classes, decimals int, manual []float64) ([]float64, error) {
	if decimals < 0 || decimals > 6 {
		return nil, fmt.Errorf("styles: decimals %d out of range 0..6", decimals)
	}
	if _, err := ParseMethod(string(m)); err != nil || m == "" {
		return nil, fmt.Errorf("%w: unknown classification method %q", ErrInvalid, m)
	}
	if m != MethodManual {
		if len(manual) > 0 {
			return nil, fmt.Errorf("%w: breaks can only be given with method %s", ErrInvalid, MethodManual)
		}
		if classes < MinClasses || classes > MaxClasses {
			return nil, fmt.Errorf("%w: %d classes asked for, want %d to %d", ErrInvalid, classes, MinClasses, MaxClasses)
		}
		return nil, nil
	}
	if n := len(manual) + 1; n < MinClasses || n > MaxClasses {
		return nil, fmt.Errorf("%w: %d manual breaks make %d classes, want %d to %d classes (%d to %d breaks)",
			ErrInvalid, len(manual), n, MinClasses, MaxClasses, MinClasses-1, MaxClasses-1)
	}
	rounded := make([]float64, len(manual))
	for i, v := range manual {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: manual break %d is not a finite number", ErrInvalid, i+1)
		}
		rounded[i] = roundTo(v, decimals)
		if i > 0 && rounded[i] <= rounded[i-1] {
			return nil, fmt.Errorf("%w: manual breaks must increase, at %d decimals: break %d (%s) ≤ break %d (%s)",
				ErrInvalid, decimals, i+1, formatEN(rounded[i], decimals), i, formatEN(rounded[i-1], decimals))
		}
	}
	return rounded, nil
}

// gridSorted returns values rounded to decimals, ascending.
func gridSorted(values []float64, decimals int) ([]float64, error) {
	out := make([]float64, len(values))
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("styles: value %d is not a finite number", i)
		}
		out[i] = roundTo(v, decimals)
	}
	slices.Sort(out)
	return out, nil
}

// roundTo rounds v to a multiple of 10^-decimals, halves away from zero:
// exactly what the style's ["/", ["round", ["*", v, p]], p] computes.
func roundTo(v float64, decimals int) float64 {
	p := math.Pow10(decimals)
	return math.Round(v*p)/p + 0 // + 0 turns -0 into 0
}

func countDistinct(sorted []float64) int {
	n := 0
	for i, v := range sorted {
		if i == 0 || v != sorted[i-1] {
			n++
		}
	}
	return n
}

// candidates returns the breaks between k classes that method m proposes for
// the sorted, rounded values; normalize makes them valid. k is at most the
// number of distinct values.
func candidates(sorted []float64, m Method, k, decimals int) []float64 {
	switch m {
	case MethodQuantile:
		return quantileBreaks(sorted, k)
	case MethodEqualInterval:
		return equalIntervalBreaks(sorted, k, decimals)
	default:
		xs, ws := distinctWeighted(sorted)
		return newCKMeans(xs, ws, k).breaks(k)
	}
}

// quantileBreaks puts the break before class i at the value with rank
// i·n/k, or, when ties make that no higher than the previous break, at the
// next distinct value, so that ties do not cost classes.
func quantileBreaks(sorted []float64, k int) []float64 {
	n := len(sorted)
	out := make([]float64, 0, k-1)
	prev := sorted[0]
	for i := 1; i < k; i++ {
		b := sorted[i*n/k]
		if b <= prev {
			j := sort.Search(n, func(j int) bool { return sorted[j] > prev })
			if j == n {
				break
			}
			b = sorted[j]
		}
		out = append(out, b)
		prev = b
	}
	return out
}

// equalIntervalBreaks divides [min, max] into k equally wide classes, with
// the breaks rounded to decimals.
func equalIntervalBreaks(sorted []float64, k, decimals int) []float64 {
	lo, hi := sorted[0], sorted[len(sorted)-1]
	width := (hi - lo) / float64(k)
	out := make([]float64, 0, k-1)
	for i := 1; i < k; i++ {
		out = append(out, roundTo(lo+float64(i)*width, decimals))
	}
	return out
}

// distinctWeighted returns the distinct values of sorted and how often each
// occurs.
func distinctWeighted(sorted []float64) (xs, ws []float64) {
	for i, v := range sorted {
		if i == 0 || v != sorted[i-1] {
			xs = append(xs, v)
			ws = append(ws, 0)
		}
		ws[len(ws)-1]++
	}
	return xs, ws
}

// normalize turns candidate breaks (ascending) into Breaks over the sorted
// values: it drops candidates at or below min or above max, and candidates
// that would leave the class below them empty (merging that class into the
// next), so that the result keeps the guarantees documented on Breaks.
func normalize(sorted, cands []float64) Breaks {
	lo, hi := sorted[0], sorted[len(sorted)-1]
	out := Breaks{lo}
	lower := lo
	for _, b := range cands {
		if b <= lower || b > hi {
			continue
		}
		// The class [lower, b) holds a value if the first value ≥ lower
		// lies below b.
		first := sort.SearchFloat64s(sorted, lower)
		if sorted[first] >= b {
			continue
		}
		out = append(out, b)
		lower = b
	}
	return append(out, hi)
}
