package disclosure

import (
	"fmt"
	"maps"
	"slices"
	"testing"
)

// These tests play the attacker: they build small tables with known counts,
// protect them, and then try to recompute every suppressed count from the
// published counts and the relations, with Recoverable and with an
// independent brute-force search over whole, non-negative counts.

// grid is a hand-made table: areas × groups. Every area is the sum of the
// areas whose parent it is, group by group, and in every area each group
// relation holds: groupRels[i][0] is the sum of groupRels[i][1:].
type grid struct {
	groups    []string
	auxiliary []string
	groupRels [][]string
	areas     []gridArea
}

// gridArea is one area with its counts, in the order of grid.groups.
type gridArea struct {
	code, parent string
	counts       []int
}

// table returns the grid's cells (each weighing its observations), its
// relations, and the name of each cell ("WK01/geen"). It fails the test
// when the counts do not add up.
func (g grid) table(t *testing.T) ([]Cell, []Relation, []string) {
	t.Helper()
	index := func(area, group int) int { return area*len(g.groups) + group }
	var cells []Cell
	var names []string
	for _, a := range g.areas {
		if len(a.counts) != len(g.groups) {
			t.Fatalf("%s: %d counts for %d groups", a.code, len(a.counts), len(g.groups))
		}
		for gi, n := range a.counts {
			cells = append(cells, Cell{Observations: n, Weight: float64(n), Auxiliary: slices.Contains(g.auxiliary, g.groups[gi])})
			names = append(names, a.code+"/"+g.groups[gi])
		}
	}
	var rels []Relation
	for ai, a := range g.areas {
		for _, gr := range g.groupRels {
			r := Relation{Total: index(ai, slices.Index(g.groups, gr[0]))}
			for _, part := range gr[1:] {
				r.Parts = append(r.Parts, index(ai, slices.Index(g.groups, part)))
			}
			rels = append(rels, r)
		}
		for gi := range g.groups {
			r := Relation{Total: index(ai, gi)}
			for ci, c := range g.areas {
				if c.parent == a.code {
					r.Parts = append(r.Parts, index(ci, gi))
				}
			}
			if len(r.Parts) > 0 {
				rels = append(rels, r)
			}
		}
	}
	for _, r := range rels {
		if sum := sumOf(cells, r.Parts); sum != cells[r.Total].Observations {
			t.Fatalf("bad test table: %s is %d, its parts add up to %d", names[r.Total], cells[r.Total].Observations, sum)
		}
	}
	return cells, rels, names
}

func sumOf(cells []Cell, idx []int) int {
	sum := 0
	for _, i := range idx {
		sum += cells[i].Observations
	}
	return sum
}

// counts lists a grid area's counts by group name, for the wide splits.
func counts(groups []string, byName map[string]int) []int {
	out := make([]int, len(groups))
	for name, n := range byName {
		i := slices.Index(groups, name)
		if i < 0 {
			panic("no group " + name)
		}
		out[i] = n
	}
	return out
}

// fiveWay is the five-way split with totaal, all a table needs for most
// attacks; fiveWayRels is its one relation.
func fiveWay() []string {
	return []string{"totaal", "geen", "europa_bg", "europa_nlg", "buiten_bg", "buiten_nlg"}
}

func fiveWayRels() [][]string { return [][]string{fiveWay()} }

// allGroups are the catalogue's 25 groups and the two auxiliary sums that
// tie the five-way split to the twenty-way one; allRels relate them.
func allGroups() ([]string, [][]string) {
	europe := []string{"bulgarije", "polen", "roemenie", "oekraine", "overig_europa"}
	outside := []string{"turkije", "marokko", "suriname", "indonesie", "nederlandse_cariben", "iran", "irak",
		"somalie", "eritrea", "syrie", "afghanistan", "overig_amerika_oceanie", "overig_afrika", "overig_azie"}
	groups := slices.Concat(fiveWay(), europe, outside, []string{"europa", "buiten_europa"})
	return groups, [][]string{
		fiveWay(),
		slices.Concat([]string{"totaal", "geen"}, europe, outside),
		{"europa", "europa_bg", "europa_nlg"}, slices.Concat([]string{"europa"}, europe),
		{"buiten_europa", "buiten_bg", "buiten_nlg"}, slices.Concat([]string{"buiten_europa"}, outside),
	}
}

func gemeenteTable() grid {
	return grid{groups: []string{"totaal"}, areas: []gridArea{
		{"GM01", "", []int{472}},
		{"WK01", "GM01", []int{120}}, {"WK02", "GM01", []int{7}},
		{"WK03", "GM01", []int{45}}, {"WK04", "GM01", []int{300}},
	}}
}

func buurtTable() grid {
	return grid{groups: []string{"totaal"}, areas: []gridArea{
		{"GM01", "", []int{315}},
		{"WK01", "GM01", []int{115}}, {"WK02", "GM01", []int{200}},
		{"BU01", "WK01", []int{5}}, {"BU02", "WK01", []int{30}}, {"BU03", "WK01", []int{80}},
	}}
}

func fiveWayTable() grid {
	return grid{groups: fiveWay(), groupRels: fiveWayRels(), areas: []gridArea{
		{"WK01", "", []int{500, 300, 8, 60, 70, 62}},
	}}
}

// europaTable has two small countries, which keep the twenty-way split
// from giving either away; but both generations of Europa together are the
// five European countries: Bulgarije = europa_bg + europa_nlg - the other
// four. Eritrea likewise.
func europaTable() grid {
	groups, rels := allGroups()
	return grid{groups: groups, groupRels: rels, auxiliary: []string{"europa", "buiten_europa"}, areas: []gridArea{
		{"WK01", "", counts(groups, map[string]int{
			"totaal": 1263, "geen": 800, "europa_bg": 90, "europa_nlg": 43, "buiten_bg": 180, "buiten_nlg": 150,
			"bulgarije": 6, "polen": 40, "roemenie": 12, "oekraine": 15, "overig_europa": 60,
			"turkije": 50, "marokko": 45, "suriname": 40, "indonesie": 30, "nederlandse_cariben": 20,
			"iran": 11, "irak": 12, "somalie": 14, "eritrea": 4, "syrie": 25, "afghanistan": 13,
			"overig_amerika_oceanie": 18, "overig_afrika": 22, "overig_azie": 26,
			"europa": 133, "buiten_europa": 330,
		})},
	}}
}

// bridgeTable has two "rectangles" of small cells, WK01-WK02 × Europa and
// WK03-WK04 × Buiten-Europa, joined by one small cell, WK02/buiten_bg.
// Every relation has zero or at least two hidden cells, so no single
// difference gives anything away, yet WK02/buiten_bg = (WK01 row + WK02
// row) - (europa_bg column + europa_nlg column).
func bridgeTable() grid {
	return grid{groups: fiveWay(), groupRels: fiveWayRels(), areas: []gridArea{
		{"GM01", "", []int{3019, 2570, 107, 74, 142, 126}},
		{"WK01", "GM01", []int{478, 400, 3, 5, 40, 30}},
		{"WK02", "GM01", []int{387, 350, 4, 2, 6, 25}},
		{"WK03", "GM01", []int{550, 500, 20, 15, 7, 8}},
		{"WK04", "GM01", []int{474, 420, 30, 12, 9, 3}},
		{"WK05", "GM01", []int{1130, 900, 50, 40, 80, 60}},
	}}
}

// rectangleTable has four small cells in a rectangle, which protect each
// other: adding one to two opposite corners and taking one from the other
// two changes no published sum.
func rectangleTable() grid {
	return grid{groups: fiveWay(), groupRels: fiveWayRels(), areas: []gridArea{
		{"GM01", "", []int{1425, 1150, 47, 43, 105, 80}},
		{"WK01", "GM01", []int{360, 300, 4, 6, 30, 20}},
		{"WK02", "GM01", []int{300, 250, 3, 7, 25, 15}},
		{"WK03", "GM01", []int{765, 600, 40, 30, 50, 45}},
	}}
}

func TestDifferencingAttacksFail(t *testing.T) {
	tests := []struct {
		name  string
		table grid
		// before is what the attacker recomputes when only the small
		// cells are hidden: the attack is real.
		before map[string]int
		// complementary is what Protect hides on top: the least it can.
		complementary []string
	}{
		{"(a) gemeente minus its published wijken", gemeenteTable(),
			map[string]int{"WK02/totaal": 7}, []string{"WK03/totaal"}},
		{"(b) wijk minus its buurten", buurtTable(),
			map[string]int{"BU01/totaal": 5}, []string{"BU02/totaal"}},
		{"(c) totaal minus the other groups of the five-way split", fiveWayTable(),
			map[string]int{"WK01/europa_bg": 8}, []string{"WK01/europa_nlg"}},
		{"(d) five-way Europa groups minus the twenty-way European countries", europaTable(),
			map[string]int{"WK01/bulgarije": 6, "WK01/eritrea": 4}, []string{"WK01/roemenie", "WK01/iran"}},
		{"(e) a chain of area and group relations", bridgeTable(),
			map[string]int{"WK02/buiten_bg": 6}, []string{"WK02/buiten_nlg"}},
		{"(f) a rectangle is safe as it is", rectangleTable(),
			map[string]int{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cells, rels, names := tt.table.table(t)
			primary := Protect(cells, nil, DefaultMinObservations) // no relations: primary suppression only
			if got := recovered(t, cells, rels, primary, names); !maps.Equal(got, tt.before) {
				t.Fatalf("before protection the attacker recovers %v, want %v", got, tt.before)
			}
			reasons := Protect(cells, rels, DefaultMinObservations)
			if got := named(names, reasons, Complementary); !slices.Equal(got, tt.complementary) {
				t.Errorf("complementary cells %v, want %v", got, tt.complementary)
			}
			if got := recovered(t, cells, rels, reasons, names); len(got) > 0 {
				t.Errorf("after protection the attacker recovers %v", got)
			}
		})
	}
}

// TestChainsNeedTheAudit shows why Protect solves the relations together:
// in the bridge table no relation has exactly one hidden cell, so the
// single-difference heuristic hides nothing more, and four differences
// together still give WK02/buiten_bg away.
func TestChainsNeedTheAudit(t *testing.T) {
	cells, rels, names := bridgeTable().table(t)
	reasons := ProtectHeuristic(cells, rels, DefaultMinObservations)
	if got := named(names, reasons, Complementary); len(got) > 0 {
		t.Fatalf("the heuristic hides %v, want nothing", got)
	}
	// The attack, as an attacker would do it by hand: what the hidden
	// cells of a published total add up to, for two rows and two columns.
	n := func(name string) int { return cells[slices.Index(names, name)].Observations }
	row := func(wk string, published ...string) int {
		sum := n(wk + "/totaal")
		for _, g := range published {
			sum -= n(wk + "/" + g)
		}
		return sum
	}
	column := func(group string, published ...string) int {
		sum := n("GM01/" + group)
		for _, wk := range published {
			sum -= n(wk + "/" + group)
		}
		return sum
	}
	attack := row("WK01", "geen", "buiten_bg", "buiten_nlg") + row("WK02", "geen", "buiten_nlg") -
		column("europa_bg", "WK03", "WK04", "WK05") - column("europa_nlg", "WK03", "WK04", "WK05")
	if want := n("WK02/buiten_bg"); attack != want {
		t.Fatalf("the hand-made attack gives %d, the count is %d", attack, want)
	}
	if got, want := Recoverable(rels, reasons, len(cells)), []int{slices.Index(names, "WK02/buiten_bg")}; !slices.Equal(got, want) {
		t.Errorf("Recoverable after the heuristic = %v, want %v", got, want)
	}
	if got := recovered(t, cells, rels, Protect(cells, rels, DefaultMinObservations), names); len(got) > 0 {
		t.Errorf("after Protect the attacker recovers %v", got)
	}
}

// named returns the names of the cells with reason r.
func named(names []string, reasons []Reason, r Reason) []string {
	var out []string
	for i, got := range reasons {
		if got == r {
			out = append(out, names[i])
		}
	}
	return out
}

// recovered returns the protected cells the attacker recomputes, with their
// counts. It asks both Recoverable and the brute-force attacker, and fails
// the test when they disagree.
func recovered(t *testing.T, cells []Cell, rels []Relation, reasons []Reason, names []string) map[string]int {
	t.Helper()
	a := newAttacker(cells, rels, reasons)
	out := map[string]int{}
	var brute []int
	for x, r := range reasons {
		if !r.protected() {
			continue
		}
		if vals := a.possible(x); len(vals) == 1 {
			out[names[x]] = vals[0]
			brute = append(brute, x)
		}
	}
	if rec := Recoverable(rels, reasons, len(cells)); !slices.Equal(rec, brute) {
		t.Errorf("Recoverable says %v, the brute-force attacker recovers %v", rec, brute)
	}
	return out
}

// attacker knows what is published: the relations, the counts of published
// cells, and that every count is a whole number of at least 0. It searches
// for tables that agree with all of it; it never reads a hidden count.
type attacker struct {
	rels  []Relation
	known []int // per cell: its published count, or -1
	upper []int // per cell: the largest count it can have
	nodes int
}

func newAttacker(cells []Cell, rels []Relation, reasons []Reason) *attacker {
	a := &attacker{rels: rels, known: make([]int, len(cells)), upper: make([]int, len(cells))}
	all := 0
	for i, c := range cells {
		a.known[i] = -1
		if !reasons[i].Suppressed() {
			a.known[i] = c.Observations
			all += c.Observations
		}
	}
	for i := range a.upper {
		a.upper[i] = all
	}
	// A hidden part is at most what its published total leaves over.
	for _, r := range rels {
		if left := a.known[r.Total]; left >= 0 {
			for _, p := range r.Parts {
				left -= max(0, a.known[p])
			}
			for _, p := range r.Parts {
				a.upper[p] = min(a.upper[p], left)
			}
		}
	}
	return a
}

// possible returns every count cell x can have in a table that agrees with
// what is published.
func (a *attacker) possible(x int) []int {
	var out []int
	for v := 0; v <= a.upper[x]; v++ {
		vals := slices.Clone(a.known)
		vals[x] = v
		if a.complete(vals) {
			out = append(out, v)
		}
	}
	return out
}

// complete reports whether the unknown counts in vals (-1) can be filled
// in so that every relation holds: depth first, filling in what a relation
// forces before guessing.
func (a *attacker) complete(vals []int) bool {
	if a.nodes++; a.nodes > 5_000_000 {
		panic(fmt.Sprintf("brute-force attacker: search too large (%d nodes)", a.nodes))
	}
	if !a.propagate(vals) {
		return false
	}
	next := -1
	for i, v := range vals {
		if v < 0 && (next < 0 || a.upper[i] < a.upper[next]) {
			next = i
		}
	}
	if next < 0 {
		return true
	}
	for v := 0; v <= a.upper[next]; v++ {
		try := slices.Clone(vals)
		try[next] = v
		if a.complete(try) {
			return true
		}
	}
	return false
}

// propagate fills in every count a relation forces and reports whether all
// relations can still hold.
func (a *attacker) propagate(vals []int) bool {
	for changed := true; changed; {
		changed = false
		for _, r := range a.rels {
			// sum is total - parts over the cells filled in so far.
			unknown, missing, sum := 0, -1, 0
			for i, c := range append([]int{r.Total}, r.Parts...) {
				switch {
				case vals[c] < 0:
					unknown, missing = unknown+1, c
				case i == 0:
					sum += vals[c]
				default:
					sum -= vals[c]
				}
			}
			switch {
			case unknown == 0 && sum != 0:
				return false
			case unknown == 1:
				v := sum // a part: the total less the other parts
				if missing == r.Total {
					v = -sum // the total: the sum of the parts
				}
				if v < 0 || v > a.upper[missing] {
					return false
				}
				vals[missing] = v
				changed = true
			}
		}
	}
	return true
}
