package demo_test

import (
	"bytes"
	"database/sql"
	"flag"
	"fmt"
	"iter"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/wijkkaart/wijkkaart/boundaries"
	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/demo"
	"github.com/wijkkaart/wijkkaart/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestExistingValuesUnchanged pins every wijk, gemeente and Nederland value:
// adding the buurt level must not change them. The hash is of the values as
// they were before buurten existed. It covers float results, so it is
// pinned on amd64 only (other architectures may fuse multiply-adds).
func TestExistingValuesUnchanged(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skipf("hash pinned on amd64, this is %s", runtime.GOARCH)
	}
	const wantHash, wantN = 0x0bc1d9edb43ba96e, 2676036
	h, n := hashValues(dataset(t))
	if h != wantHash || n != wantN {
		t.Errorf("%d values hash %#x, want %d values hash %#x", n, h, wantN, wantHash)
	}
}

func TestBuurtCrosswalkCounts(t *testing.T) {
	d := dataset(t)
	links := d.BuurtLinks()
	count := map[demo.BuurtMatch]int{}
	var unmatched []string
	other := 0
	for _, l := range links {
		count[l.Match]++
		if l.Match == demo.MatchNone {
			unmatched = append(unmatched, l.Code)
		}
		if l.OtherGemeente {
			other++
		}
	}
	tests := []struct {
		name      string
		got, want int
	}{
		{"buurten of 2019", len(links), 13594},
		{"matched by code", count[demo.MatchCode], 12526},
		{"matched by geometry", count[demo.MatchGeometry], 1068},
		{"unmatched", count[demo.MatchNone], 0},
		{"code names another gemeente", other, 284},
		{"buurten of the dataset", len(d.Buurten), 13594 - count[demo.MatchNone]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("%d, want %d", tt.got, tt.want)
			}
		})
	}
	// No buurt of 2019 lies outside every wijk of 2022: both sets cover
	// the whole country. A future boundary file may differ; MODEL.md then
	// lists the buurten left out.
	if len(unmatched) > 0 {
		t.Errorf("unmatched buurten: %v", unmatched)
	}
}

func TestBuurtCrosswalkCases(t *testing.T) {
	d := dataset(t)
	links := make(map[string]demo.BuurtLink)
	for _, l := range d.BuurtLinks() {
		links[l.Code] = l
	}
	tests := []struct {
		name, code, wijk, gemeente string
		match                      demo.BuurtMatch
		other                      bool
	}{
		{"Utrecht, unchanged", "BU03440111", "WK034401", "GM0344", demo.MatchCode, false},
		{"Amsterdam, unchanged", "BU03630000", "WK036300", "GM0363", demo.MatchCode, false},
		{"Appingedam into Eemsdelta (2021)", "BU00030000", "WK197911", "GM1979", demo.MatchGeometry, true},
		{"Beemster into Purmerend (2022)", "BU03700006", "WK043908", "GM0439", demo.MatchGeometry, true},
		{"Heerhugowaard into Dijk en Waard (2022)", "BU03980601", "WK198013", "GM1980", demo.MatchGeometry, true},
		{"Boxmeer into Land van Cuijk (2022)", "BU07560005", "WK198222", "GM1982", demo.MatchGeometry, true},
		{"Haaren split: to Oisterwijk", "BU07880110", "WK082420", "GM0824", demo.MatchGeometry, true},
		{"Haaren split: to Tilburg", "BU07880409", "WK085568", "GM0855", demo.MatchGeometry, true},
		{"Uden into Maashorst (2022)", "BU16850207", "WK199106", "GM1991", demo.MatchGeometry, true},
		{"Rotterdam wijk renumbered", "BU05992650", "WK059904", "GM0599", demo.MatchGeometry, false},
		{"code wijk holds 49%", "BU01411806", "WK014112", "GM0141", demo.MatchGeometry, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, ok := links[tt.code]
			if !ok {
				t.Fatalf("no link for %s", tt.code)
			}
			if l.Wijk != tt.wijk || l.Gemeente != tt.gemeente || l.Match != tt.match || l.OtherGemeente != tt.other {
				t.Errorf("got %+v, want wijk %s gemeente %s match %s other gemeente %t", l, tt.wijk, tt.gemeente, tt.match, tt.other)
			}
			if l.Match == demo.MatchCode && l.Share < 0.5 || l.Share <= 0 || l.Share > 1 {
				t.Errorf("share %g", l.Share)
			}
			if w, ok := d.BuurtWijk(tt.code); !ok || w != tt.wijk {
				t.Errorf("BuurtWijk(%s) = %q, %t; want %s", tt.code, w, ok, tt.wijk)
			}
		})
	}
	for _, code := range []string{"BU99999999", "WK034401", ""} {
		if w, ok := d.BuurtWijk(code); ok {
			t.Errorf("BuurtWijk(%q) = %q, want not ok", code, w)
		}
	}
}

// TestBuurtCrosswalkGolden pins every link that is not a plain match by
// code, so that a change to the rule or the boundaries shows in review.
// Regenerate with go test ./demo -run BuurtCrosswalkGolden -update.
func TestBuurtCrosswalkGolden(t *testing.T) {
	var buf bytes.Buffer
	buf.WriteString("code,code_wijk,code_share,wijk,gemeente,match,share,other_gemeente\n")
	for _, l := range dataset(t).BuurtLinks() {
		if l.Match == demo.MatchCode && !l.OtherGemeente {
			continue
		}
		fmt.Fprintf(&buf, "%s,%s,%.2f,%s,%s,%s,%.2f,%t\n", l.Code, l.CodeWijk, l.CodeShare, l.Wijk, l.Gemeente, l.Match, l.Share, l.OtherGemeente)
	}
	const golden = "testdata/buurt_crosswalk.golden.csv"
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("crosswalk differs from %s (run with -update to accept):\n%s", golden, firstDiff(buf.String(), string(want)))
	}
}

// firstDiff returns the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d: got %q, want %q", i+1, gl, wl)
		}
	}
	return ""
}

func TestBuurtAreas(t *testing.T) {
	d := dataset(t)
	wijkGemeente := make(map[string]string)
	for _, a := range d.Areas {
		if a.Level == catalog.Wijk {
			wijkGemeente[a.Code] = a.GemeenteCode
		}
	}
	fallback := 0
	for i, a := range d.Buurten {
		w, ok := d.BuurtWijk(a.Code)
		if !ok {
			t.Fatalf("buurt %s has no wijk", a.Code)
		}
		if a.Level != catalog.Buurt || a.Year != demo.BuurtYear || len(a.Geometry) == 0 || a.ID == 0 || a.Name == "" {
			t.Errorf("buurt %s: level %s year %d, %d polygons, id %d, name %q", a.Code, a.Level, a.Year, len(a.Geometry), a.ID, a.Name)
		}
		if a.GemeenteCode != wijkGemeente[w] || a.GemeenteName == "" {
			t.Errorf("buurt %s lies in %s (%s), its wijk %s in %s", a.Code, a.GemeenteCode, a.GemeenteName, w, wijkGemeente[w])
		}
		if i > 0 && d.Buurten[i-1].Code >= a.Code {
			t.Errorf("buurten not sorted by code: %s before %s", d.Buurten[i-1].Code, a.Code)
		}
		if a.Name == "Buurt "+a.Code {
			fallback++
		}
	}
	// 977 buurt codes of 2019 are not buurt codes of 2022 (CBS's code
	// table of 2022), so they have no 2022 name.
	if fallback != 977 {
		t.Errorf("%d buurten have the fallback name, want 977", fallback)
	}
	t.Run("BuurtSources", func(t *testing.T) {
		srcs := d.BuurtSources()
		if len(srcs) != 1 || srcs[0].Level != catalog.Buurt || srcs[0].SRID != boundaries.WGS84 || len(srcs[0].Features) != len(d.Buurten) {
			t.Fatalf("got %d sources, want one WGS84 buurt source of %d features", len(srcs), len(d.Buurten))
		}
		for i, f := range srcs[0].Features {
			a := d.Buurten[i]
			if w, _ := d.BuurtWijk(f.Code); f.Code != a.Code || f.WijkCode != w || f.WijkName == "" || f.GemeenteCode != a.GemeenteCode || f.Name != a.Name {
				t.Fatalf("feature %s (wijk %s %s, gemeente %s) does not match area %s (wijk %s, gemeente %s)", f.Code, f.WijkCode, f.WijkName, f.GemeenteCode, a.Code, w, a.GemeenteCode)
			}
		}
	})
}

// TestBuurtenOfCities checks the four target cities: every buurt of 2019
// lies in a wijk of the same gemeente, with the same code (their wijk codes
// did not change), and the counts match the source.
func TestBuurtenOfCities(t *testing.T) {
	d := dataset(t)
	tests := []struct {
		gemeente string
		buurten  int
	}{
		{"GM0344", 111}, // Utrecht
		{"GM0363", 479}, // Amsterdam
		{"GM0479", 50},  // Zaanstad
		{"GM0599", 92},  // Rotterdam: 91 by code, 1 renumbered
	}
	for _, tt := range tests {
		t.Run(tt.gemeente, func(t *testing.T) {
			n := 0
			for _, a := range d.Buurten {
				if a.Code[2:6] != tt.gemeente[2:] {
					continue
				}
				n++
				w, _ := d.BuurtWijk(a.Code)
				if a.GemeenteCode != tt.gemeente || !strings.HasPrefix(w, "WK"+tt.gemeente[2:]) {
					t.Errorf("%s %s lies in %s, wijk %s", a.Code, a.Name, a.GemeenteCode, w)
				}
				if tt.gemeente != "GM0599" && w != "WK"+a.Code[2:8] {
					t.Errorf("%s lies in %s, not the wijk of its code", a.Code, w)
				}
			}
			if n != tt.buurten {
				t.Errorf("%d buurten, want %d", n, tt.buurten)
			}
		})
	}
}

func TestBuurtValuesDeterministic(t *testing.T) {
	first := dataset(t)
	second, err := reloaded()
	if err != nil {
		t.Fatal(err)
	}
	h1, n1 := fingerprint(first.BuurtValues())
	tests := []struct {
		name string
		d    *demo.Dataset
	}{
		{"same dataset iterated again", first},
		{"second Load", second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if h2, n2 := fingerprint(tt.d.BuurtValues()); h1 != h2 || n1 != n2 {
				t.Errorf("buurt values differ: %d values hash %x, then %d values hash %x", n1, h1, n2, h2)
			}
		})
	}
}

// TestAllValues checks that AllValues, which makes buurt values on a
// goroutine of their own, yields exactly Values of every year, with
// BuurtValues after those of BaseYear, and stops when asked to.
func TestAllValues(t *testing.T) {
	d := dataset(t)
	inOrder := func(yield func(store.Value) bool) {
		for _, y := range demo.Years() {
			for v := range d.Values(y) {
				if !yield(v) {
					return
				}
			}
			if y != demo.BaseYear {
				continue
			}
			for v := range d.BuurtValues() {
				if !yield(v) {
					return
				}
			}
		}
	}
	t.Run("same values in the same order", func(t *testing.T) {
		h1, n1 := fingerprint(inOrder)
		if h2, n2 := fingerprint(d.AllValues()); h1 != h2 || n1 != n2 {
			t.Errorf("AllValues: %d values hash %x, want %d values hash %x", n2, h2, n1, h1)
		}
	})
	t.Run("stops early", func(t *testing.T) {
		var want, got []store.Value
		for v := range d.Values(demo.FirstYear) {
			if want = append(want, v); len(want) == 10 {
				break
			}
		}
		for v := range d.AllValues() {
			if got = append(got, v); len(got) == 10 {
				break
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("the first values of AllValues are %+v, want %+v", got, want)
		}
	})
}

// fingerprint combines the numbers of every value of seq, in order: much
// faster than hashSeq, for comparing two iterations within a run
// (TestBuurtValuesOrder checks the codes and their order).
func fingerprint(seq iter.Seq[store.Value]) (uint64, int) {
	h := uint64(14695981039346656037)
	add := func(x uint64) { h = (h ^ x) * 1099511628211 }
	n := 0
	for v := range seq {
		add(uint64(v.Observations))
		for _, f := range []sql.Null[float64]{v.Value, v.Numerator, v.Denominator} {
			bits := math.Float64bits(f.V)
			if !f.Valid {
				bits = ^bits
			}
			add(bits)
		}
		n++
	}
	return h, n
}

// sums are the numerators and denominators of one series, by wijk code.
type sums struct{ num, den map[string]float64 }

// TestBuurtenAddUpToWijken checks, for a sample of indicators and every
// group, that the numerators and denominators of a wijk's buurten add up
// exactly to the wijk's, and that only the wijken of 2022 that no buurt of
// 2019 lies in have no buurten.
func TestBuurtenAddUpToWijken(t *testing.T) {
	d := dataset(t)
	indicators := []string{"inwoners", "aantal_herkomst", "pct_herkomst", "pct_eerste_generatie_kort", "pct_leeftijd_0_3",
		"pct_leeftijd_65plus", "pct_vve", "pct_voortijdig_schoolverlaters", "pct_inkomsten_arbeid", "pct_bijstand",
		"pct_laag_inkomen", "pct_corporatiewoningen", "betalingsachterstand_zorgpremie", "verdachten", "halt",
		"cito_score", "gem_leeftijd_overleden"}
	keep := func(ind, _ string) bool { return slices.Contains(indicators, ind) }
	wijken := make(map[[2]string]sums)
	eachSeries(d, keep, func(s series) {
		w := sums{make(map[string]float64), make(map[string]float64)}
		for _, v := range s.values {
			if v.Level == catalog.Wijk && v.Numerator.Valid {
				w.num[v.Code], w.den[v.Code] = v.Numerator.V, v.Denominator.V
			}
		}
		wijken[[2]string{s.indicator, s.group}] = w
	})
	covered := make(map[string]bool)
	n := 0
	eachBuurtSeries(d, keep, func(s series) {
		n++
		got := sums{make(map[string]float64), make(map[string]float64)}
		for _, v := range s.values {
			w, _ := d.BuurtWijk(v.Code)
			covered[w] = true
			got.num[w] += v.Numerator.V
			got.den[w] += v.Denominator.V
		}
		want := wijken[[2]string{s.indicator, s.group}]
		for code, num := range want.num {
			if covered[code] && (got.num[code] != num || got.den[code] != want.den[code]) {
				t.Errorf("%s %s %s: buurten add up to %g / %g, the wijk has %g / %g",
					s.indicator, s.group, code, got.num[code], got.den[code], num, want.den[code])
				return
			}
		}
	})
	if n != len(indicators)*25 {
		t.Errorf("checked %d series, want %d", n, len(indicators)*25)
	}
	var uncovered []string
	for _, a := range d.Areas {
		if a.Level == catalog.Wijk && !covered[a.Code] {
			uncovered = append(uncovered, a.Code)
		}
	}
	// New wijken of 2022 carved out of older ones (Almere, Lelystad,
	// Wierden, Veenendaal, …); MODEL.md lists them.
	if len(uncovered) != 39 {
		t.Errorf("%d wijken without buurten, want 39: %v", len(uncovered), uncovered)
	}
}

// eachBuurtSeries calls fn with every series of BuurtValues keep keeps.
func eachBuurtSeries(d *demo.Dataset, keep func(indicator, group string) bool, fn func(series)) {
	var cur series
	flush := func() {
		if len(cur.values) > 0 {
			fn(cur)
		}
		cur.values = cur.values[:0]
	}
	for v := range d.BuurtValues() {
		if v.Indicator != cur.indicator || v.Group != cur.group {
			flush()
			cur.indicator, cur.group = v.Indicator, v.Group
		}
		if keep(v.Indicator, v.Group) {
			cur.values = append(cur.values, v)
		}
	}
	flush()
}

// buurtCheck is a check TestBuurtValues applies to every buurt value, with
// the first errors it found.
type buurtCheck struct {
	name  string
	check func(n int, v store.Value) error
	errs  []error
}

// TestBuurtValues checks every buurt value, in one pass over BuurtValues
// (ten million values): exactly one demo value of level buurt for every
// indicator × group × buurt in the documented order; plausible values with
// whole numerators and denominators; no data in the buurten of a wijk
// without inhabitants; and groups that nest in every buurt.
func TestBuurtValues(t *testing.T) {
	d := dataset(t)
	cat := defaultCatalog(t)
	var series [][2]string
	for _, ind := range cat.Indicators {
		for _, g := range cat.GroupsOf(ind) {
			series = append(series, [2]string{ind.ID, g.ID})
		}
	}
	B := len(d.Buurten)
	checks := []*buurtCheck{
		{name: "order, level, year, provenance", check: func(n int, v store.Value) error {
			if n >= len(series)*B {
				return fmt.Errorf("value %d (%s %s %s) is one too many", n, v.Indicator, v.Group, v.Code)
			}
			want := key{series[n/B][0], series[n/B][1], d.Buurten[n%B].Code}
			if got := (key{v.Indicator, v.Group, v.Code}); got != want || v.Level != catalog.Buurt || v.Year != demo.BaseYear || v.Provenance != store.Demo {
				return fmt.Errorf("value %d is %v (level %s, year %d, %s), want %v", n, got, v.Level, v.Year, v.Provenance, want)
			}
			return nil
		}},
		{name: "plausible", check: plausibleCheck(cat)},
		{name: "wijk without inhabitants", check: uninhabitedCheck(d, "WK003415")}, // Almere, Stichtsekant
	}
	counts := make(map[string][]float64) // aantal_herkomst by group, by buurt
	n := 0
	for v := range d.BuurtValues() {
		for _, c := range checks {
			if err := c.check(n, v); err != nil && len(c.errs) < 10 {
				c.errs = append(c.errs, err)
			}
		}
		if v.Indicator == "aantal_herkomst" {
			counts[v.Group] = append(counts[v.Group], v.Value.V)
		}
		n++
	}
	if n != len(series)*B {
		t.Errorf("%d values, want %d", n, len(series)*B)
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			for _, err := range c.errs {
				t.Error(err)
			}
		})
	}
	for _, split := range []string{catalog.SplitHerkomst5, catalog.SplitHerkomst20} {
		t.Run("groups of "+split+" add up to totaal", func(t *testing.T) {
			for i, a := range d.Buurten {
				sum := 0.0
				for _, g := range groupsOfSplit(cat, split) {
					sum += counts[g][i]
				}
				if total := counts[catalog.TotaalGroup][i]; sum != total {
					t.Fatalf("%s: totaal %g, groups add up to %g", a.Code, total, sum)
				}
			}
		})
	}
}

// plausibleCheck returns a check of a buurt value: whole, non-negative
// numerator and denominator, a percentage's numerator no larger than its
// denominator, and, when it would be published (10 or more observations),
// a value in the range of its unit.
func plausibleCheck(cat *catalog.Catalog) func(int, store.Value) error {
	plausible := map[catalog.Unit][2]float64{
		catalog.UnitPercentage: {0, 100}, catalog.UnitPer1000: {0, 1000}, catalog.UnitCount: {0, 1e5},
		catalog.UnitScore: {501, 550}, catalog.UnitYears: {0, 110}, catalog.UnitIndex: {0, 100},
	}
	units := make(map[string]catalog.Unit)
	for _, ind := range cat.Indicators {
		units[ind.ID] = ind.Unit
	}
	return func(_ int, v store.Value) error {
		if !v.Value.Valid {
			return nil
		}
		unit, num, den := units[v.Indicator], v.Numerator.V, v.Denominator.V
		r := plausible[unit]
		switch {
		case num != math.Trunc(num) || den != math.Trunc(den) || num < 0 || den < 0:
			return fmt.Errorf("%s %s %s: numerator %g, denominator %g", v.Indicator, v.Group, v.Code, num, den)
		case unit == catalog.UnitPercentage && v.Denominator.Valid && num > den:
			return fmt.Errorf("%s %s %s: %g of %g", v.Indicator, v.Group, v.Code, num, den)
		case v.Observations >= 10 && (v.Value.V < r[0] || v.Value.V > r[1]):
			return fmt.Errorf("%s %s %s = %g, outside %v", v.Indicator, v.Group, v.Code, v.Value.V, r)
		}
		return nil
	}
}

// uninhabitedCheck returns a check that the buurten of a wijk without
// inhabitants have no data, except 0 inwoners, like the wijk.
func uninhabitedCheck(d *demo.Dataset, wijk string) func(int, store.Value) error {
	codes := make(map[string]bool)
	for _, a := range d.Buurten {
		if w, _ := d.BuurtWijk(a.Code); w == wijk {
			codes[a.Code] = true
		}
	}
	if len(codes) == 0 {
		return func(int, store.Value) error { return fmt.Errorf("no buurten in %s", wijk) }
	}
	return func(_ int, v store.Value) error {
		if !codes[v.Code] {
			return nil
		}
		isInwoners := v.Indicator == "inwoners" && v.Group == catalog.TotaalGroup
		if isInwoners != v.Value.Valid || (isInwoners && v.Value.V != 0) {
			return fmt.Errorf("%s %s %s: %+v", v.Indicator, v.Group, v.Code, v)
		}
		return nil
	}
}

// BenchmarkLoadBuurtValues measures Load and one iteration over all buurt
// values. It reports the heap in use after Load as heap-MB.
func BenchmarkLoadBuurtValues(b *testing.B) {
	benchmarkLoad(b, (*demo.Dataset).BuurtValues)
}

// BenchmarkBuurtValues measures one iteration over all buurt values of a
// loaded dataset. It loads its own, so that the heap-MB of the other
// benchmarks does not count it.
func BenchmarkBuurtValues(b *testing.B) {
	d, err := demo.Load(defaultCatalog(b))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		n := 0
		for range d.BuurtValues() {
			n++
		}
		if n == 0 {
			b.Fatal("no values")
		}
	}
}
