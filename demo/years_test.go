package demo_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"testing"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/demo"
	"github.com/wijkkaart/wijkkaart/disclosure"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/store/memstore"
)

// hashAllYears hashes every value of every value year, in order.
func hashAllYears(d *demo.Dataset) (uint64, int) {
	return hashSeq(func(yield func(store.Value) bool) {
		for _, y := range demo.Years() {
			for v := range d.Values(y) {
				if !yield(v) {
					return
				}
			}
		}
	})
}

// yearValues returns the values of value year year that keep keeps.
func yearValues(d *demo.Dataset, year int, keep func(store.Value) bool) []store.Value {
	var out []store.Value
	for v := range d.Values(year) {
		if keep(v) {
			out = append(out, v)
		}
	}
	return out
}

func TestYearsAndBoundaryYears(t *testing.T) {
	d := dataset(t)
	if got, want := demo.Years(), []int{2019, 2020, 2021, 2022, 2023, 2024}; !slices.Equal(got, want) {
		t.Fatalf("Years() = %v, want %v", got, want)
	}
	if demo.LatestYear != 2024 || demo.BaseYear != 2022 {
		t.Errorf("LatestYear %d, BaseYear %d", demo.LatestYear, demo.BaseYear)
	}
	boundary := make(map[string]int)
	for _, b := range d.BoundaryYears() {
		boundary[fmt.Sprint(b.Level, b.Year)] = b.Boundary
	}
	tests := []struct {
		level      catalog.Level
		year, want int // want 0: no values
	}{
		{catalog.Gemeente, 2019, 2022}, {catalog.Gemeente, 2022, 2022}, {catalog.Gemeente, 2023, 2023}, {catalog.Gemeente, 2024, 2024},
		{catalog.Wijk, 2019, 2022}, {catalog.Wijk, 2022, 2022}, {catalog.Wijk, 2023, 2024}, {catalog.Wijk, 2024, 2024},
		{catalog.Buurt, 2022, 2019}, {catalog.Buurt, 2021, 0}, {catalog.Buurt, 2023, 0}, {catalog.Nederland, 2022, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.level, tt.year), func(t *testing.T) {
			if got := boundary[fmt.Sprint(tt.level, tt.year)]; got != tt.want {
				t.Errorf("boundary year %d, want %d", got, tt.want)
			}
		})
	}
	if n := len(d.BoundaryYears()); n != 13 {
		t.Errorf("%d boundary years, want 13", n)
	}
}

func TestAllAreasOfEveryBoundaryYear(t *testing.T) {
	d := dataset(t)
	count := make(map[string]int)
	for _, a := range d.AllAreas() {
		count[fmt.Sprint(a.Level, a.Year)]++
		if a.Level == catalog.Buurt && a.WijkCode == "" {
			t.Errorf("buurt %s has no wijk", a.Code)
		}
	}
	want := map[string]int{
		"gemeente2022": 345, "gemeente2023": 342, "gemeente2024": 342,
		"wijk2022": 3340, "wijk2024": 3474, "buurt2019": len(d.Buurten),
	}
	for k, n := range want {
		if count[k] != n {
			t.Errorf("%s: %d areas, want %d", k, count[k], n)
		}
	}
	if len(count) != len(want) {
		t.Errorf("areas of %v, want only %v", count, want)
	}
	var years []int
	for _, s := range d.BoundarySets() {
		years = append(years, s.Year)
		for _, src := range s.Sources {
			if len(src.Features) == 0 {
				t.Errorf("boundary set %d: empty %s source", s.Year, src.Level)
			}
		}
	}
	if !slices.Equal(years, []int{2019, 2022, 2023, 2024}) {
		t.Errorf("boundary sets of %v", years)
	}
}

func TestYearsDeterministic(t *testing.T) {
	first := dataset(t)
	second, err := reloaded()
	if err != nil {
		t.Fatal(err)
	}
	h1, n1 := hashAllYears(first)
	for _, tt := range []struct {
		name string
		d    *demo.Dataset
	}{{"same dataset iterated again", first}, {"second Load", second}} {
		t.Run(tt.name, func(t *testing.T) {
			if h2, n2 := hashAllYears(tt.d); h1 != h2 || n1 != n2 {
				t.Errorf("values differ: %d values hash %x, then %d values hash %x", n1, h1, n2, h2)
			}
		})
	}
}

// areaSet returns the codes of the areas of one level and boundary year.
func areaSet(d *demo.Dataset, level catalog.Level, year int) map[string]bool {
	out := make(map[string]bool)
	for _, a := range d.AllAreas() {
		if a.Level == level && a.Year == year {
			out[a.Code] = true
		}
	}
	return out
}

// TestYearsNest checks, in every value year, that every value lies on an
// area of its boundary year, once per (indicator, group), and that for
// every count and every numerator and denominator Nederland is the sum of
// the gemeenten and every gemeente the sum of its wijken (so Nederland is
// also the sum of the wijken). Real CBS figures are not sums and are left
// out.
func TestYearsNest(t *testing.T) {
	d := dataset(t)
	boundary := make(map[string]int)
	for _, b := range d.BoundaryYears() {
		boundary[fmt.Sprint(b.Level, b.Year)] = b.Boundary
	}
	for _, year := range demo.Years() {
		gemeenten := areaSet(d, catalog.Gemeente, boundary[fmt.Sprint(catalog.Gemeente, year)])
		wijken := areaSet(d, catalog.Wijk, boundary[fmt.Sprint(catalog.Wijk, year)])
		t.Run(strconv.Itoa(year), func(t *testing.T) {
			n := newNesting()
			for v := range d.Values(year) {
				k := key{v.Indicator, v.Group, v.Code}
				switch {
				case n.seen[k]:
					t.Fatalf("two values of %v", k)
				case v.Year != year:
					t.Fatalf("%v: year %d", k, v.Year)
				case v.Level == catalog.Gemeente && !gemeenten[v.Code], v.Level == catalog.Wijk && !wijken[v.Code]:
					t.Fatalf("%v: no %s %s in the boundary year", k, v.Level, v.Code)
				}
				n.seen[k] = true
				n.add(v)
			}
			if want := len(gemeenten) + len(wijken) + 1; len(n.seen)%want != 0 {
				t.Errorf("%d values, not a multiple of the %d areas", len(n.seen), want)
			}
			n.check(t)
		})
	}
}

// nesting sums the numerators and denominators (counts: values) of one
// value year per series at every level, and per gemeente over its wijken.
type nesting struct {
	seen       map[key]bool
	nl, gm, wk map[[2]string][2]float64
	byGemeente map[[3]string]*[2][2]float64 // [the gemeente, the sum of its wijken][num, den]
	excluded   map[[2]string]bool           // series with a real figure somewhere
}

func newNesting() *nesting {
	return &nesting{seen: make(map[key]bool), nl: make(map[[2]string][2]float64), gm: make(map[[2]string][2]float64),
		wk: make(map[[2]string][2]float64), byGemeente: make(map[[3]string]*[2][2]float64), excluded: make(map[[2]string]bool)}
}

// add adds a value; real CBS figures and the segregation index are no
// sums and exclude their series.
func (n *nesting) add(v store.Value) {
	series := [2]string{v.Indicator, v.Group}
	if v.Indicator == "segregatie_index" || v.Observations == -1 || v.Provenance == store.CBS {
		n.excluded[series] = true
		return
	}
	nd := [2]float64{v.Numerator.V, v.Denominator.V}
	if v.Indicator == "inwoners" || v.Indicator == "aantal_herkomst" {
		nd[1] = v.Value.V // counts have no denominator
	}
	plus := func(m map[[2]string][2]float64) { m[series] = [2]float64{m[series][0] + nd[0], m[series][1] + nd[1]} }
	gm, i := v.Code, 0
	switch v.Level {
	case catalog.Nederland:
		plus(n.nl)
		return
	case catalog.Gemeente:
		plus(n.gm)
	case catalog.Wijk:
		plus(n.wk)
		gm = "GM" + v.Code[2:6] // the gemeente of a wijk code, as catalog.GemeenteOf
		i = 1
	}
	g := n.byGemeente[[3]string{v.Indicator, v.Group, gm}]
	if g == nil {
		g = &[2][2]float64{}
		n.byGemeente[[3]string{v.Indicator, v.Group, gm}] = g
	}
	g[i][0] += nd[0]
	g[i][1] += nd[1]
}

// check compares Nederland with the sums of the gemeenten and of the
// wijken, and every gemeente with the sum of its wijken.
func (n *nesting) check(t *testing.T) {
	t.Helper()
	checked := 0
	for k, nl := range n.nl {
		if n.excluded[k] {
			continue
		}
		checked++
		if nl != n.gm[k] || nl != n.wk[k] {
			t.Fatalf("%v: Nederland %v, sum of the gemeenten %v, of the wijken %v", k, nl, n.gm[k], n.wk[k])
		}
	}
	for k, g := range n.byGemeente {
		if !n.excluded[[2]string{k[0], k[1]}] && g[0] != g[1] {
			t.Fatalf("%v: gemeente %v, sum of its wijken %v", k, g[0], g[1])
		}
	}
	if checked < 500 {
		t.Errorf("only %d series checked", checked)
	}
}

// nationalSeries returns the Nederland values of every (indicator, group)
// in every value year.
func nationalSeries(d *demo.Dataset) map[[2]string][]float64 {
	out := make(map[[2]string][]float64)
	for _, y := range demo.Years() {
		for v := range d.Values(y) {
			if v.Level == catalog.Nederland {
				k := [2]string{v.Indicator, v.Group}
				out[k] = append(out[k], v.Value.V)
			}
		}
	}
	return out
}

// TestTrends checks that the years differ the way the model says: every
// generated indicator's national series moves, the gap between geen
// migratieachtergrond and the second generation of Buiten-Europa narrows
// where the trend says so, and wijken move in both directions.
func TestTrends(t *testing.T) {
	d := dataset(t)
	series := nationalSeries(d)
	rates := []string{"pct_vve", "pct_zonder_startkwalificatie", "pct_voortijdig_schoolverlaters", "pct_bijstand", "pct_nww",
		"pct_laag_inkomen", "betalingsachterstand_zorgpremie", "schuldsanering", "verdachten", "veroordeelden", "halt",
		"pct_basis_ggz", "pct_specialistische_ggz", "cito_score", "gem_leeftijd_overleden", "pct_leeftijd_65plus", "pct_eerste_generatie_kort"}
	for _, ind := range rates {
		t.Run("national "+ind, func(t *testing.T) {
			s := series[[2]string{ind, catalog.TotaalGroup}]
			if len(s) != 6 {
				t.Fatalf("%d years", len(s))
			}
			change := math.Abs(s[5]-s[0]) / s[2]
			if ind == "cito_score" {
				change = math.Abs(s[5]-s[0]) / 100 // points, on a scale of 50
			}
			if change < 0.005 {
				t.Errorf("totaal %v: changes %.2f%% from 2019 to 2024", s, 100*change)
			}
		})
	}
	narrowing := []string{"pct_voortijdig_schoolverlaters", "pct_bijstand", "verdachten", "pct_zonder_startkwalificatie", "pct_laag_inkomen"}
	for _, ind := range narrowing {
		t.Run("gap narrows "+ind, func(t *testing.T) {
			geen, second := series[[2]string{ind, "geen_migratieachtergrond"}], series[[2]string{ind, "buiten_europa_nederland_geboren"}]
			before, after := second[0]/geen[0], second[5]/geen[5]
			if after >= before {
				t.Errorf("Buiten-Europa NL geboren / geen: %.3f in 2019, %.3f in 2024", before, after)
			}
		})
	}
	t.Run("the groups differ", func(t *testing.T) {
		// Oekraïne's recent arrivals: its share born abroad < 5 years
		// jumps in 2023, while geen migratieachtergrond shrinks slowly.
		uk := series[[2]string{"pct_eerste_generatie_kort", "oekraine"}]
		if uk[4] < 1.5*uk[3] {
			t.Errorf("Oekraïne recent first generation %v: no jump in 2023", uk)
		}
		geen := series[[2]string{"aantal_herkomst", "geen_migratieachtergrond"}]
		outside := series[[2]string{"aantal_herkomst", "buiten_europa_buitenland_geboren"}]
		if geen[5] >= geen[0] || outside[5] <= outside[0] {
			t.Errorf("geen migratieachtergrond %v should shrink, Buiten-Europa born abroad %v grow", geen, outside)
		}
	})
	t.Run("wijken move both ways", wijkTrendSigns(d))
	t.Run("yearly changes are bounded", yearlyChanges(d))
}

// wijkValues returns the value of indicator/group of every wijk of
// BaseYear's boundaries in the value years 2019 to 2022, with at least
// minDen in its denominator every year.
func wijkValues(d *demo.Dataset, pred func(store.Value) bool, minDen float64) map[key][]float64 {
	out := make(map[key][]float64)
	for y := demo.FirstYear; y <= demo.BaseYear; y++ {
		for v := range d.Values(y) {
			if (v.Level == catalog.Wijk || v.Level == catalog.Gemeente) && pred(v) && v.Provenance == store.Demo {
				k := key{v.Indicator, v.Group, v.Code}
				if v.Denominator.V >= minDen {
					out[k] = append(out[k], v.Value.V)
				}
			}
		}
	}
	for k, s := range out {
		if len(s) != demo.BaseYear-demo.FirstYear+1 {
			delete(out, k)
		}
	}
	return out
}

func wijkTrendSigns(d *demo.Dataset) func(t *testing.T) {
	return func(t *testing.T) {
		for _, ind := range []string{"pct_bijstand", "pct_inkomsten_arbeid", "verdachten", "pct_vve"} {
			vals := wijkValues(d, func(v store.Value) bool {
				return v.Level == catalog.Wijk && v.Indicator == ind && v.Group != catalog.TotaalGroup
			}, 500)
			up, down := 0, 0
			for _, s := range vals {
				switch {
				case s[3] > s[0]:
					up++
				case s[3] < s[0]:
					down++
				}
			}
			if n := up + down; up < n/20 || down < n/20 {
				t.Errorf("%s: %d wijk series rise and %d fall from 2019 to 2022", ind, up, down)
			}
		}
	}
}

func yearlyChanges(d *demo.Dataset) func(t *testing.T) {
	return func(t *testing.T) {
		cat := defaultCatalog(t)
		vals := wijkValues(d, func(v store.Value) bool {
			ind, _ := cat.Indicator(v.Indicator)
			return ind.Unit == catalog.UnitPercentage && v.Indicator != "pct_herkomst"
		}, 1000)
		var changes []float64
		for _, s := range vals {
			for i := 1; i < len(s); i++ {
				changes = append(changes, math.Abs(s[i]-s[i-1]))
			}
		}
		sort.Float64s(changes)
		if len(changes) < 10000 {
			t.Fatalf("only %d changes", len(changes))
		}
		p50, p99 := changes[len(changes)/2], changes[len(changes)*99/100]
		t.Logf("%d yearly changes of percentages (denominator ≥ 1000): median %.2f, p99 %.2f, max %.2f points", len(changes), p50, p99, changes[len(changes)-1])
		if p99 >= 5 || p50 > 2 {
			t.Errorf("yearly change of percentages: median %.2f, p99 %.2f points", p50, p99)
		}
	}
}

// countsOf returns aantal_herkomst of group totaal of every gemeente and
// wijk in every value year: year → code → count (absent: no value).
func countsOf(d *demo.Dataset) map[int]map[string]float64 {
	out := make(map[int]map[string]float64)
	for _, y := range demo.Years() {
		out[y] = make(map[string]float64)
		for _, v := range yearValues(d, y, func(v store.Value) bool {
			return v.Indicator == "aantal_herkomst" && v.Group == catalog.TotaalGroup && v.Value.Valid
		}) {
			out[y][v.Code] = v.Value.V
		}
	}
	return out
}

// TestBoundaryChanges checks real changes of the boundaries between the
// value years: Weesp joined Amsterdam, Voorne aan Zee was formed, wijken
// were merged and split.
func TestBoundaryChanges(t *testing.T) {
	d := dataset(t)
	counts := countsOf(d)
	for _, tt := range []struct {
		code  string
		years []int // the value years with a value
	}{
		{"GM0457", []int{2019, 2020, 2021, 2022}}, // Weesp, into Amsterdam
		{"GM0501", []int{2019, 2020, 2021, 2022}}, // Brielle, into Voorne aan Zee
		{"GM1992", []int{2023, 2024}},             // Voorne aan Zee
		{"GM0363", demo.Years()},                  // Amsterdam
		{"WK045701", []int{2019, 2020, 2021, 2022}},
	} {
		t.Run(tt.code, func(t *testing.T) {
			var got []int
			for _, y := range demo.Years() {
				if _, ok := counts[y][tt.code]; ok {
					got = append(got, y)
				}
			}
			if !slices.Equal(got, tt.years) {
				t.Errorf("values in %v, want %v", got, tt.years)
			}
		})
	}
	t.Run("Amsterdam 2023 includes Weesp", func(t *testing.T) {
		before := counts[2022]["GM0363"] + counts[2022]["GM0457"]
		if got := counts[2023]["GM0363"]; math.Abs(got/before-1) > 0.05 {
			t.Errorf("Amsterdam 2023: %g inhabitants, Amsterdam + Weesp 2022: %g", got, before)
		}
		if got := counts[2023]["GM1992"]; math.Abs(got/(counts[2022]["GM0501"]+counts[2022]["GM0530"]+counts[2022]["GM0614"])-1) > 0.05 {
			t.Errorf("Voorne aan Zee 2023: %g inhabitants", got)
		}
	})
	t.Run("split and merged wijken get apportioned counts", func(t *testing.T) {
		lineage, err := d.Lineage()
		if err != nil {
			t.Fatal(err)
		}
		checked := map[store.Relation]int{}
		for _, l := range lineage {
			if l.Level != catalog.Wijk || l.Relation.Comparable() || counts[2022][l.Code] < 500 {
				continue
			}
			for _, s := range l.Successors {
				if s.Share > 0.3 && counts[2024][s.Code] == 0 {
					t.Errorf("%s (%s) covers %.0f%% of %s of 2024, which has no inhabitants", l.Code, l.Relation, 100*s.Share, s.Code)
				}
			}
			checked[l.Relation]++
		}
		if checked[store.Split] == 0 || checked[store.Merged] == 0 {
			t.Errorf("checked %v", checked)
		}
	})
}

func TestLineage(t *testing.T) {
	d := dataset(t)
	lineage, err := d.Lineage()
	if err != nil {
		t.Fatal(err)
	}
	n := make(map[string]int)
	for _, l := range lineage {
		n[fmt.Sprint(l.Level, l.From, "-", l.To)]++
	}
	want := map[string]int{"gemeente2022-2023": 345, "gemeente2023-2024": 342, "wijk2022-2024": 3340}
	if fmt.Sprint(n) != fmt.Sprint(want) {
		t.Errorf("lineage %v, want %v", n, want)
	}
}

// TestRealFigures2024 checks that the inhabitants of the gemeenten and
// wijken of 2024 are KWB 2024's, with Nederland their sum, and that the
// other years have no real figures but BaseYear's.
func TestRealFigures2024(t *testing.T) {
	d := dataset(t)
	kwb := readCSV(t, "data/inwoners_2024_kwb.csv", "code")
	var sum float64
	n := 0
	values := yearValues(d, 2024, func(v store.Value) bool { return v.Indicator == "inwoners" && v.Group == catalog.TotaalGroup })
	for _, v := range values {
		if v.Provenance != store.CBS || v.Observations != -1 {
			t.Fatalf("%s: provenance %s, %d observations", v.Code, v.Provenance, v.Observations)
		}
		if v.Level == catalog.Nederland {
			continue
		}
		row, ok := kwb[v.Code]
		if !ok || row["inwoners"] == "" {
			if v.Value.Valid {
				t.Errorf("%s: %g inhabitants, KWB has none", v.Code, v.Value.V)
			}
			continue
		}
		want, err := strconv.ParseFloat(row["inwoners"], 64)
		if err != nil {
			t.Fatal(err)
		}
		if v.Value.V != want || v.Numerator.V != want {
			t.Errorf("%s: %g inhabitants, KWB 2024 %g", v.Code, v.Value.V, want)
		}
		if v.Level == catalog.Gemeente {
			sum += want
			n++
		}
	}
	if n != 342 || values[0].Value.V != sum || sum != 17942942 {
		t.Errorf("Nederland %g, the %d gemeenten add up to %g", values[0].Value.V, n, sum)
	}
	for _, y := range []int{2019, 2021, 2023} {
		for v := range d.Values(y) {
			if v.Provenance != store.Demo {
				t.Fatalf("%d: %s %s %s has provenance %s", y, v.Indicator, v.Group, v.Code, v.Provenance)
			}
		}
	}
}

// TestUninhabitedWijken2024 counts the wijken of 2024 that the model's
// wijken of 2022 give no inhabitants (MODEL.md, "Years"): they have no
// data but their real inhabitants.
func TestUninhabitedWijken2024(t *testing.T) {
	d := dataset(t)
	empty := make(map[string]bool)
	for _, v := range yearValues(d, 2024, func(v store.Value) bool {
		return v.Level == catalog.Wijk && v.Indicator == "aantal_herkomst" && v.Group == catalog.TotaalGroup && !v.Value.Valid
	}) {
		empty[v.Code] = true
	}
	water := 0
	for code := range empty {
		if code[6:] == "99" {
			water++
		}
	}
	t.Logf("%d uninhabited wijken of 2024, %d of them water (WKgggg99)", len(empty), water)
	if len(empty) != 104 || water != 76 {
		t.Errorf("%d uninhabited wijken of 2024 (%d water), want 104 (76)", len(empty), water)
	}
	for v := range d.Values(2024) {
		if empty[v.Code] && v.Value.Valid && v.Provenance == store.Demo {
			t.Fatalf("uninhabited %s has %s %s = %g", v.Code, v.Indicator, v.Group, v.Value.V)
		}
	}
}

// BenchmarkPublishInto measures the embedded demo's first start without
// Load: publishing every value year and the buurten through disclosure
// control into a memstore.
func BenchmarkPublishInto(b *testing.B) {
	d := dataset(b)
	cat := defaultCatalog(b)
	policy := disclosure.Policy{MinObservations: disclosure.DefaultMinObservations}
	for b.Loop() {
		mb, err := memstore.NewBuilder(cat, d.AllAreas())
		if err != nil {
			b.Fatal(err)
		}
		if err := d.PublishInto(context.Background(), cat, policy, mb); err != nil {
			b.Fatal(err)
		}
		lineage, err := d.Lineage()
		if err != nil {
			b.Fatal(err)
		}
		mb.Lineage(lineage)
		mb.Build(1)
	}
}
