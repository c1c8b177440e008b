package disclosure

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// The group layout of a synthetic table: every area has these cells, in
// this order.
const (
	gTotaal = iota
	gGeen
	gEuropaBuitenland // five-way split
	gEuropaNederland
	gBuitenBuitenland
	gBuitenNederland
	gCountries // the twenty-way split's 19 countries start here
)

const (
	nEurope    = 5  // Bulgarije, Polen, Roemenie, Oekraine, Overig Europa
	nCountries = 19 // the twenty-way split without geen migratieachtergrond
	// gEuropa and gBuiten are the auxiliary sums of both generations.
	gEuropa = gCountries + nCountries
	gBuiten = gEuropa + 1
	nGroups = gBuiten + 1
)

// share is a country's share of the population and the share of its
// people born abroad.
type share struct{ share, abroad float64 }

// countryShares returns each country's shares, roughly as in the
// Netherlands.
func countryShares() [nCountries]share {
	return [nCountries]share{
		{0.005, 0.85}, {0.020, 0.80}, {0.006, 0.85}, {0.006, 0.90}, {0.063, 0.40}, // Europe
		{0.027, 0.45}, {0.026, 0.40}, {0.023, 0.45}, {0.018, 0.25}, {0.010, 0.55},
		{0.003, 0.70}, {0.004, 0.70}, {0.002, 0.60}, {0.0015, 0.80}, {0.008, 0.80},
		{0.003, 0.70}, {0.014, 0.60}, {0.017, 0.60}, {0.023, 0.65},
	}
}

// synthTable is a table shaped like the real one: Nederland, gemeenten,
// wijken and optionally buurten, each with nGroups cells.
type synthTable struct {
	cells []Cell
	rels  []Relation
	// children lists each area's sub-areas; area 0 is Nederland.
	children [][]int
}

// newSynthTable draws a table of gemeenten with about wijkenPer wijken
// each (and about buurtenPer buurten per wijk when buurtenPer > 0) from a
// seeded generator, so it is the same every run.
func newSynthTable(seed uint64, gemeenten, wijkenPer, buurtenPer int) *synthTable {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	t := &synthTable{children: [][]int{nil}}
	counts := [][nGroups]int{{}}
	var addArea func(parent, depth int, mig float64) int
	addArea = func(parent, depth int, mig float64) int {
		id := len(t.children)
		t.children = append(t.children, nil)
		counts = append(counts, [nGroups]int{})
		t.children[parent] = append(t.children[parent], id)
		mig *= math.Exp(0.5 * rng.NormFloat64())
		switch n := 0; {
		case depth == 1:
			n = 1 + poisson(rng, float64(wijkenPer-1))
			if rng.Float64() < 0.05 {
				n = 1 // Best, Doesburg: one wijk for the whole gemeente
			}
			for range n {
				addArea(id, 2, mig)
			}
		case depth == 2 && buurtenPer > 0:
			for range 1 + poisson(rng, float64(buurtenPer-1)) {
				addArea(id, 3, mig)
			}
		default:
			size := 1500.0
			if buurtenPer > 0 {
				size /= float64(buurtenPer)
			}
			counts[id] = drawLeaf(rng, size*math.Exp(rng.NormFloat64()), mig)
		}
		return id
	}
	for range gemeenten {
		addArea(0, 1, math.Exp(0.6*rng.NormFloat64()))
	}
	t.sumUp(0, counts)
	t.build(counts)
	return t
}

// drawLeaf draws the counts of one leaf area of about size people.
func drawLeaf(rng *rand.Rand, size, mig float64) [nGroups]int {
	var c [nGroups]int
	var migrants int
	for i, cs := range countryShares() {
		n := poisson(rng, size*cs.share*mig*math.Exp(0.5*rng.NormFloat64()))
		abroad := binomial(rng, n, cs.abroad)
		c[gCountries+i] = n
		migrants += n
		europe := i < nEurope
		c[pick(europe, gEuropaBuitenland, gBuitenBuitenland)] += abroad
		c[pick(europe, gEuropaNederland, gBuitenNederland)] += n - abroad
		c[pick(europe, gEuropa, gBuiten)] += n
	}
	c[gGeen] = max(0, int(size)-migrants)
	c[gTotaal] = c[gGeen] + migrants
	return c
}

func pick(cond bool, a, b int) int {
	if cond {
		return a
	}
	return b
}

func (t *synthTable) sumUp(area int, counts [][nGroups]int) {
	if len(t.children[area]) == 0 {
		return
	}
	for _, ch := range t.children[area] {
		t.sumUp(ch, counts)
		for g := range nGroups {
			counts[area][g] += counts[ch][g]
		}
	}
}

func (t *synthTable) cell(area, group int) int { return area*nGroups + group }

func (t *synthTable) build(counts [][nGroups]int) {
	for a, cs := range counts {
		for g, n := range cs {
			t.cells = append(t.cells, Cell{
				Observations: n, Weight: float64(n), Auxiliary: g == gEuropa || g == gBuiten,
			})
		}
		t.rels = append(t.rels, groupRelations(t.cell(a, 0))...)
		for g := range nGroups {
			if len(t.children[a]) > 0 {
				r := Relation{Total: t.cell(a, g)}
				for _, ch := range t.children[a] {
					r.Parts = append(r.Parts, t.cell(ch, g))
				}
				t.rels = append(t.rels, r)
			}
		}
	}
}

// groupRelations returns the relations between the groups of the area
// whose first cell is base.
func groupRelations(base int) []Relation {
	span := func(from, n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = base + from + i
		}
		return out
	}
	return []Relation{
		{Total: base + gTotaal, Parts: span(gGeen, 5)},
		{Total: base + gTotaal, Parts: append([]int{base + gGeen}, span(gCountries, nCountries)...)},
		{Total: base + gEuropa, Parts: span(gEuropaBuitenland, 2)},
		{Total: base + gEuropa, Parts: span(gCountries, nEurope)},
		{Total: base + gBuiten, Parts: span(gBuitenBuitenland, 2)},
		{Total: base + gBuiten, Parts: span(gCountries+nEurope, nCountries-nEurope)},
	}
}

func poisson(rng *rand.Rand, mean float64) int {
	if mean <= 0 {
		return 0
	}
	if mean > 50 {
		return max(0, int(math.Round(mean+math.Sqrt(mean)*rng.NormFloat64())))
	}
	l, k, p := math.Exp(-mean), 0, rng.Float64()
	for p > l {
		k++
		p *= rng.Float64()
	}
	return k
}

func binomial(rng *rand.Rand, n int, p float64) int {
	if n > 50 {
		sd := math.Sqrt(float64(n) * p * (1 - p))
		return min(n, max(0, int(math.Round(float64(n)*p+sd*rng.NormFloat64()))))
	}
	k := 0
	for range n {
		if rng.Float64() < p {
			k++
		}
	}
	return k
}

// cellsOf returns cells with the given observations, each weighing its
// observations.
func cellsOf(obs ...int) []Cell {
	out := make([]Cell, len(obs))
	for i, n := range obs {
		out[i] = Cell{Observations: n, Weight: float64(n)}
	}
	return out
}

// reasonsOf turns a string of letters into reasons: p publishable, P
// primary, c complementary, a auxiliary.
func reasonsOf(s string) []Reason {
	m := map[rune]Reason{'p': Publishable, 'P': Primary, 'c': Complementary, 'a': Auxiliary}
	var out []Reason
	for _, r := range s {
		out = append(out, m[r])
	}
	return out
}

func TestProtectLosesLittle(t *testing.T) {
	gemeente := []Relation{{Total: 0, Parts: []int{1, 2, 3, 4}}}
	five := []Relation{{Total: 0, Parts: []int{1, 2, 3, 4, 5}}} // totaal = five-way split
	tests := []struct {
		name  string
		cells []Cell
		rels  []Relation
		want  string
	}{
		{"nothing small: all published", cellsOf(472, 120, 40, 12, 300), gemeente, "ppppp"},
		{"one small wijk: only the smallest other wijk follows", cellsOf(472, 120, 7, 45, 300), gemeente, "ppPcp"},
		{"two small wijken protect each other", cellsOf(322, 7, 5, 10, 300), gemeente, "pPPpp"},
		{"equal weights: the lowest index follows", cellsOf(92, 7, 20, 20, 45), gemeente, "pPcpp"},
		{"one small group: the smallest other group follows, not totaal", cellsOf(500, 300, 8, 60, 70, 62), five, "ppPcpp"},
		{"zero people of a group is a small count like any other", cellsOf(500, 308, 0, 60, 70, 62), five, "ppPcpp"},
		{"a small gemeente hides all its wijken, nothing more", cellsOf(9, 2, 3, 4, 0), gemeente, "PPPPP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Protect(tt.cells, tt.rels, DefaultMinObservations)
			if want := reasonsOf(tt.want); !slices.Equal(got, want) {
				t.Errorf("Protect = %v, want %v", got, want)
			}
		})
	}
}

func TestProtectCellsWithUnknownObservations(t *testing.T) {
	tests := []struct {
		name        string
		cells       []Cell
		want        string
		recoverable []int
	}{
		{
			// The gemeente and the lightest wijk are CBS figures: a
			// wijk of our own follows instead.
			name:  "never suppressed, even when lightest",
			cells: []Cell{{Observations: -1, Weight: 500}, {5, 5, false}, {-1, 1, false}, {40, 40, false}, {455, 455, false}},
			want:  "pPpcp",
		},
		{
			// Nothing this table may hide protects the small wijk: its
			// value follows from CBS figures alone. Protect leaves it,
			// and Recoverable says so.
			name:        "a cell they give away stays recoverable",
			cells:       []Cell{{Observations: -1, Weight: 500}, {5, 5, false}, {-1, 1, false}, {-1, 40, false}, {-1, 455, false}},
			want:        "pPppp",
			recoverable: []int{1},
		},
	}
	rels := []Relation{{Total: 0, Parts: []int{1, 2, 3, 4}}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Protect(tt.cells, rels, DefaultMinObservations)
			if want := reasonsOf(tt.want); !slices.Equal(got, want) {
				t.Errorf("Protect = %v, want %v", got, want)
			}
			if rec := Recoverable(rels, got, len(tt.cells)); !slices.Equal(rec, tt.recoverable) {
				t.Errorf("Recoverable = %v, want %v", rec, tt.recoverable)
			}
		})
	}
}

func TestProtectIsDeterministic(t *testing.T) {
	st := newSynthTable(7, 6, 6, 3)
	first := Protect(st.cells, st.rels, DefaultMinObservations)
	for i := range 3 {
		if again := Protect(st.cells, st.rels, DefaultMinObservations); !slices.Equal(first, again) {
			t.Fatalf("run %d differs from the first", i+2)
		}
	}
}

func TestReasonString(t *testing.T) {
	for r, want := range map[Reason]string{
		Publishable: "publishable", Primary: "primary", Complementary: "complementary",
		Auxiliary: "auxiliary", 0: "Reason(0)",
	} {
		if got := r.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", uint8(r), got, want)
		}
		if got := r.Suppressed(); got != (r != Publishable) {
			t.Errorf("%v.Suppressed() = %v", r, got)
		}
	}
}

// TestProtectLeavesNothingRecoverable is the property Protect promises, on
// random tables shaped like the real one, checked by Recoverable and by an
// independent solver.
func TestProtectLeavesNothingRecoverable(t *testing.T) {
	for seed := range uint64(30) {
		rng := rand.New(rand.NewPCG(seed, 1))
		gemeenten, wijken, buurten := 1+rng.IntN(3), 1+rng.IntN(4), rng.IntN(3)
		minObs := []int{5, 10, 20, 50}[rng.IntN(4)]
		t.Run(fmt.Sprintf("seed %d: %d×%d×%d, threshold %d", seed, gemeenten, wijken, buurten, minObs), func(t *testing.T) {
			st := newSynthTable(seed, gemeenten, wijken, buurten)
			got := Protect(st.cells, st.rels, minObs)
			checkReasons(t, st.cells, got, minObs)
			if rec := Recoverable(st.rels, got, len(st.cells)); len(rec) > 0 {
				t.Errorf("recoverable after Protect: %v", rec)
			}
			ref := referenceDetermined(len(st.cells), st.rels, hiddenOf(got))
			for i, d := range ref {
				if d && got[i].protected() {
					t.Errorf("the reference solver recovers cell %d (%v)", i, got[i])
				}
			}
			heuristic := ProtectHeuristic(st.cells, st.rels, minObs)
			for i, r := range heuristic {
				if r.Suppressed() && !got[i].Suppressed() {
					t.Errorf("cell %d: the heuristic hides it, Protect does not", i)
				}
			}
		})
	}
}

// TestProtectArbitraryRelations runs Protect on random relations (cells
// named twice, as total and part, in cycles) with random observations, some
// unknown: whatever stays recoverable must be recoverable from cells with
// unknown observations alone, which Protect may not hide.
func TestProtectArbitraryRelations(t *testing.T) {
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 3))
		n, rels := randomRelations(rng)
		cells := make([]Cell, n)
		for i := range cells {
			cells[i] = Cell{Observations: rng.IntN(32) - 2, Weight: float64(rng.IntN(5)), Auxiliary: rng.IntN(10) == 0}
		}
		got := Protect(cells, rels, DefaultMinObservations)
		checkReasons(t, cells, got, DefaultMinObservations)
		worst := slices.Clone(got)
		for i, c := range cells {
			if c.Observations >= 0 && got[i] == Publishable {
				worst[i] = Complementary
			}
		}
		unprotectable := Recoverable(rels, worst, n)
		for _, x := range Recoverable(rels, got, n) {
			if !slices.Contains(unprotectable, x) {
				t.Errorf("seed %d: cell %d is recoverable, though hiding more would protect it", seed, x)
			}
		}
	}
}

// checkReasons checks what holds for any result of Protect: primary
// suppression exactly below the threshold, complementary only for cells
// with known observations, auxiliary cells never published.
func checkReasons(t *testing.T, cells []Cell, got []Reason, minObs int) {
	t.Helper()
	for i, c := range cells {
		small := c.Observations >= 0 && c.Observations < minObs
		switch r := got[i]; {
		case small != (r == Primary):
			t.Errorf("cell %d with %d observations: %v", i, c.Observations, r)
		case r == Complementary && (c.Observations < 0 || c.Auxiliary):
			t.Errorf("cell %d with %d observations, auxiliary %v: complementary", i, c.Observations, c.Auxiliary)
		case c.Auxiliary && r == Publishable:
			t.Errorf("auxiliary cell %d published", i)
		}
	}
}

func hiddenOf(reasons []Reason) []bool {
	out := make([]bool, len(reasons))
	for i, r := range reasons {
		out[i] = r.Suppressed()
	}
	return out
}

// TestRecoverableMatchesReference compares the sparse solver, and the dense
// one it falls back on, with an independent one on random hidden cells of
// synthetic tables and of arbitrary relations (cycles, cells named twice).
func TestRecoverableMatchesReference(t *testing.T) {
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 2))
		var nCells int
		var rels []Relation
		kind := "synthetic"
		if seed%2 == 0 {
			st := newSynthTable(seed, 1, 1+rng.IntN(3), rng.IntN(2))
			nCells, rels = len(st.cells), st.rels
		} else {
			kind = "arbitrary"
			nCells, rels = randomRelations(rng)
		}
		share := rng.Float64()
		t.Run(fmt.Sprintf("seed %d: %s, %.0f%% hidden", seed, kind, 100*share), func(t *testing.T) {
			hidden := make([]bool, nCells)
			reasons := make([]Reason, nCells)
			for i := range hidden {
				hidden[i] = rng.Float64() < share
				reasons[i] = map[bool]Reason{true: Primary, false: Publishable}[hidden[i]]
			}
			ref := referenceDetermined(nCells, rels, hidden)
			var want []int
			for i, d := range ref {
				if d {
					want = append(want, i)
				}
			}
			if got := Recoverable(rels, reasons, nCells); !slices.Equal(got, want) {
				t.Errorf("Recoverable = %v, reference %v", got, want)
			}
			sys := newSystem(nCells, rels)
			cols := newColumns(nCells)
			for _, comp := range components(sys, hidden) {
				rows := cols.rows(sys, comp.eqs, comp.cells, nil)
				for i, d := range denseDetermined(rows, len(comp.cells)) {
					if d != ref[comp.cells[i]] {
						t.Errorf("dense fallback: cell %d determined %v, reference %v", comp.cells[i], d, !d)
					}
				}
			}
		})
	}
}

func randomRelations(rng *rand.Rand) (int, []Relation) {
	n := 4 + rng.IntN(12)
	rels := make([]Relation, 2+rng.IntN(8))
	for i := range rels {
		rels[i].Total = rng.IntN(n)
		for range 1 + rng.IntN(4) {
			rels[i].Parts = append(rels[i].Parts, rng.IntN(n))
		}
	}
	return n, rels
}

// referenceDetermined is an independent, slow solver: Gaussian elimination
// over big.Rat of the relations restricted to hidden cells, then whether
// each hidden cell's unit vector reduces to zero against that basis.
func referenceDetermined(nCells int, rels []Relation, hidden []bool) []bool {
	col := make(map[int]int) // hidden cell -> column
	for c, h := range hidden {
		if h {
			col[c] = len(col)
		}
	}
	type basisRow struct {
		pivot int
		row   []*big.Rat
	}
	var basis []basisRow
	vector := func() []*big.Rat {
		v := make([]*big.Rat, len(col))
		for k := range v {
			v[k] = new(big.Rat)
		}
		return v
	}
	reduce := func(v []*big.Rat) bool { // reports whether v is left nonzero
		var f, t big.Rat
		for _, b := range basis {
			if f.Set(v[b.pivot]); f.Sign() != 0 {
				for k, x := range b.row {
					if x.Sign() != 0 {
						v[k].Sub(v[k], t.Mul(&f, x))
					}
				}
			}
		}
		return slices.ContainsFunc(v, func(x *big.Rat) bool { return x.Sign() != 0 })
	}
	for _, r := range rels {
		v := vector()
		for i, c := range append([]int{r.Total}, r.Parts...) {
			if k, ok := col[c]; ok {
				v[k].Add(v[k], big.NewRat(int64(min(i, 1)*-2+1), 1)) // +1 for the total, -1 for a part
			}
		}
		if reduce(v) {
			p := slices.IndexFunc(v, func(x *big.Rat) bool { return x.Sign() != 0 })
			inv := new(big.Rat).Inv(v[p])
			for k := range v {
				v[k].Mul(v[k], inv)
			}
			basis = append(basis, basisRow{p, v})
		}
	}
	out := make([]bool, nCells)
	for x, k := range col {
		v := vector()
		v[k].SetInt64(1)
		out[x] = !reduce(v)
	}
	return out
}

// TestProtectSyntheticTable protects a table the size of the real one and
// checks that nothing is recoverable, and that the table is as sparse in
// small groups as the real one.
func TestProtectSyntheticTable(t *testing.T) {
	if testing.Short() {
		t.Skip("a full-size table")
	}
	st := newSynthTable(1, 345, 10, 0)
	got := Protect(st.cells, st.rels, DefaultMinObservations)
	checkReasons(t, st.cells, got, DefaultMinObservations)
	if rec := Recoverable(st.rels, got, len(st.cells)); len(rec) > 0 {
		t.Errorf("%d cells recoverable after Protect, such as %v", len(rec), rec[:min(5, len(rec))])
	}
	s := st.stats(got)
	t.Logf("%d cells, %d relations: %.1f%% primary, %.1f%% complementary, %.1f%% of small-group wijk cells primary, %.2f%% of the weight lost to complementary cells",
		len(st.cells), len(st.rels), s.primary, s.complementary, s.smallGroupWijk, s.weightLost)
	if s.smallGroupWijk < 60 || s.smallGroupWijk > 80 {
		t.Errorf("%.1f%% of the small twenty-way groups' wijk cells are primary, want 60-80%% as in the real table", s.smallGroupWijk)
	}
}

// tableStats describes a protected table, in percentages.
type tableStats struct {
	primary, complementary float64 // of the published-figure cells
	smallGroupWijk         float64 // primary among wijk cells of groups under 1% of the population
	weightLost             float64 // complementary cells' weight of all weight
}

func (t *synthTable) stats(reasons []Reason) tableStats {
	var s tableStats
	var figures, small, smallPrimary int
	var weight, lost float64
	for i, r := range reasons {
		if t.cells[i].Auxiliary {
			continue
		}
		figures++
		weight += t.cells[i].Weight
		switch r {
		case Primary:
			s.primary++
		case Complementary:
			s.complementary++
			lost += t.cells[i].Weight
		}
		area, g := i/nGroups, i%nGroups
		if area > 0 && len(t.children[area]) == 0 && g >= gCountries && countryShares()[g-gCountries].share < 0.01 {
			small++
			if r == Primary {
				smallPrimary++
			}
		}
	}
	s.primary *= 100 / float64(figures)
	s.complementary *= 100 / float64(figures)
	s.smallGroupWijk = 100 * float64(smallPrimary) / float64(small)
	s.weightLost = 100 * lost / weight
	return s
}

// BenchmarkProtect protects one indicator-year table of the real shape:
// Nederland, 345 gemeenten, about 3,450 wijken (and about 14,000 buurten),
// 25 herkomstgroepen and two auxiliary sums per area.
func BenchmarkProtect(b *testing.B) {
	for _, bc := range []struct {
		name    string
		buurten int
		protect func([]Cell, []Relation, int) []Reason
	}{
		{"wijken", 0, Protect},
		{"wijken+buurten", 4, Protect},
		{"heuristic/wijken", 0, ProtectHeuristic},
		{"heuristic/wijken+buurten", 4, ProtectHeuristic},
	} {
		st := newSynthTable(1, 345, 10, bc.buurten)
		b.Run(bc.name, func(b *testing.B) {
			var got []Reason
			for b.Loop() {
				got = bc.protect(st.cells, st.rels, DefaultMinObservations)
			}
			s := st.stats(got)
			b.ReportMetric(float64(len(st.cells)), "cells")
			b.ReportMetric(s.primary, "%primary")
			b.ReportMetric(s.complementary, "%complementary")
			b.ReportMetric(float64(len(Recoverable(st.rels, got, len(st.cells)))), "recoverable")
		})
	}
}

// BenchmarkRecoverable audits a protected table of the real shape.
func BenchmarkRecoverable(b *testing.B) {
	st := newSynthTable(1, 345, 10, 0)
	reasons := Protect(st.cells, st.rels, DefaultMinObservations)
	for b.Loop() {
		Recoverable(st.rels, reasons, len(st.cells))
	}
}
