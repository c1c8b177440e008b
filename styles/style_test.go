package styles

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// marshal writes a style as the golden files hold it.
func marshal(t *testing.T, s Style) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func goldenParams() map[string]Params {
	neutral := fixture{level: catalog.Wijk, ind: leeftijd65(), group: buitenEuropa()}
	neutralValues := append(neutral.oks(4.2, 5.1, 5.3, 6.0, 7.8, 8.1, 8.4, 11.9, 12.5, 13.0, 17.6, 18.2),
		neutral.suppressed("WK034490", 95.5), neutral.noData("WK034491"))
	neutralParams := neutral.params(neutralValues, ptr(9.7))
	neutralParams.Gemeente = utrecht()

	evaluative := fixture{level: catalog.Wijk, ind: bijstand(), group: buitenEuropa()}
	evaluativeValues := append(evaluative.oks(1.2, 2.0, 2.4, 3.1, 3.3, 4.8, 5.0, 5.9, 6.1, 6.4, 7.7, 8.0, 9.6, 10.2, 12.8, 13.1, 19.4),
		evaluative.suppressed("WK036301", 41.0))

	noRef := fixture{level: catalog.Gemeente, ind: arbeid(), group: buitenEuropa()}
	noRefParams := noRef.params(noRef.oks(48.3, 51.0, 52.2, 55.5, 57.9, 60.1, 61.4, 64.0), nil)
	noRefParams.Gemeente = utrecht()
	noRefParams.Method = MethodQuantile
	noRefParams.Classes = 4

	empty := fixture{level: catalog.Wijk, ind: bijstand(), group: buitenEuropa()}
	emptyParams := empty.params([]store.Published{empty.suppressed("WK034401", 3), empty.noData("WK034402")}, ptr(6.1))
	emptyParams.Gemeente = utrecht()

	single := fixture{level: catalog.Wijk, ind: leeftijd65(), group: buitenEuropa()}
	singleParams := single.params(single.oks(12, 12, 12), ptr(9.7))
	singleParams.Gemeente = utrecht()
	singleParams.Palette = "PuBu"

	return map[string]Params{
		"neutral":                 neutralParams,
		"evaluative":              evaluative.params(evaluativeValues, ptr(6.1)),
		"evaluative-no-reference": noRefParams,
		"empty":                   emptyParams,
		"single-class":            singleParams,
	}
}

func TestGoldenStyles(t *testing.T) {
	for name, p := range goldenParams() {
		t.Run(name, func(t *testing.T) {
			s, err := Build(p)
			if err != nil {
				t.Fatal(err)
			}
			got := marshal(t, s)
			path := filepath.Join("testdata", name+".style.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./styles -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("style differs from %s (run go test ./styles -update after checking the change):\n%s", path, got)
			}
		})
	}
}

func TestStyleShape(t *testing.T) {
	s, err := Build(goldenParams()["neutral"])
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version  int                        `json:"version"`
		Metadata map[string]json.RawMessage `json:"metadata"`
		Sources  map[string]struct {
			Type, URL string
		} `json:"sources"`
		Layers []struct {
			ID          string `json:"id"`
			Type        string `json:"type"`
			Source      string `json:"source"`
			SourceLayer string `json:"source-layer"`
		} `json:"layers"`
	}
	if err := json.Unmarshal(marshal(t, s), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != 8 || doc.Sources[SourceID].Type != "vector" || doc.Sources[SourceID].URL == "" {
		t.Errorf("version %d, sources %+v", doc.Version, doc.Sources)
	}
	for _, key := range []string{MetadataLegend, MetadataQuery} {
		if _, ok := doc.Metadata[key]; !ok {
			t.Errorf("metadata has no %q", key)
		}
	}
	var ids []string
	for _, l := range doc.Layers {
		ids = append(ids, l.ID)
		if l.Type != "background" && l.Source == SourceID && l.SourceLayer != "wijk" {
			t.Errorf("layer %s has source-layer %q, want wijk", l.ID, l.SourceLayer)
		}
	}
	want := []string{LayerBackground, LayerFill, LayerOutline, LayerSuppressed, LayerNoResidents, LayerSelected, LayerLabel}
	if !slices.Equal(ids, want) {
		t.Errorf("layers %v, want %v", ids, want)
	}
}

// TestStepMatchesLegend checks that the fill layer's step expression has
// the legend's class breaks as stops and the class colours as outputs.
func TestStepMatchesLegend(t *testing.T) {
	s, err := Build(goldenParams()["evaluative"])
	if err != nil {
		t.Fatal(err)
	}
	fill := s.Layers[slices.IndexFunc(s.Layers, func(l Layer) bool { return l.ID == LayerFill })]
	cases := fill.Paint["fill-color"].([]any)
	step := cases[len(cases)-2].([]any)
	classes := s.Metadata.Legend.Classes
	if step[0] != "step" || len(step) != 3+2*(len(classes)-1) || step[2] != classes[0].Color {
		t.Fatalf("step %v does not match classes %+v", step, classes)
	}
	for i, c := range classes[1:] {
		if step[3+2*i] != c.Min || step[4+2*i] != c.Color {
			t.Errorf("stop %d: %v → %v, want %v → %v", i+1, step[3+2*i], step[4+2*i], c.Min, c.Color)
		}
	}
}

// TestSuppressedValuesTakeNoPart puts an outlier behind a suppressed value:
// it must change neither breaks nor counts, and appear nowhere in the style.
func TestSuppressedValuesTakeNoPart(t *testing.T) {
	f := fixture{level: catalog.Wijk, ind: leeftijd65(), group: buitenEuropa()}
	values := f.oks(3.1, 4.4, 5.0, 8.2, 9.9, 10.4, 15.3, 16.0)
	without, err := Build(f.params(values, ptr(9.7)))
	if err != nil {
		t.Fatal(err)
	}
	values = append(values, f.suppressed("WK034499", 987.6), f.noData("WK034498"))
	with, err := Build(f.params(values, ptr(9.7)))
	if err != nil {
		t.Fatal(err)
	}
	lw, l := without.Metadata.Legend, with.Metadata.Legend
	if !slices.Equal(l.Classes, lw.Classes) {
		t.Errorf("a suppressed value changed the classes:\n%+v\nwant\n%+v", l.Classes, lw.Classes)
	}
	if total(l.Classes) != 8 {
		t.Errorf("classes count %d areas, want 8", total(l.Classes))
	}
	for _, sp := range l.Specials {
		if sp.Status == SpecialSuppressed && (sp.Count == nil || *sp.Count != 1) ||
			sp.Status == SpecialNoData && (sp.Count == nil || *sp.Count != 1) {
			t.Errorf("special %s counts %v, want 1", sp.Status, sp.Count)
		}
	}
	if doc := marshal(t, with); bytes.Contains(doc, []byte("987")) {
		t.Errorf("the suppressed value 987.6 leaks into the style")
	}
}

func TestLegendLabels(t *testing.T) {
	f := fixture{level: catalog.Wijk, ind: leeftijd65(), group: buitenEuropa()}
	p := f.params(append(f.oks(1, 2, 3, 7, 8, 9), f.suppressed("WK034490", 5)), ptr(4.25))
	p.Method, p.ManualBreaks = MethodManual, []float64{3, 7.25}
	p.Gemeente = utrecht()
	s, err := Build(p)
	if err != nil {
		t.Fatal(err)
	}
	l := s.Metadata.Legend
	var nl, en []string
	for _, c := range l.Classes {
		nl, en = append(nl, c.LabelNL), append(en, c.LabelEN)
	}
	if want := []string{"1,0 – 2,9%", "3,0 – 7,2%", "7,3 – 9,0%"}; !slices.Equal(nl, want) {
		t.Errorf("Dutch labels %q, want %q", nl, want)
	}
	if want := []string{"1.0 – 2.9%", "3.0 – 7.2%", "7.3 – 9.0%"}; !slices.Equal(en, want) {
		t.Errorf("English labels %q, want %q", en, want)
	}
	if r := l.Reference; r == nil || r.Value != 4.3 || r.ValueLabelNL != "4,3%" || r.LabelNL != "Nederland, zelfde herkomstgroep" {
		t.Errorf("reference %+v, want 4,3%% for Nederland, zelfde herkomstgroep", r)
	}
	if l.Specials[0].LabelNL != "Geheim: minder dan 10 waarnemingen" {
		t.Errorf("suppressed label %q does not state the rule", l.Specials[0].LabelNL)
	}
	var statuses []string
	for _, sp := range l.Specials {
		statuses = append(statuses, sp.Status)
	}
	if want := []string{SpecialSuppressed, SpecialNoData, SpecialNoResidents, SpecialOutside}; !slices.Equal(statuses, want) || l.Specials[3].Count != nil {
		t.Errorf("specials %+v, want %v", l.Specials, want)
	}
	if l.Scope != (Scope{Type: ScopeGemeente, Code: "GM0344", Name: "Utrecht"}) {
		t.Errorf("scope %+v", l.Scope)
	}
	if !slices.Equal(l.Provenance.Sources, []store.Provenance{store.Demo}) || !strings.Contains(l.Provenance.NoteNL, "demonstratiecijfers") ||
		!strings.Contains(l.Provenance.NoteEN, "not real CBS data") {
		t.Errorf("provenance %+v, want a demo note", l.Provenance)
	}
	if l.Attribution != "Bron: CBS / Kadaster" {
		t.Errorf("attribution %q", l.Attribution)
	}
}

func TestBuildErrors(t *testing.T) {
	f := fixture{level: catalog.Wijk, ind: bijstand(), group: buitenEuropa()}
	good := func() Params { return f.params(f.oks(1, 2, 3, 4, 5), ptr(3)) }
	other := fixture{level: catalog.Wijk, ind: arbeid(), group: buitenEuropa()}
	tests := []struct {
		name    string
		edit    func(*Params)
		invalid bool
	}{
		{"unknown level", func(p *Params) { p.Level = "provincie" }, true},
		{"unknown method", func(p *Params) { p.Method = "jenks" }, true},
		{"too many classes", func(p *Params) { p.Classes = 8 }, true},
		{"sequential palette for an evaluative indicator", func(p *Params) { p.Palette = "Blues" }, true},
		{"unknown palette", func(p *Params) { p.Palette = "rainbow" }, true},
		{"manual without breaks", func(p *Params) { p.Method = MethodManual }, true},
		{"value of another indicator", func(p *Params) { p.Values = append(p.Values, other.ok("WK000009", 1)) }, false},
		{"value of another level", func(p *Params) { p.Values[0].Level = catalog.Gemeente }, false},
		{"Nederland of another level", func(p *Params) { p.Nederland.Level = catalog.Wijk }, false},
		{"no TileJSON URL", func(p *Params) { p.TileJSONURL = "" }, false},
		{"no disclosure threshold", func(p *Params) { p.MinObservations = 0 }, false},
		{"gemeente without bounds", func(p *Params) { p.Gemeente = utrecht(); p.Gemeente.LonLatBound = orb.Bound{} }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := good()
			tt.edit(&p)
			_, err := Build(p)
			if err == nil {
				t.Fatal("no error")
			}
			if errors.Is(err, ErrInvalid) != tt.invalid {
				t.Errorf("errors.Is(%v, ErrInvalid) = %v, want %v", err, !tt.invalid, tt.invalid)
			}
		})
	}
	if _, err := Build(good()); err != nil {
		t.Errorf("good params: %v", err)
	}
}

func TestViewFitsGemeente(t *testing.T) {
	g := utrecht()
	center, zoom, err := viewOf(g)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := project.WGS84.ToMercator(g.LonLatBound.Min), project.WGS84.ToMercator(g.LonLatBound.Max)
	pixels := func(metres, z float64) float64 { return metres / (2 * math.Pi * orb.EarthRadius) * 512 * math.Exp2(z) }
	w, h := pixels(hi.X()-lo.X(), zoom), pixels(hi.Y()-lo.Y(), zoom)
	if w > 1024 || h > 768 {
		t.Errorf("at zoom %v the gemeente is %.0f×%.0f px, more than 1024×768", zoom, w, h)
	}
	if w < 0.8*1024 && h < 0.8*768 {
		t.Errorf("at zoom %v the gemeente is only %.0f×%.0f px of 1024×768", zoom, w, h)
	}
	if !g.LonLatBound.Contains(orb.Point(center)) {
		t.Errorf("centre %v lies outside the gemeente's bounds", center)
	}
	if c, z, err := viewOf(nil); err != nil || c != [2]float64{5.3, 52.2} || z != 6.5 {
		t.Errorf("view of Nederland %v z%v, %v", c, z, err)
	}
}
