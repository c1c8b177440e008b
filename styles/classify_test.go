package styles

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestCKMeansKnownAnswers(t *testing.T) {
	example := []float64{1, 2, 4, 5, 12, 43, 52, 123, 234, 1244}
	tests := []struct {
		name    string
		values  []float64
		classes int
		want    Breaks
	}{
		// simple-statistics' ckmeans test: 6 clusters start at
		// [1, 12, 43, 123, 234, 1244].
		{"simple-statistics 6 classes", example, 6, Breaks{1, 12, 43, 123, 234, 1244, 1244}},
		// Ckmeans clusters of the same data in 5 classes have maxima
		// [12, 52, 123, 234, 1244] (d3-scale-cluster, Our World in Data).
		{"5 classes", example, 5, Breaks{1, 43, 123, 234, 1244, 1244}},
		// In 3 classes the outlier 1244 stays alone: [1..52] [123, 234]
		// [1244] has a within-class sum of squares of 8880.5, less than
		// any other split (e.g. 510,124.8 for [1..12] [43..123] [234,
		// 1244]).
		{"3 classes", example, 3, Breaks{1, 123, 1244, 1244}},
		{"two clear groups", []float64{1, 1.1, 1.2, 9, 9.1, 9.2, 20}, 3, Breaks{1, 9, 20, 20}},
		{"unsorted input", []float64{9.2, 1, 20, 9, 1.2, 9.1, 1.1}, 3, Breaks{1, 9, 20, 20}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Classify(tt.values, MethodCKMeans, tt.classes, 1, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("breaks = %v, want %v", got, tt.want)
			}
		})
	}
}

// bruteForceSSQ is the O(k·n²) textbook dynamic programme: the least
// within-class sum of squares of sorted xs in k classes.
func bruteForceSSQ(xs []float64, k int) float64 {
	n := len(xs)
	ssq := func(j, i int) float64 {
		var s, s2 float64
		for _, x := range xs[j : i+1] {
			s += x
			s2 += x * x
		}
		return s2 - s*s/float64(i-j+1)
	}
	prev := make([]float64, n)
	for i := range n {
		prev[i] = ssq(0, i)
	}
	for q := 1; q < k; q++ {
		cur := make([]float64, n)
		for i := range n {
			cur[i] = math.Inf(1)
			for j := max(q, 1); j <= i; j++ {
				cur[i] = math.Min(cur[i], prev[j-1]+ssq(j, i))
			}
		}
		prev = cur
	}
	return prev[n-1]
}

func classSSQ(sorted []float64, b Breaks) float64 {
	groups := make(map[int][]float64)
	for _, v := range sorted {
		groups[b.Class(v)] = append(groups[b.Class(v)], v)
	}
	var total float64
	for _, g := range groups {
		var mean float64
		for _, v := range g {
			mean += v
		}
		mean /= float64(len(g))
		for _, v := range g {
			total += (v - mean) * (v - mean)
		}
	}
	return total
}

func TestCKMeansIsOptimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 5 + rng.IntN(60)
		values := make([]float64, n)
		for i := range values {
			// Skewed integers with ties, like counts and percentages.
			values[i] = math.Round(math.Exp(rng.Float64() * 5))
		}
		sorted, err := gridSorted(values, 0)
		if err != nil {
			t.Fatal(err)
		}
		k := min(MinClasses+rng.IntN(MaxClasses-MinClasses+1), countDistinct(sorted))
		got, err := Classify(values, MethodCKMeans, k, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got.Classes() != k {
			t.Fatalf("trial %d: %d classes, want %d (%v)", trial, got.Classes(), k, sorted)
		}
		want := bruteForceSSQ(sorted, k)
		if ssq := classSSQ(sorted, got); math.Abs(ssq-want) > 1e-6*math.Max(1, want) {
			t.Fatalf("trial %d: sum of squares %v, optimum %v (values %v, breaks %v)", trial, ssq, want, sorted, got)
		}
	}
}

func TestClassifyMethods(t *testing.T) {
	tests := []struct {
		name     string
		values   []float64
		method   Method
		classes  int
		decimals int
		manual   []float64
		want     Breaks
	}{
		{"quantile", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9}, MethodQuantile, 3, 0, nil, Breaks{1, 4, 7, 9}},
		{"quantile with ties keeps classes", []float64{1, 1, 1, 1, 2, 3}, MethodQuantile, 3, 0, nil, Breaks{1, 2, 3, 3}},
		{"equal interval", []float64{0, 1, 3, 5, 7, 9, 10}, MethodEqualInterval, 5, 0, nil, Breaks{0, 2, 4, 6, 8, 10}},
		{"equal interval rounds breaks", []float64{0, 0.5, 1}, MethodEqualInterval, 3, 1, nil, Breaks{0, 0.3, 0.7, 1}},
		// Four distinct values make four classes of 2.5; the empty middle
		// ones merge into the class above them.
		{"equal interval drops empty classes", []float64{0, 0.1, 9.9, 10}, MethodEqualInterval, 5, 1, nil, Breaks{0, 2.5, 10}},
		{"manual", []float64{1, 5, 9, 15}, MethodManual, 0, 0, []float64{4, 8, 12}, Breaks{1, 4, 8, 12, 15}},
		{"manual breaks outside the values are dropped", []float64{5, 6, 7}, MethodManual, 0, 0, []float64{1, 6, 100}, Breaks{5, 6, 7}},
		{"manual breaks are rounded", []float64{1, 2, 3, 4}, MethodManual, 0, 0, []float64{1.6, 2.7}, Breaks{1, 2, 3, 4}},
		{"fewer distinct values than classes", []float64{3, 3, 5, 5, 5}, MethodCKMeans, 5, 0, nil, Breaks{3, 5, 5}},
		{"all values equal", []float64{4.2, 4.2, 4.2}, MethodCKMeans, 5, 1, nil, Breaks{4.2, 4.2}},
		{"one value", []float64{7}, MethodQuantile, 3, 0, nil, Breaks{7, 7}},
		{"no values", nil, MethodCKMeans, 5, 1, nil, nil},
		{"values are rounded first", []float64{1.04, 0.96, 2.02, 1.98}, MethodCKMeans, 3, 1, nil, Breaks{1, 2, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Classify(tt.values, tt.method, tt.classes, tt.decimals, tt.manual)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("breaks = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestClassifyErrors(t *testing.T) {
	values := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	tests := []struct {
		name    string
		values  []float64
		method  Method
		classes int
		manual  []float64
		invalid bool // a request error, wrapping ErrInvalid
	}{
		{"too few classes", values, MethodCKMeans, 2, nil, true},
		{"too many classes", values, MethodQuantile, 8, nil, true},
		{"too few classes without values", nil, MethodCKMeans, 1, nil, true},
		{"unknown method", values, "jenks", 5, nil, true},
		{"breaks without manual", values, MethodQuantile, 5, []float64{2, 4}, true},
		{"too few manual breaks", values, MethodManual, 0, []float64{2}, true},
		{"too many manual breaks", values, MethodManual, 0, []float64{1, 2, 3, 4, 5, 6, 7}, true},
		{"manual breaks out of order", values, MethodManual, 0, []float64{4, 2}, true},
		{"manual breaks equal after rounding", values, MethodManual, 0, []float64{2.01, 2.04}, true},
		{"manual break not finite", values, MethodManual, 0, []float64{2, math.Inf(1)}, true},
		{"value not finite", []float64{1, math.NaN()}, MethodCKMeans, 5, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Classify(tt.values, tt.method, tt.classes, 1, tt.manual)
			if err == nil {
				t.Fatal("no error")
			}
			if errors.Is(err, ErrInvalid) != tt.invalid {
				t.Errorf("errors.Is(%v, ErrInvalid) = %v, want %v", err, !tt.invalid, tt.invalid)
			}
		})
	}
}

// TestClassifyInvariants checks the guarantees documented on Breaks for
// random data, methods, class counts and decimals.
func TestClassifyInvariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	methods := []Method{MethodCKMeans, MethodQuantile, MethodEqualInterval}
	for trial := range 500 {
		values := make([]float64, 1+rng.IntN(80))
		spread := math.Pow(10, float64(rng.IntN(4)-1))
		for i := range values {
			values[i] = rng.NormFloat64() * spread
		}
		m := methods[rng.IntN(len(methods))]
		classes := MinClasses + rng.IntN(MaxClasses-MinClasses+1)
		decimals := rng.IntN(3)
		b, err := Classify(values, m, classes, decimals, nil)
		if err != nil {
			t.Fatal(err)
		}
		checkBreaks(t, b, values, classes, decimals)
		if t.Failed() {
			t.Fatalf("trial %d: method %s, %d classes, %d decimals, values %v: breaks %v", trial, m, classes, decimals, values, b)
		}
	}
}

func checkBreaks(t *testing.T, b Breaks, values []float64, classes, decimals int) {
	t.Helper()
	sorted, err := gridSorted(values, decimals)
	if err != nil {
		t.Fatal(err)
	}
	if b.Classes() < 1 || b.Classes() > min(classes, countDistinct(sorted)) {
		t.Errorf("%d classes, want 1 to %d", b.Classes(), min(classes, countDistinct(sorted)))
		return
	}
	if b[0] != sorted[0] || b[len(b)-1] != sorted[len(sorted)-1] {
		t.Errorf("breaks do not start at min and end at max")
	}
	for i := 1; i < len(b)-1; i++ {
		if b[i] <= b[i-1] {
			t.Errorf("break %d (%v) not above break %d (%v)", i, b[i], i-1, b[i-1])
		}
	}
	for i, v := range b {
		if roundTo(v, decimals) != v {
			t.Errorf("break %d (%v) not rounded to %d decimals", i, v, decimals)
		}
	}
	counts := make([]int, b.Classes())
	for _, v := range sorted {
		counts[b.Class(v)]++
	}
	if slices.Contains(counts, 0) {
		t.Errorf("empty class: counts %v", counts)
	}
}

func TestRoundingNeverCollapsesClasses(t *testing.T) {
	tests := []struct {
		name     string
		values   []float64
		method   Method
		decimals int
	}{
		{"values closer than the decimals", []float64{1.01, 1.02, 1.04, 1.06, 5.0, 5.01, 9.0}, MethodCKMeans, 0},
		{"equal interval narrower than the decimals", []float64{0, 0.01, 0.02, 0.03, 0.04}, MethodEqualInterval, 1},
		{"quantile over rounded ties", []float64{2.04, 2.01, 1.96, 2.03, 2.6, 2.61, 2.64}, MethodQuantile, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Classify(tt.values, tt.method, MaxClasses, tt.decimals, nil)
			if err != nil {
				t.Fatal(err)
			}
			checkBreaks(t, b, tt.values, MaxClasses, tt.decimals)
		})
	}
}

func TestBreaksClassFollowsStep(t *testing.T) {
	b := Breaks{1, 4, 8, 8}
	tests := []struct {
		v    float64
		want int
	}{{0, 0}, {1, 0}, {3.9, 0}, {4, 1}, {7.9, 1}, {8, 2}, {9, 2}}
	for _, tt := range tests {
		if got := b.Class(tt.v); got != tt.want {
			t.Errorf("Class(%v) = %d, want %d", tt.v, got, tt.want)
		}
	}
	if got := b.Stops(); !slices.Equal(got, []float64{4, 8}) {
		t.Errorf("Stops() = %v", got)
	}
	if got := Breaks(nil).Class(3); got != -1 {
		t.Errorf("Class without classes = %d, want -1", got)
	}
}

func TestParseMethod(t *testing.T) {
	tests := []struct {
		in      string
		want    Method
		wantErr bool
	}{
		{"", MethodCKMeans, false},
		{"ckmeans", MethodCKMeans, false},
		{"quantile", MethodQuantile, false},
		{"equal_interval", MethodEqualInterval, false},
		{"manual", MethodManual, false},
		{"jenks", "", true},
		{"Quantile", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseMethod(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ParseMethod(%q) = %q, %v", tt.in, got, err)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
		})
	}
}

func TestParseBreaks(t *testing.T) {
	tests := []struct {
		in      string
		want    []float64
		wantErr bool
	}{
		{"2.5,5,10", []float64{2.5, 5, 10}, false},
		{" 1 , -2.5 ", []float64{1, -2.5}, false},
		{"", nil, true},
		{"1,,2", nil, true},
		{"2,5;3", nil, true},
		{"NaN,1", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseBreaks(tt.in)
			if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
				t.Errorf("ParseBreaks(%q) = %v, %v", tt.in, got, err)
			}
		})
	}
}
