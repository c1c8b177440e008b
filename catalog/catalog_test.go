package catalog_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/wijkkaart/wijkkaart/catalog"
)

func defaultCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Default()
	if err != nil {
		t.Fatalf("Default(): %v", err)
	}
	return c
}

func TestDefaultThemes(t *testing.T) {
	c := defaultCatalog(t)
	want := []struct {
		id          string
		nameNL      string
		descriptive bool
	}{
		{"demografie", "Demografie", true},
		{"onderwijs", "Onderwijs", false},
		{"arbeid_inkomen", "Arbeid & inkomen", false},
		{"wonen_leefomgeving", "Wonen & leefomgeving", false},
		{"veiligheid", "Veiligheid", false},
		{"zorg_welzijn", "Zorg & welzijn", true},
	}
	if len(c.Themes) != len(want) {
		t.Fatalf("got %d themes, want %d", len(c.Themes), len(want))
	}
	for i, w := range want {
		t.Run(w.id, func(t *testing.T) {
			got := c.Themes[i]
			if got.ID != w.id {
				t.Fatalf("theme %d is %q, want %q", i, got.ID, w.id)
			}
			if got.NameNL != w.nameNL || got.NameEN == "" {
				t.Errorf("names = %q / %q, want %q and an English name", got.NameNL, got.NameEN, w.nameNL)
			}
			if got.Descriptive != w.descriptive {
				t.Errorf("descriptive = %v, want %v", got.Descriptive, w.descriptive)
			}
			if th, ok := c.Theme(w.id); !ok || th != got {
				t.Errorf("Theme(%q) = %+v, %v", w.id, th, ok)
			}
		})
	}
}

// wantIndicators is the catalogue as the KIS monitor's users know it, in the
// order the map client lists it.
var wantIndicators = []struct {
	id       string
	theme    string
	unit     catalog.Unit
	polarity catalog.Polarity
	split    bool
	decimals int
}{
	{"inwoners", "demografie", catalog.UnitCount, catalog.Neutral, true, 0},
	{"aantal_herkomst", "demografie", catalog.UnitCount, catalog.Neutral, true, 0},
	{"pct_herkomst", "demografie", catalog.UnitPercentage, catalog.Neutral, true, 1},
	{"pct_eerste_generatie_kort", "demografie", catalog.UnitPercentage, catalog.Neutral, true, 1},
	{"pct_eerste_generatie_lang", "demografie", catalog.UnitPercentage, catalog.Neutral, true, 1},
	{"pct_leeftijd_0_3", "demografie", catalog.UnitPercentage, catalog.Neutral, true, 1},
	{"pct_leeftijd_4_12", "demografie", catalog.UnitPercentage, catalog.Neutral, true, 1},
	{"pct_leeftijd_13_17", "demografie", catalog.UnitPercentage, catalog.Neutral, true, 1},
	{"pct_leeftijd_18_26", "demografie", catalog.UnitPercentage, catalog.Neutral, true, 1},
	{"pct_leeftijd_27_64", "demografie", catalog.UnitPercentage, catalog.Neutral, true, 1},
	{"pct_leeftijd_65plus", "demografie", catalog.UnitPercentage, catalog.Neutral, true, 1},
	{"pct_vve", "onderwijs", catalog.UnitPercentage, catalog.HigherIsFavourable, true, 1},
	{"pct_zonder_startkwalificatie", "onderwijs", catalog.UnitPercentage, catalog.LowerIsFavourable, true, 1},
	{"pct_hoogopgeleid_18_30", "onderwijs", catalog.UnitPercentage, catalog.HigherIsFavourable, true, 1},
	{"pct_voortijdig_schoolverlaters", "onderwijs", catalog.UnitPercentage, catalog.LowerIsFavourable, true, 1},
	{"cito_score", "onderwijs", catalog.UnitScore, catalog.HigherIsFavourable, true, 1},
	{"pct_inkomsten_arbeid", "arbeid_inkomen", catalog.UnitPercentage, catalog.HigherIsFavourable, true, 1},
	{"pct_bijstand", "arbeid_inkomen", catalog.UnitPercentage, catalog.LowerIsFavourable, true, 1},
	{"pct_nww", "arbeid_inkomen", catalog.UnitPercentage, catalog.LowerIsFavourable, true, 1},
	{"pct_laag_inkomen", "arbeid_inkomen", catalog.UnitPercentage, catalog.LowerIsFavourable, true, 1},
	{"betalingsachterstand_zorgpremie", "arbeid_inkomen", catalog.UnitPer1000, catalog.LowerIsFavourable, true, 1},
	{"schuldsanering", "arbeid_inkomen", catalog.UnitPer1000, catalog.LowerIsFavourable, true, 1},
	{"pct_corporatiewoningen", "wonen_leefomgeving", catalog.UnitPercentage, catalog.LowerIsFavourable, true, 1},
	{"segregatie_index", "wonen_leefomgeving", catalog.UnitIndex, catalog.LowerIsFavourable, false, 1},
	{"verdachten", "veiligheid", catalog.UnitPer1000, catalog.LowerIsFavourable, true, 1},
	{"veroordeelden", "veiligheid", catalog.UnitPer1000, catalog.LowerIsFavourable, true, 1},
	{"halt", "veiligheid", catalog.UnitPer1000, catalog.LowerIsFavourable, true, 1},
	{"gem_leeftijd_overleden", "zorg_welzijn", catalog.UnitYears, catalog.Neutral, true, 1},
	{"pct_basis_ggz", "zorg_welzijn", catalog.UnitPercentage, catalog.Neutral, true, 1},
	{"pct_specialistische_ggz", "zorg_welzijn", catalog.UnitPercentage, catalog.Neutral, true, 1},
}

func TestDefaultIndicators(t *testing.T) {
	c := defaultCatalog(t)
	if len(c.Indicators) != len(wantIndicators) {
		t.Fatalf("got %d indicators, want %d", len(c.Indicators), len(wantIndicators))
	}
	for i, w := range wantIndicators {
		t.Run(w.id, func(t *testing.T) {
			if got := c.Indicators[i].ID; got != w.id {
				t.Fatalf("indicator %d is %q, want %q", i, got, w.id)
			}
			ind, ok := c.Indicator(w.id)
			if !ok {
				t.Fatalf("Indicator(%q) not found", w.id)
			}
			if ind.Theme != w.theme || ind.Unit != w.unit || ind.Polarity != w.polarity ||
				ind.SplitByGroup != w.split || ind.Decimals != w.decimals {
				t.Errorf("got theme %s, unit %s, polarity %s, split %v, decimals %d; want %s, %s, %s, %v, %d",
					ind.Theme, ind.Unit, ind.Polarity, ind.SplitByGroup, ind.Decimals,
					w.theme, w.unit, w.polarity, w.split, w.decimals)
			}
			if ind.Evaluative() != (w.polarity != catalog.Neutral) {
				t.Errorf("Evaluative() = %v for polarity %s", ind.Evaluative(), w.polarity)
			}
			texts := map[string]string{
				"name_nl": ind.NameNL, "name_en": ind.NameEN,
				"explanation_nl": ind.ExplanationNL, "explanation_en": ind.ExplanationEN,
				"polarity_nl": ind.PolarityNL, "polarity_en": ind.PolarityEN,
			}
			// A rate is shown with the counts it was computed from, so
			// both must be named.
			if ind.Unit == catalog.UnitPercentage || ind.Unit == catalog.UnitPer1000 {
				texts["numerator_nl"], texts["numerator_en"] = ind.NumeratorNL, ind.NumeratorEN
				texts["denominator_nl"], texts["denominator_en"] = ind.DenominatorNL, ind.DenominatorEN
			}
			for field, text := range texts {
				if strings.TrimSpace(text) == "" {
					t.Errorf("%s is empty", field)
				}
			}
			// The numerator and denominator come in pairs of languages.
			if (ind.NumeratorNL == "") != (ind.NumeratorEN == "") || (ind.DenominatorNL == "") != (ind.DenominatorEN == "") {
				t.Errorf("numerator/denominator given in one language only: %q/%q, %q/%q",
					ind.NumeratorNL, ind.NumeratorEN, ind.DenominatorNL, ind.DenominatorEN)
			}
		})
	}
}

// TestPolarityExplanations checks that what a wijkmanager reads matches the
// judgement the legend makes: an evaluative indicator is explained against
// the Dutch average of the same herkomstgroep, and the contested judgement on
// corporatiewoningen says it is contested.
func TestPolarityExplanations(t *testing.T) {
	c := defaultCatalog(t)
	for _, ind := range c.Indicators {
		t.Run(ind.ID, func(t *testing.T) {
			nl, en := strings.ToLower(ind.PolarityNL), strings.ToLower(ind.PolarityEN)
			switch {
			case !ind.Evaluative():
				if !strings.Contains(nl, "geen oordeel") || !strings.Contains(en, "no judgement") {
					t.Errorf("neutral indicator does not say no judgement is made: %q / %q", ind.PolarityNL, ind.PolarityEN)
				}
			case ind.SplitByGroup:
				if !strings.Contains(nl, "dezelfde herkomstgroep") || !strings.Contains(en, "same origin group") {
					t.Errorf("does not compare with the same herkomstgroep: %q / %q", ind.PolarityNL, ind.PolarityEN)
				}
			}
			if ind.Evaluative() && !strings.Contains(nl, "gunstiger") {
				t.Errorf("evaluative indicator does not say what is favourable: %q", ind.PolarityNL)
			}
		})
	}
	corp, _ := c.Indicator("pct_corporatiewoningen")
	if !strings.Contains(corp.PolarityNL, "omstreden") || !strings.Contains(corp.PolarityEN, "contested") {
		t.Errorf("pct_corporatiewoningen does not say its judgement is contested: %q", corp.PolarityNL)
	}
}

func TestDescriptiveThemesOnlyHaveNeutralIndicators(t *testing.T) {
	c := defaultCatalog(t)
	for _, ind := range c.Indicators {
		t.Run(ind.ID, func(t *testing.T) {
			th, ok := c.Theme(ind.Theme)
			if !ok {
				t.Fatalf("unknown theme %q", ind.Theme)
			}
			if th.Descriptive && ind.Polarity != catalog.Neutral {
				t.Errorf("indicator of descriptive theme %s has polarity %s", th.ID, ind.Polarity)
			}
			if !th.Descriptive && ind.Polarity == catalog.Neutral {
				t.Errorf("indicator of evaluative theme %s is neutral", th.ID)
			}
		})
	}
}

func TestDefaultGroups(t *testing.T) {
	c := defaultCatalog(t)
	both := []string{catalog.SplitHerkomst5, catalog.SplitHerkomst20}
	five := []string{catalog.SplitHerkomst5}
	twenty := []string{catalog.SplitHerkomst20}
	// The groups of DOMAIN.md, in the order the client lists them.
	want := []struct {
		id     string
		splits []string
	}{
		{"totaal", []string{catalog.SplitTotaal}},
		{"geen_migratieachtergrond", both},
		{"europa_buitenland_geboren", five},
		{"europa_nederland_geboren", five},
		{"buiten_europa_buitenland_geboren", five},
		{"buiten_europa_nederland_geboren", five},
		{"bulgarije", twenty},
		{"polen", twenty},
		{"roemenie", twenty},
		{"oekraine", twenty},
		{"overig_europa", twenty},
		{"turkije", twenty},
		{"marokko", twenty},
		{"suriname", twenty},
		{"indonesie", twenty},
		{"nederlandse_cariben", twenty},
		{"iran", twenty},
		{"irak", twenty},
		{"somalie", twenty},
		{"eritrea", twenty},
		{"syrie", twenty},
		{"afghanistan", twenty},
		{"overig_amerika_oceanie", twenty},
		{"overig_afrika", twenty},
		{"overig_azie", twenty},
	}
	if len(c.Groups) != 25 || len(want) != 25 {
		t.Fatalf("got %d groups, want 25", len(c.Groups))
	}
	for i, w := range want {
		t.Run(w.id, func(t *testing.T) {
			g, ok := c.Group(w.id)
			if !ok {
				t.Fatalf("group %q missing", w.id)
			}
			if c.Groups[i].ID != w.id {
				t.Errorf("group %d is %q, want %q", i, c.Groups[i].ID, w.id)
			}
			for _, s := range []string{catalog.SplitTotaal, catalog.SplitHerkomst5, catalog.SplitHerkomst20} {
				wantIn := false
				for _, ws := range w.splits {
					wantIn = wantIn || ws == s
				}
				if g.InSplit(s) != wantIn {
					t.Errorf("InSplit(%s) = %v, want %v", s, g.InSplit(s), wantIn)
				}
			}
		})
	}
	t.Run("split sizes", func(t *testing.T) {
		for split, n := range map[string]int{catalog.SplitTotaal: 1, catalog.SplitHerkomst5: 5, catalog.SplitHerkomst20: 20} {
			got := 0
			for _, g := range c.Groups {
				if g.InSplit(split) {
					got++
				}
			}
			if got != n {
				t.Errorf("split %s has %d groups, want %d", split, got, n)
			}
		}
	})
	t.Run("unknown group", func(t *testing.T) {
		if g, ok := c.Group("nederland"); ok {
			t.Errorf("Group(nederland) = %+v, want not found", g)
		}
	})
}

func TestGroupsOf(t *testing.T) {
	c := defaultCatalog(t)
	tests := []struct {
		indicator string
		want      int
	}{
		{"segregatie_index", 1},
		{"pct_bijstand", 25},
		{"inwoners", 25},
	}
	for _, tt := range tests {
		t.Run(tt.indicator, func(t *testing.T) {
			ind, ok := c.Indicator(tt.indicator)
			if !ok {
				t.Fatalf("Indicator(%q) not found", tt.indicator)
			}
			got := c.GroupsOf(ind)
			if len(got) != tt.want {
				t.Fatalf("GroupsOf(%s) has %d groups, want %d", tt.indicator, len(got), tt.want)
			}
			if tt.want == 1 && got[0].ID != catalog.TotaalGroup {
				t.Errorf("GroupsOf(%s) = %q, want only %q", tt.indicator, got[0].ID, catalog.TotaalGroup)
			}
		})
	}
	if ind, ok := c.Indicator("no_such_indicator"); ok {
		t.Errorf("Indicator(no_such_indicator) = %+v, want not found", ind)
	}
}

// doc is a catalogue document as generic JSON, so that a test can break it in
// one place.
type doc = map[string]any

func readDoc(t *testing.T, name string) doc {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var d doc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return d
}

func marshal(t *testing.T, d doc) []byte {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// indicatorAt returns the i-th indicator object of an indicators document.
func indicatorAt(d doc, i int) map[string]any {
	return d["indicators"].([]any)[i].(map[string]any)
}

func TestParseRejectsMalformedDocuments(t *testing.T) {
	tests := []struct {
		name string
		// breakIndicators and breakGroups change the valid documents.
		breakIndicators func(d doc)
		breakGroups     func(d doc)
		// raw, when set, is appended to the marshalled indicators document.
		raw  string
		want []string // substrings the error must contain
	}{
		{
			name:            "unknown field",
			breakIndicators: func(d doc) { indicatorAt(d, 3)["colour"] = "red" },
			want:            []string{"indicators", `unknown field "colour"`},
		},
		{
			name:            "unknown unit",
			breakIndicators: func(d doc) { indicatorAt(d, 17)["unit"] = "procent" },
			want:            []string{"pct_bijstand", `unknown unit "procent"`},
		},
		{
			name:            "unknown polarity",
			breakIndicators: func(d doc) { indicatorAt(d, 17)["polarity"] = "good" },
			want:            []string{"pct_bijstand", `unknown polarity "good"`},
		},
		{
			name:            "unknown theme",
			breakIndicators: func(d doc) { indicatorAt(d, 24)["theme"] = "sport" },
			want:            []string{"verdachten", `unknown theme "sport"`},
		},
		{
			name:            "duplicate id",
			breakIndicators: func(d doc) { indicatorAt(d, 1)["id"] = "inwoners" },
			want:            []string{`duplicate id "inwoners"`},
		},
		{
			name:            "empty id",
			breakIndicators: func(d doc) { indicatorAt(d, 1)["id"] = "" },
			want:            []string{"empty id"},
		},
		{
			name:            "missing Dutch explanation",
			breakIndicators: func(d doc) { delete(indicatorAt(d, 22), "explanation_nl") },
			want:            []string{"pct_corporatiewoningen", "missing Dutch explanation"},
		},
		{
			name:            "missing English polarity explanation",
			breakIndicators: func(d doc) { indicatorAt(d, 22)["polarity_en"] = "" },
			want:            []string{"pct_corporatiewoningen", "missing English explanation"},
		},
		{
			name:            "missing name",
			breakIndicators: func(d doc) { indicatorAt(d, 0)["name_en"] = "" },
			want:            []string{"inwoners", "missing name"},
		},
		{
			name:            "decimals out of range",
			breakIndicators: func(d doc) { indicatorAt(d, 0)["decimals"] = 7 },
			want:            []string{"inwoners", "decimals 7"},
		},
		{
			name:            "judgement in a descriptive theme",
			breakIndicators: func(d doc) { indicatorAt(d, 28)["polarity"] = "lower_is_favourable" },
			want:            []string{"pct_basis_ggz", `descriptive theme "zorg_welzijn" must be neutral`},
		},
		{
			name:            "duplicate theme",
			breakIndicators: func(d doc) { d["themes"].([]any)[1].(map[string]any)["id"] = "demografie" },
			want:            []string{`duplicate id "demografie"`},
		},
		{
			name:            "wrong type",
			breakIndicators: func(d doc) { indicatorAt(d, 0)["split_by_group"] = "yes" },
			want:            []string{"indicators", "split_by_group"},
		},
		{
			name: "trailing data",
			raw:  `{"themes": []}`,
			want: []string{"indicators", "after the JSON document"},
		},
		{
			name:        "unknown field in groups",
			breakGroups: func(d doc) { d["groups"].([]any)[2].(map[string]any)["colour"] = "red" },
			want:        []string{"groups", `unknown field "colour"`},
		},
		{
			name:        "group in unknown split",
			breakGroups: func(d doc) { d["groups"].([]any)[2].(map[string]any)["splits"] = []any{"herkomst4"} },
			want:        []string{"europa_buitenland_geboren", `unknown split "herkomst4"`},
		},
		{
			name: "totaal missing",
			breakGroups: func(d doc) {
				d["groups"] = d["groups"].([]any)[1:]
			},
			want: []string{`group "totaal" is missing`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ind, grp := readDoc(t, "indicators.json"), readDoc(t, "groups.json")
			if tt.breakIndicators != nil {
				tt.breakIndicators(ind)
			}
			if tt.breakGroups != nil {
				tt.breakGroups(grp)
			}
			indDoc := append(marshal(t, ind), tt.raw...)
			c, err := catalog.Parse(indDoc, marshal(t, grp))
			if err == nil {
				t.Fatalf("Parse accepted the document: %d indicators", len(c.Indicators))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestParseRoundTrip checks that the generic documents the rejection tests
// start from are themselves accepted, so each rejection is caused by the one
// thing the test breaks.
func TestParseRoundTrip(t *testing.T) {
	ind, grp := readDoc(t, "indicators.json"), readDoc(t, "groups.json")
	c, err := catalog.Parse(marshal(t, ind), marshal(t, grp))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(c.Indicators) != len(wantIndicators) {
		t.Errorf("got %d indicators, want %d", len(c.Indicators), len(wantIndicators))
	}
}
