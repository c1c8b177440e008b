package demo_test

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"iter"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/demo"
	"github.com/wijkkaart/wijkkaart/disclosure"
	"github.com/wijkkaart/wijkkaart/store"
)

// loaded is one dataset shared by the tests: Load takes a second.
var loaded = sync.OnceValues(func() (*demo.Dataset, error) {
	cat, err := catalog.Default()
	if err != nil {
		return nil, err
	}
	return demo.Load(cat)
})

func dataset(t testing.TB) *demo.Dataset {
	t.Helper()
	d, err := loaded()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func defaultCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// key identifies a value.
type key struct{ indicator, group, code string }

// valuesOf collects the values of some indicators, by key.
func valuesOf(t testing.TB, d *demo.Dataset, indicators ...string) map[key]store.Value {
	t.Helper()
	out := make(map[key]store.Value)
	for v := range d.Values(demo.BaseYear) {
		if slices.Contains(indicators, v.Indicator) {
			out[key{v.Indicator, v.Group, v.Code}] = v
		}
	}
	return out
}

// areaCodes returns Nederland and every area, in the order Values yields
// them.
func areaCodes(d *demo.Dataset) []string {
	return append([]string{catalog.NederlandCode}, codesOf(d.Areas)...)
}

// layout says where areas are in a series: position 0 is Nederland, then
// the areas of the dataset.
type layout struct {
	codes  []string
	pos    map[string]int
	parent []int // position of the area a value adds up into; -1 for Nederland
}

func newLayout(d *demo.Dataset) layout {
	l := layout{codes: areaCodes(d), pos: make(map[string]int)}
	for i, c := range l.codes {
		l.pos[c] = i
	}
	l.parent = make([]int, len(l.codes))
	l.parent[0] = -1
	for i, a := range d.Areas {
		l.parent[i+1] = 0
		if a.Level == catalog.Wijk {
			l.parent[i+1] = l.pos[a.GemeenteCode]
		}
	}
	return l
}

// series is the values of one indicator and group, in layout order.
type series struct {
	indicator, group string
	values           []store.Value
}

// eachSeries calls fn with every series keep keeps. Values yields a series'
// values together, so one buffer suffices.
func eachSeries(d *demo.Dataset, keep func(indicator, group string) bool, fn func(series)) {
	var cur series
	flush := func() {
		if len(cur.values) > 0 {
			fn(cur)
		}
		cur.values = cur.values[:0]
	}
	for v := range d.Values(demo.BaseYear) {
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

// hashValues hashes every field of every value, in order.
func hashValues(d *demo.Dataset) (uint64, int) { return hashSeq(d.Values(demo.BaseYear)) }

// hashSeq hashes every field of every value of seq, in order.
func hashSeq(seq iter.Seq[store.Value]) (uint64, int) {
	h := fnv.New64a()
	n := 0
	var buf []byte
	flag := func(b bool) byte {
		if b {
			return 1
		}
		return 0
	}
	for v := range seq {
		buf = buf[:0]
		for _, s := range []string{string(v.Level), v.Code, v.Indicator, v.Group, string(v.Provenance)} {
			buf = append(append(buf, s...), 0)
		}
		buf = binary.LittleEndian.AppendUint64(buf, uint64(v.Year))
		buf = binary.LittleEndian.AppendUint64(buf, uint64(v.Observations))
		buf = append(buf, flag(v.Value.Valid), flag(v.Numerator.Valid), flag(v.Denominator.Valid))
		for _, f := range []float64{v.Value.V, v.Numerator.V, v.Denominator.V} {
			buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(f))
		}
		h.Write(buf)
		n++
	}
	return h.Sum64(), n
}

// reloaded is a second dataset, to check that Load is deterministic.
var reloaded = sync.OnceValues(func() (*demo.Dataset, error) {
	cat, err := catalog.Default()
	if err != nil {
		return nil, err
	}
	return demo.Load(cat)
})

func TestDeterministic(t *testing.T) {
	first := dataset(t)
	second, err := reloaded()
	if err != nil {
		t.Fatal(err)
	}
	h1, n1 := hashValues(first)
	tests := []struct {
		name string
		d    *demo.Dataset
	}{
		{"same dataset iterated again", first},
		{"second Load", second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h2, n2 := hashValues(tt.d)
			if h1 != h2 || n1 != n2 {
				t.Errorf("values differ: %d values hash %x, then %d values hash %x", n1, h1, n2, h2)
			}
		})
	}
	if len(first.Areas) != len(second.Areas) {
		t.Fatalf("%d areas, then %d", len(first.Areas), len(second.Areas))
	}
}

func TestAreas(t *testing.T) {
	d := dataset(t)
	count := map[catalog.Level]int{}
	for i, a := range d.Areas {
		count[a.Level]++
		if a.Year != demo.BaseYear || len(a.Geometry) == 0 || a.ID == 0 || a.Name == "" || a.GemeenteCode == "" {
			t.Errorf("area %s: year %d, %d polygons, id %d, name %q, gemeente %q", a.Code, a.Year, len(a.Geometry), a.ID, a.Name, a.GemeenteCode)
		}
		if i > 0 {
			prev := d.Areas[i-1]
			if prev.Level > a.Level || (prev.Level == a.Level && prev.Code >= a.Code) {
				t.Errorf("areas not sorted by level then code: %s %s before %s %s", prev.Level, prev.Code, a.Level, a.Code)
			}
		}
	}
	if count[catalog.Gemeente] != 345 || count[catalog.Wijk] != 3340 {
		t.Errorf("got %d gemeenten and %d wijken, want 345 and 3340", count[catalog.Gemeente], count[catalog.Wijk])
	}
}

// TestEveryValueOnce checks that Values yields exactly one value for every
// indicator × group × area, in the documented order: indicators and groups
// in catalogue order, then Nederland, the gemeenten and the wijken by code.
func TestEveryValueOnce(t *testing.T) {
	d := dataset(t)
	cat := defaultCatalog(t)
	codes := areaCodes(d)
	levels := map[string]catalog.Level{catalog.NederlandCode: catalog.Nederland}
	for _, a := range d.Areas {
		levels[a.Code] = a.Level
	}
	next, stop := iter.Pull(d.Values(demo.BaseYear))
	defer stop()
	n := 0
	for _, ind := range cat.Indicators {
		for _, g := range cat.GroupsOf(ind) {
			for _, code := range codes {
				v, ok := next()
				want := key{ind.ID, g.ID, code}
				if got := (key{v.Indicator, v.Group, v.Code}); !ok || got != want {
					t.Fatalf("value %d is %v (%t), want %v", n, got, ok, want)
				}
				if v.Level != levels[code] || v.Year != demo.BaseYear {
					t.Fatalf("value %d (%s) has level %s year %d", n, code, v.Level, v.Year)
				}
				n++
			}
		}
	}
	if v, ok := next(); ok {
		t.Errorf("value %d (%s %s %s) is one too many", n, v.Indicator, v.Group, v.Code)
	}
}

// groupsOfSplit returns the catalogue's groups of one split.
func groupsOfSplit(cat *catalog.Catalog, split string) []string {
	var out []string
	for _, g := range cat.Groups {
		if g.InSplit(split) {
			out = append(out, g.ID)
		}
	}
	return out
}

func TestCountsNest(t *testing.T) {
	d := dataset(t)
	cat := defaultCatalog(t)
	lay := newLayout(d)
	counts := make(map[string][]float64) // by group, in layout order
	eachSeries(d, func(ind, _ string) bool { return ind == "aantal_herkomst" }, func(s series) {
		c := make([]float64, len(s.values))
		for i, v := range s.values {
			c[i] = v.Value.V // uninhabited wijken have no data and count 0
		}
		counts[s.group] = c
	})
	europe := []string{"bulgarije", "polen", "roemenie", "oekraine", "overig_europa"}
	var outside []string
	for _, g := range groupsOfSplit(cat, catalog.SplitHerkomst20) {
		if g != "geen_migratieachtergrond" && !slices.Contains(europe, g) {
			outside = append(outside, g)
		}
	}
	sums := []struct {
		name         string
		total, parts []string
	}{
		{"five-way split adds up to totaal", []string{"totaal"}, groupsOfSplit(cat, catalog.SplitHerkomst5)},
		{"twenty-way split adds up to totaal", []string{"totaal"}, groupsOfSplit(cat, catalog.SplitHerkomst20)},
		{"European countries add up to Europa", []string{"europa_buitenland_geboren", "europa_nederland_geboren"}, europe},
		{"other countries add up to Buiten-Europa", []string{"buiten_europa_buitenland_geboren", "buiten_europa_nederland_geboren"}, outside},
	}
	add := func(groups []string, i int) float64 {
		s := 0.0
		for _, g := range groups {
			s += counts[g][i]
		}
		return s
	}
	for _, s := range sums {
		t.Run(s.name, func(t *testing.T) {
			for i, code := range lay.codes {
				if total, parts := add(s.total, i), add(s.parts, i); total != parts {
					t.Fatalf("%s: %v = %g, parts add up to %g", code, s.total, total, parts)
				}
			}
		})
	}
	t.Run("gemeenten are the sum of their wijken", func(t *testing.T) {
		for g, c := range counts {
			checkSums(t, lay, g, c)
		}
	})
}

// checkSums checks that xs (in layout order) of every gemeente is the sum
// over its wijken, and of Nederland the sum over the gemeenten.
func checkSums(t *testing.T, lay layout, what string, xs []float64) {
	t.Helper()
	sums := make([]float64, len(xs))
	for i, x := range xs {
		if p := lay.parent[i]; p >= 0 {
			sums[p] += x
		}
	}
	for i, x := range xs {
		if lay.parent[i] == -1 || strings.HasPrefix(lay.codes[i], "GM") {
			if x != sums[i] {
				t.Fatalf("%s %s: %g, its parts add up to %g", what, lay.codes[i], x, sums[i])
			}
		}
	}
}

// realIndicators are the indicators whose totaal is a real CBS figure at
// gemeente level, so not the sum of the wijken.
func realIndicators() []string {
	return []string{"inwoners", "pct_leeftijd_65plus", "pct_inkomsten_arbeid", "pct_hoogopgeleid_18_30", "pct_corporatiewoningen"}
}

func TestGemeenteIsSumOfWijken(t *testing.T) {
	d := dataset(t)
	cat := defaultCatalog(t)
	lay := newLayout(d)
	indicators := []string{"pct_bijstand", "pct_laag_inkomen", "cito_score", "gem_leeftijd_overleden", "halt", "pct_leeftijd_0_3", "pct_eerste_generatie_kort", "pct_corporatiewoningen"}
	keep := func(ind, group string) bool {
		return slices.Contains(indicators, ind) && (group != catalog.TotaalGroup || !slices.Contains(realIndicators(), ind))
	}
	n := 0
	eachSeries(d, keep, func(s series) {
		n++
		ind, _ := cat.Indicator(s.indicator)
		scale := map[catalog.Unit]float64{catalog.UnitPercentage: 100, catalog.UnitPer1000: 1000}[ind.Unit]
		if scale == 0 {
			scale = 1
		}
		t.Run(s.indicator+"/"+s.group, func(t *testing.T) {
			nums, dens := make([]float64, len(s.values)), make([]float64, len(s.values))
			for i, v := range s.values {
				nums[i], dens[i] = v.Numerator.V, v.Denominator.V
				if !v.Value.Valid || v.Denominator.V == 0 {
					continue
				}
				if want := scale * v.Numerator.V / v.Denominator.V; math.Abs(v.Value.V-want) > 1e-9*math.Abs(want) {
					t.Fatalf("%s: value %g, numerator/denominator give %g", v.Code, v.Value.V, want)
				}
				if v.Observations != int(v.Denominator.V) {
					t.Fatalf("%s: %d observations, denominator %g", v.Code, v.Observations, v.Denominator.V)
				}
			}
			checkSums(t, lay, "numerator", nums)
			checkSums(t, lay, "denominator", dens)
		})
	})
	if n != 8*25-1 {
		t.Errorf("checked %d series, want %d", n, 8*25-1)
	}
}

// readCSV reads one of the committed CSV files by key column.
func readCSV(t *testing.T, name, keyColumn string) map[string]map[string]string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]map[string]string)
	for _, r := range rows[1:] {
		m := make(map[string]string)
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out[m[keyColumn]] = m
	}
	return out
}

func TestRealFiguresUtrecht(t *testing.T) {
	d := dataset(t)
	vals := make(map[key]store.Value)
	eachSeries(d, func(ind, group string) bool {
		return group == catalog.TotaalGroup && slices.Contains(realIndicators(), ind)
	}, func(s series) {
		for _, v := range s.values {
			vals[key{v.Indicator, v.Group, v.Code}] = v
		}
	})
	kwb := readCSV(t, "data/wijken_2022_kwb.csv", "code")
	for code, row := range readCSV(t, "data/gemeenten_2022_kwb.csv", "code") {
		kwb[code] = row
	}
	extra := readCSV(t, "data/gemeenten_2022_herkomst_wonen.csv", "code")
	codes := []string{"GM0344"}
	for w := 1; w <= 10; w++ {
		codes = append(codes, fmt.Sprintf("WK0344%02d", w))
	}
	mapped := []struct{ indicator, column string }{
		{"inwoners", "population"},
		{"pct_leeftijd_65plus", "pop_65plus"},
		{"pct_inkomsten_arbeid", "employment_rate"},
		{"pct_hoogopgeleid_18_30", "edu_appl_sci"},
	}
	for _, code := range codes {
		t.Run(code, func(t *testing.T) {
			for _, m := range mapped {
				want, err := strconv.ParseFloat(kwb[code][m.column], 64)
				if err != nil {
					t.Fatalf("%s %s: %v", code, m.column, err)
				}
				v := vals[key{m.indicator, catalog.TotaalGroup, code}]
				if !v.Value.Valid || v.Value.V != want || v.Provenance != store.CBS || v.Observations != -1 {
					t.Errorf("%s: %+v, want CBS figure %g", m.indicator, v, want)
				}
			}
		})
	}
	t.Run("GM0344 corporatiewoningen", func(t *testing.T) {
		want, err := strconv.ParseFloat(extra["GM0344"]["pct_huurcorporatie"], 64)
		if err != nil {
			t.Fatal(err)
		}
		v := vals[key{"pct_corporatiewoningen", catalog.TotaalGroup, "GM0344"}]
		if v.Value.V != want || v.Provenance != store.CBS {
			t.Errorf("got %+v, want CBS figure %g", v, want)
		}
	})
	t.Run("Nederland inwoners is the sum of the gemeenten", func(t *testing.T) {
		sum := 0.0
		for code, row := range kwb {
			if strings.HasPrefix(code, "GM") {
				p, err := strconv.ParseFloat(row["population"], 64)
				if err != nil {
					t.Fatalf("%s: %v", code, err)
				}
				sum += p
			}
		}
		v := vals[key{"inwoners", catalog.TotaalGroup, catalog.NederlandCode}]
		if v.Value.V != sum || v.Provenance != store.CBS || sum != 17590672 {
			t.Errorf("got %+v, want %g", v, sum)
		}
	})
}

func TestProvenance(t *testing.T) {
	d := dataset(t)
	realAt := map[string][]catalog.Level{
		"inwoners":               {catalog.Nederland, catalog.Gemeente, catalog.Wijk},
		"pct_leeftijd_65plus":    {catalog.Gemeente, catalog.Wijk},
		"pct_inkomsten_arbeid":   {catalog.Gemeente, catalog.Wijk},
		"pct_hoogopgeleid_18_30": {catalog.Gemeente, catalog.Wijk},
		"pct_corporatiewoningen": {catalog.Gemeente},
	}
	cbs := make(map[string]int)
	for v := range d.Values(demo.BaseYear) {
		wantCBS := v.Group == catalog.TotaalGroup && slices.Contains(realAt[v.Indicator], v.Level)
		if got := v.Provenance == store.CBS; got != wantCBS {
			t.Fatalf("%s %s %s: provenance %s", v.Indicator, v.Group, v.Code, v.Provenance)
		}
		if wantCBS {
			cbs[v.Indicator]++
			if v.Observations != -1 || v.Denominator.Valid || (v.Numerator.Valid != (v.Indicator == "inwoners")) {
				t.Fatalf("CBS figure %+v: want observations -1 and no numerator or denominator (except the count of inwoners)", v)
			}
		}
	}
	for id, levels := range realAt {
		t.Run(id, func(t *testing.T) {
			want := 0
			for _, l := range levels {
				want += map[catalog.Level]int{catalog.Nederland: 1, catalog.Gemeente: 345, catalog.Wijk: 3340}[l]
			}
			if cbs[id] != want {
				t.Errorf("%d CBS values, want %d", cbs[id], want)
			}
		})
	}
}

// TestSuppression checks the demo exercises disclosure control: small
// groups often have fewer than 10 observations, totaal in large wijken never.
func TestSuppression(t *testing.T) {
	d := dataset(t)
	policy := disclosure.Policy{MinObservations: disclosure.DefaultMinObservations}
	population := make(map[string]float64)
	type tally struct{ suppressed, all int }
	byGroup := make(map[string]*tally)
	var bigTotaal []string
	for v := range d.Values(demo.BaseYear) {
		if v.Indicator == "inwoners" && v.Group == catalog.TotaalGroup {
			population[v.Code] = v.Value.V
		}
		if v.Level != catalog.Wijk || !v.Value.Valid {
			continue
		}
		tl := byGroup[v.Group]
		if tl == nil {
			tl = &tally{}
			byGroup[v.Group] = tl
		}
		tl.all++
		// Not published as a number: suppressed, or (for a group with no
		// members at all, where the policy says so) "no residents".
		if policy.NewTable(nil, catalog.Indicator{}, nil, disclosure.Links{}).Publish(v).Status != store.OK {
			tl.suppressed++
			if v.Group == catalog.TotaalGroup && population[v.Code] >= 5000 {
				bigTotaal = append(bigTotaal, v.Indicator+" "+v.Code)
			}
		}
	}
	tests := []struct {
		group    string
		min, max float64 // share of wijk values suppressed
	}{
		{"totaal", 0, 0.1},
		{"geen_migratieachtergrond", 0, 0.15},
		{"buiten_europa_buitenland_geboren", 0.1, 0.6},
		{"marokko", 0.3, 0.9},
		{"eritrea", 0.5, 0.98},
		{"somalie", 0.5, 0.98},
		{"bulgarije", 0.5, 0.98},
	}
	for _, tt := range tests {
		t.Run(tt.group, func(t *testing.T) {
			tl := byGroup[tt.group]
			share := float64(tl.suppressed) / float64(tl.all)
			if share < tt.min || share > tt.max {
				t.Errorf("%.1f%% of %d wijk values suppressed, want %.0f%%–%.0f%%", 100*share, tl.all, 100*tt.min, 100*tt.max)
			}
		})
	}
	if len(bigTotaal) > 0 {
		t.Errorf("totaal suppressed in wijken of 5000+ inhabitants: %v", bigTotaal[:min(10, len(bigTotaal))])
	}
}

func TestUninhabitedWijk(t *testing.T) {
	d := dataset(t)
	const code = "WK003415" // Almere, Stichtsekant: 0 inhabitants in 2022
	n := 0
	for v := range d.Values(demo.BaseYear) {
		if v.Code != code {
			continue
		}
		n++
		isInwoners := v.Indicator == "inwoners" && v.Group == catalog.TotaalGroup
		switch {
		case isInwoners && (!v.Value.Valid || v.Value.V != 0 || v.Provenance != store.CBS):
			t.Errorf("inwoners: %+v, want the CBS figure 0", v)
		case !isInwoners && v.Value.Valid:
			t.Errorf("%s %s: %+v, want no data", v.Indicator, v.Group, v)
		}
	}
	if n == 0 {
		t.Fatalf("no values for %s", code)
	}
}

func TestPlausibleRanges(t *testing.T) {
	d := dataset(t)
	cat := defaultCatalog(t)
	// plausible are the ranges of published values per unit.
	plausible := map[catalog.Unit][2]float64{
		catalog.UnitPercentage: {0, 100},
		catalog.UnitPer1000:    {0, 1000},
		catalog.UnitCount:      {0, 2e7},
		catalog.UnitScore:      {501, 550},
		catalog.UnitYears:      {0, 110},
		catalog.UnitIndex:      {0, 100},
	}
	bad := 0
	for v := range d.Values(demo.BaseYear) {
		if !v.Value.Valid || (v.Observations >= 0 && v.Observations < 10) {
			continue
		}
		ind, _ := cat.Indicator(v.Indicator)
		r := plausible[ind.Unit]
		if v.Value.V < r[0] || v.Value.V > r[1] || math.IsNaN(v.Value.V) {
			if bad++; bad <= 10 {
				t.Errorf("%s %s %s = %g, outside %v", v.Indicator, v.Group, v.Code, v.Value.V, r)
			}
		}
		if v.Numerator.Valid && v.Numerator.V != math.Trunc(v.Numerator.V) || v.Denominator.Valid && v.Denominator.V != math.Trunc(v.Denominator.V) {
			t.Fatalf("%s %s %s: numerator %g and denominator %g must be whole", v.Indicator, v.Group, v.Code, v.Numerator.V, v.Denominator.V)
		}
	}
}

// TestNationalLevels checks national figures against Dutch statistics and
// group differences against their known direction.
func TestNationalLevels(t *testing.T) {
	d := dataset(t)
	nl := make(map[[2]string]float64)
	for v := range d.Values(demo.BaseYear) {
		if v.Level == catalog.Nederland {
			nl[[2]string{v.Indicator, v.Group}] = v.Value.V
		}
	}
	levels := []struct {
		indicator, group string
		min, max         float64
	}{
		{"pct_bijstand", "totaal", 3, 5},
		{"pct_laag_inkomen", "totaal", 4, 9},
		{"pct_inkomsten_arbeid", "totaal", 60, 72},
		{"cito_score", "totaal", 533, 537},
		{"gem_leeftijd_overleden", "totaal", 78, 83},
		{"pct_leeftijd_65plus", "totaal", 18, 22},
		{"pct_herkomst", "geen_migratieachtergrond", 68, 78},
		{"pct_herkomst", "eritrea", 0.05, 0.5},
		{"segregatie_index", "totaal", 25, 60},
		{"verdachten", "totaal", 8, 18},
	}
	for _, l := range levels {
		t.Run(l.indicator+"/"+l.group, func(t *testing.T) {
			if v := nl[[2]string{l.indicator, l.group}]; v < l.min || v > l.max {
				t.Errorf("Nederland %g, want %g–%g", v, l.min, l.max)
			}
		})
	}
	higher := []struct{ indicator, high, low string }{
		{"pct_bijstand", "buiten_europa_buitenland_geboren", "geen_migratieachtergrond"},
		{"pct_bijstand", "syrie", "polen"},
		{"pct_inkomsten_arbeid", "geen_migratieachtergrond", "buiten_europa_buitenland_geboren"},
		{"cito_score", "geen_migratieachtergrond", "marokko"},
		{"verdachten", "buiten_europa_nederland_geboren", "geen_migratieachtergrond"},
		{"pct_leeftijd_65plus", "geen_migratieachtergrond", "buiten_europa_nederland_geboren"},
		{"pct_eerste_generatie_kort", "oekraine", "suriname"},
	}
	for _, h := range higher {
		t.Run(h.indicator+"/"+h.high+">"+h.low, func(t *testing.T) {
			if hi, lo := nl[[2]string{h.indicator, h.high}], nl[[2]string{h.indicator, h.low}]; hi <= lo {
				t.Errorf("%s %g, %s %g: want the first higher", h.high, hi, h.low, lo)
			}
		})
	}
}

// TestSegregationIndex recomputes the dissimilarity index of every
// gemeente from the published counts.
func TestSegregationIndex(t *testing.T) {
	d := dataset(t)
	vals := valuesOf(t, d, "segregatie_index", "aantal_herkomst")
	type wijk struct{ outside, all float64 }
	byGemeente := make(map[string][]wijk)
	for _, a := range d.Areas {
		if a.Level != catalog.Wijk {
			continue
		}
		c := func(g string) float64 { return vals[key{"aantal_herkomst", g, a.Code}].Value.V }
		byGemeente[a.GemeenteCode] = append(byGemeente[a.GemeenteCode], wijk{
			outside: c("buiten_europa_buitenland_geboren") + c("buiten_europa_nederland_geboren"),
			all:     c("totaal"),
		})
	}
	for _, code := range []string{"GM0344", "GM0599", "GM0363", "GM0479", "GM0772"} {
		t.Run(code, func(t *testing.T) {
			var B, N float64
			for _, w := range byGemeente[code] {
				B += w.outside
				N += w.all
			}
			D := 0.0
			for _, w := range byGemeente[code] {
				D += 50 * math.Abs(w.outside/B-(w.all-w.outside)/(N-B))
			}
			got := vals[key{"segregatie_index", catalog.TotaalGroup, code}]
			if math.Abs(got.Value.V-D) > 1e-9 || got.Group != catalog.TotaalGroup {
				t.Errorf("got %+v, want dissimilarity %g", got, D)
			}
		})
	}
	t.Run("one-wijk gemeente", func(t *testing.T) {
		for code, ws := range byGemeente {
			if len(ws) == 1 {
				if v := vals[key{"segregatie_index", catalog.TotaalGroup, code}].Value.V; v != 0 {
					t.Errorf("%s has one wijk and index %g", code, v)
				}
			}
		}
	})
}

func TestLoadRejectsUnknownCatalogueEntries(t *testing.T) {
	indicators, err := os.ReadFile("../catalog/indicators.json")
	if err != nil {
		t.Fatal(err)
	}
	groups, err := os.ReadFile("../catalog/groups.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		indicators []byte
		groups     []byte
		want       string
	}{
		{"unknown indicator", withCopy(t, indicators, "indicators", "inwoners", "id", "aantal_katten"), groups, `indicator "aantal_katten" has no demo model`},
		{"wrong unit", withCopy(t, indicators, "indicators", "pct_bijstand", "unit", "per1000"), groups, `unit per1000`},
		{"unknown group", indicators, withCopy(t, groups, "groups", "polen", "id", "mars"), `herkomstgroep "mars"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, err := catalog.Parse(tt.indicators, tt.groups)
			if err != nil {
				t.Fatal(err)
			}
			_, err = demo.Load(cat)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	if _, err := demo.Load(nil); err == nil {
		t.Error("Load(nil) did not fail")
	}
}

// withCopy returns the catalogue document with the entry of list whose id
// is id changed (field set to value), or appended as a changed copy when the
// field is the id.
func withCopy(t *testing.T, doc []byte, list, id, field, value string) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	entries := m[list].([]any)
	for i, e := range entries {
		entry := e.(map[string]any)
		if entry["id"] != id {
			continue
		}
		changed := make(map[string]any, len(entry))
		for k, v := range entry {
			changed[k] = v
		}
		changed[field] = value
		if field == "id" {
			entries = append(entries, changed)
		} else {
			entries[i] = changed
		}
	}
	m[list] = entries
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// BenchmarkLoadValues measures what serving the demo costs at start-up:
// Load and one iteration over the values of BaseYear. It reports the heap
// in use after Load as heap-MB.
func BenchmarkLoadValues(b *testing.B) {
	benchmarkLoad(b, func(d *demo.Dataset) iter.Seq[store.Value] { return d.Values(demo.BaseYear) })
}

// BenchmarkLoadAllValues measures Load and one iteration over AllValues:
// every value year and the buurten.
func BenchmarkLoadAllValues(b *testing.B) {
	benchmarkLoad(b, (*demo.Dataset).AllValues)
}

// benchmarkLoad measures Load and one iteration over the values that
// values yields, and reports the heap in use after Load as heap-MB.
func benchmarkLoad(b *testing.B, values func(*demo.Dataset) iter.Seq[store.Value]) {
	cat := defaultCatalog(b)
	var heap uint64
	for b.Loop() {
		d, err := demo.Load(cat)
		if err != nil {
			b.Fatal(err)
		}
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		heap = ms.HeapInuse
		n := 0
		for range values(d) {
			n++
		}
		if n == 0 {
			b.Fatal("no values")
		}
		runtime.KeepAlive(d)
	}
	b.ReportMetric(float64(heap)/(1<<20), "heap-MB")
}

func codesOf(areas []store.Area) []string {
	out := make([]string, len(areas))
	for i, a := range areas {
		out[i] = a.Code
	}
	return out
}
